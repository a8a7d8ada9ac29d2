import { useId, useState } from 'react';
import type { MessageDetail } from '../../../server/contract.js';
import { usePhoneLayout } from '../use-media-query.js';
import { ShowMoreButton, useCollapsible } from './ShowMore.js';

function paramsText(params: Record<string, string | true>): string {
  return Object.entries(params)
    .map(([name, value]) => (value === true ? name : `${name}=${value}`))
    .join(' ');
}

/** Every accepted RCPT TO, Bcc-only ones marked; a long list shows its first three and "and 27 more". */
function RcptList({ rcptTo, bccOnly }: { rcptTo: readonly string[]; bccOnly: ReadonlySet<string> }) {
  const list = useCollapsible(rcptTo);
  const id = useId();
  return (
    <>
      <ul className="rcpt-list" id={id} data-count={rcptTo.length}>
        {list.shown.map((rcpt, index) => (
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
      <ShowMoreButton hidden={list.hidden} expanded={list.expanded} onToggle={list.toggle} controls={id} testId="envelope-rcpt-more" />
    </>
  );
}

interface EnvelopeToggle {
  open: boolean;
  onToggle(): void;
  controls: string;
}

/** The envelope's title; on a phone a button that opens and closes it, with a one-line summary while closed. */
function EnvelopeTitle({ toggle, summary }: { toggle: EnvelopeToggle | null; summary: string }) {
  return (
    <h3 id="envelope-title" className="envelope-title">
      {toggle === null ? (
        'SMTP envelope'
      ) : (
        <button type="button" className="link-button envelope-toggle" aria-expanded={toggle.open} aria-controls={toggle.controls} onClick={toggle.onToggle} data-testid="envelope-toggle">
          SMTP envelope
          {!toggle.open && <span className="envelope-summary">{summary}</span>}
        </button>
      )}
    </h3>
  );
}

/**
 * The SMTP envelope, kept apart from the headers: MAIL FROM, every accepted RCPT TO (Bcc-only
 * recipients marked), HELO name, client address, TLS and the AUTH user. Collapsed on a phone
 * (its title is then a button), so the body shows without scrolling.
 */
export function EnvelopePanel({ detail }: { detail: MessageDetail }) {
  const { envelope } = detail;
  const bccOnly = new Set(detail.bccOnly);
  const params = paramsText(envelope.mailParams);
  const phone = usePhoneLayout();
  const [open, setOpen] = useState(!phone);
  const shown = open || !phone; // a desktop always shows it (also after a phone-sized window grew)
  const fieldsId = useId();
  const count = envelope.rcptTo.length;
  const summary = `<${envelope.mailFrom}> → ${count} recipient${count === 1 ? '' : 's'}`;
  return (
    <section className="envelope" data-testid="detail-envelope" data-open={shown ? 'true' : 'false'} aria-labelledby="envelope-title">
      <EnvelopeTitle toggle={phone ? { open, onToggle: () => setOpen(!open), controls: fieldsId } : null} summary={summary} />
      <dl className="fields envelope-fields" id={fieldsId} hidden={!shown}>
        <dt>MAIL FROM</dt>
        <dd data-testid="envelope-mail-from">&lt;{envelope.mailFrom}&gt;</dd>
        <dt>RCPT TO</dt>
        <dd>
          <RcptList rcptTo={envelope.rcptTo} bccOnly={bccOnly} />
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
