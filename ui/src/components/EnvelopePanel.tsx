import type { MessageDetail } from '../../../server/contract.js';

function paramsText(params: Record<string, string | true>): string {
  return Object.entries(params)
    .map(([name, value]) => (value === true ? name : `${name}=${value}`))
    .join(' ');
}

/**
 * The SMTP envelope, kept apart from the headers: MAIL FROM, every accepted RCPT TO (Bcc-only
 * recipients marked), HELO name, client address, TLS and the AUTH user.
 */
export function EnvelopePanel({ detail }: { detail: MessageDetail }) {
  const { envelope } = detail;
  const bccOnly = new Set(detail.bccOnly);
  const params = paramsText(envelope.mailParams);
  return (
    <section className="envelope" data-testid="detail-envelope" aria-labelledby="envelope-title">
      <h3 id="envelope-title" className="envelope-title">
        SMTP envelope
      </h3>
      <dl className="fields envelope-fields">
        <dt>MAIL FROM</dt>
        <dd data-testid="envelope-mail-from">&lt;{envelope.mailFrom}&gt;</dd>
        <dt>RCPT TO</dt>
        <dd>
          <ul className="rcpt-list">
            {envelope.rcptTo.map((rcpt, index) => (
              <li key={`${index}:${rcpt}`} data-testid="envelope-rcpt" data-bcc={bccOnly.has(rcpt) ? 'true' : 'false'}>
                &lt;{rcpt}&gt;
                {bccOnly.has(rcpt) && (
                  <span className="badge badge-bcc" title="Only in the envelope: not named in To or Cc">
                    Bcc
                  </span>
                )}
              </li>
            ))}
          </ul>
        </dd>
        {params !== '' && (
          <>
            <dt>Parameters</dt>
            <dd data-testid="envelope-params">{params}</dd>
          </>
        )}
        <dt>HELO</dt>
        <dd data-testid="envelope-helo">{envelope.heloName || <span className="placeholder">(none)</span>}</dd>
        <dt>Client</dt>
        <dd data-testid="envelope-client">
          {envelope.remoteAddress}:{envelope.remotePort}
        </dd>
        <dt>TLS</dt>
        <dd data-testid="envelope-tls">{envelope.secure ? 'Yes' : 'No'}</dd>
        <dt>AUTH user</dt>
        <dd data-testid="envelope-auth">
          {envelope.authUser ?? <span className="placeholder">(not authenticated)</span>}
        </dd>
      </dl>
    </section>
  );
}
