import { memo } from 'react';
import type { MessageSummary } from '../../../server/contract.js';
import { formatDateTime, formatListTime, formatSize, senderLabel } from '../format.js';

interface MessageRowProps {
  message: MessageSummary;
  selected: boolean;
  onOpen(id: string): void;
}

function rowLabel(message: MessageSummary, sender: string | null): string {
  const parts = [
    message.read ? '' : 'Unread.',
    `From ${sender ?? 'unknown sender'}.`,
    `Subject: ${message.subject || 'none'}.`,
    `Received ${formatDateTime(message.receivedAt)}, ${formatSize(message.sizeBytes)}.`,
    message.attachmentCount > 0 ? `${message.attachmentCount} attachment(s).` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** One inbox row: a button that opens the message. Memoised: bursts re-render only changed rows. */
export const MessageRow = memo(function MessageRow({ message, selected, onOpen }: MessageRowProps) {
  const sender = senderLabel(message);
  const className = ['row', message.read ? 'row-read' : 'row-unread', selected ? 'row-selected' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li>
      <button
        type="button"
        className={className}
        data-testid="message-row"
        data-id={message.id}
        data-read={message.read ? 'true' : 'false'}
        aria-current={selected ? 'true' : undefined}
        aria-label={rowLabel(message, sender)}
        onClick={() => onOpen(message.id)}
      >
        <span className={sender ? 'row-from' : 'row-from placeholder'} data-testid="row-from">
          {sender ?? '(unknown sender)'}
        </span>
        <time className="row-time" dateTime={message.receivedAt}>
          {formatListTime(message.receivedAt)}
        </time>
        <span className={message.subject ? 'row-subject' : 'row-subject placeholder'} data-testid="row-subject">
          {message.subject || '(no subject)'}
        </span>
        <span className="row-meta">
          {message.attachmentCount > 0 && (
            <svg className="row-attachment" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
              <title>{`${message.attachmentCount} attachment(s)`}</title>
              <path d="M10.5 4.5 5.6 9.4a1.4 1.4 0 0 0 2 2l5-5a2.8 2.8 0 0 0-4-4l-5 5a4.2 4.2 0 0 0 6 6l4.4-4.4" />
            </svg>
          )}
          {formatSize(message.sizeBytes)}
        </span>
      </button>
    </li>
  );
});
