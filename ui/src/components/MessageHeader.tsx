import { useId, type ReactNode } from 'react';
import type { Address, MessageDetail } from '../../../server/contract.js';
import { formatAddressList, formatDateTime, formatSize } from '../format.js';
import { ShowMoreButton, useCollapsible } from './ShowMore.js';

/** One address header; a long one (To or Cc of 30) shows its first three and "and 27 more". */
function AddressField({ label, addresses, testId }: { label: string; addresses: readonly Address[]; testId: string }) {
  const list = useCollapsible(addresses);
  const id = useId();
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId} data-count={addresses.length}>
        {addresses.length > 0 ? (
          <span id={id} data-testid={`${testId}-addresses`}>
            {formatAddressList(list.shown)}
            {list.hidden > 0 && !list.expanded && ','}
          </span>
        ) : (
          <span className="placeholder">(none)</span>
        )}
        {list.hidden > 0 && ' '}
        <ShowMoreButton hidden={list.hidden} expanded={list.expanded} onToggle={list.toggle} controls={id} testId={`${testId}-more`} />
      </dd>
    </>
  );
}

/** Subject, address headers and dates of one message (text only, never HTML); `children` go under the subject. */
export function MessageHeader({ detail, children }: { detail: MessageDetail; children?: ReactNode }) {
  return (
    <header className="message-header">
      <h2 className={detail.subject ? 'detail-subject' : 'detail-subject placeholder'} data-testid="detail-subject">
        {detail.subject || '(no subject)'}
      </h2>
      {children}
      {detail.parseError !== null && (
        <p className="warning" role="note">
          The message could not be parsed ({detail.parseError}); the raw source is intact.
        </p>
      )}
      <dl className="fields">
        <AddressField label="From" addresses={detail.from} testId="detail-from" />
        <AddressField label="To" addresses={detail.to} testId="detail-to" />
        {detail.cc.length > 0 && <AddressField label="Cc" addresses={detail.cc} testId="detail-cc" />}
        {detail.bcc.length > 0 && <AddressField label="Bcc" addresses={detail.bcc} testId="detail-bcc" />}
        {detail.replyTo.length > 0 && <AddressField label="Reply-To" addresses={detail.replyTo} testId="detail-reply-to" />}
        <dt>Date</dt>
        <dd data-testid="detail-date">
          {detail.date !== null ? formatDateTime(detail.date) : <span className="placeholder">(no valid Date header)</span>}
        </dd>
        <dt>Received</dt>
        <dd>
          {formatDateTime(detail.receivedAt)} · {formatSize(detail.sizeBytes)}
        </dd>
      </dl>
    </header>
  );
}
