import type { Address, MessageDetail } from '../../../server/contract.js';
import { formatAddressList, formatDateTime } from '../format.js';

function AddressField({ label, addresses, testId }: { label: string; addresses: readonly Address[]; testId: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {addresses.length > 0 ? formatAddressList(addresses) : <span className="placeholder">(none)</span>}
      </dd>
    </>
  );
}

/** The SMTP envelope: MAIL FROM and every accepted RCPT TO, Bcc-only recipients marked. */
function EnvelopeBlock({ detail }: { detail: MessageDetail }) {
  const { envelope } = detail;
  const bccOnly = new Set(detail.bccOnly);
  return (
    <section className="envelope" data-testid="detail-envelope" aria-label="SMTP envelope">
      <dl className="fields">
        <dt>MAIL FROM</dt>
        <dd data-testid="envelope-mail-from">&lt;{envelope.mailFrom}&gt;</dd>
        <dt>RCPT TO</dt>
        <dd>
          <ul className="rcpt-list">
            {envelope.rcptTo.map((rcpt, index) => (
              <li key={`${index}:${rcpt}`} data-testid="envelope-rcpt" data-bcc={bccOnly.has(rcpt) ? 'true' : 'false'}>
                &lt;{rcpt}&gt;
                {bccOnly.has(rcpt) && <span className="badge" title="Not in To or Cc">Bcc</span>}
              </li>
            ))}
          </ul>
        </dd>
        <dt>Session</dt>
        <dd className="session">
          HELO {envelope.heloName || '(none)'} from {envelope.remoteAddress}:{envelope.remotePort}
          {envelope.secure ? ', TLS' : ', no TLS'}
          {envelope.authUser !== null && `, AUTH as ${envelope.authUser}`}
        </dd>
      </dl>
    </section>
  );
}

/** Subject, address headers, dates and the envelope of one message. Text only, never HTML. */
export function MessageHeader({ detail }: { detail: MessageDetail }) {
  return (
    <header className="message-header">
      <h2 className={detail.subject ? 'detail-subject' : 'detail-subject placeholder'} data-testid="detail-subject">
        {detail.subject || '(no subject)'}
      </h2>
      {detail.parseError !== null && (
        <p className="warning" role="note">
          The message could not be parsed ({detail.parseError}); the raw source is intact.
        </p>
      )}
      <dl className="fields">
        <AddressField label="From" addresses={detail.from} testId="detail-from" />
        <AddressField label="To" addresses={detail.to} testId="detail-to" />
        {detail.cc.length > 0 && <AddressField label="Cc" addresses={detail.cc} testId="detail-cc" />}
        {detail.replyTo.length > 0 && <AddressField label="Reply-To" addresses={detail.replyTo} testId="detail-reply-to" />}
        <dt>Date</dt>
        <dd data-testid="detail-date">
          {detail.date !== null ? formatDateTime(detail.date) : <span className="placeholder">(no valid Date header)</span>}
        </dd>
        <dt>Received</dt>
        <dd>{formatDateTime(detail.receivedAt)}</dd>
      </dl>
      <EnvelopeBlock detail={detail} />
    </header>
  );
}
