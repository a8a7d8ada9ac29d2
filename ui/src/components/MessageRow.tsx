import { memo, useMemo } from 'react';
import type { MessageSummary } from '../../../server/contract.js';
import { formatDateTime, formatListTime, formatSize, recipientLabel, senderLabel, type RecipientLabel } from '../format.js';
import { Icon } from './Icon.js';
import { RowCheckbox, RowTags, rowClick, type RowSelect } from './RowSelect.js';

/** Height of one row in px: the virtual list positions rows by it (keep in sync with `.row` in styles.css). */
export const ROW_HEIGHT = 76;

/** DOM id of a message's row, for `aria-activedescendant`. */
export function rowDomId(id: string): string {
  return `message-row-${id}`;
}

interface MessageRowProps {
  message: MessageSummary;
  /** Index in the whole list (0 = newest). */
  index: number;
  setSize: number;
  selected: boolean;
  active: boolean;
  onOpen(id: string, index: number): void;
  /** Ticked for bulk actions. */
  checked?: boolean;
  /** Checkbox, shift-click (range) and ctrl/cmd-click (toggle without opening). */
  onSelect?: RowSelect;
  /** Click on a tag chip: search for the tag. */
  onFilterTag?(name: string): void;
}

/** The recipient as the row shows it: `dev@example.org`, `dev@example.org +2`. */
function recipientText(recipient: RecipientLabel): string {
  return recipient.more > 0 ? `${recipient.text ?? ''} +${recipient.more}` : (recipient.text ?? '');
}

function rowLabel(message: MessageSummary, sender: string | null, recipient: RecipientLabel): string {
  const parts = [
    message.read ? '' : 'Unread.',
    `From ${sender ?? 'unknown sender'}.`,
    recipient.text !== null ? `To ${recipientText(recipient)}${recipient.viaEnvelope ? ' (envelope)' : ''}.` : '',
    `Subject: ${message.subject || 'none'}.`,
    `Received ${formatDateTime(message.receivedAt)}, ${formatSize(message.sizeBytes)}.`,
    message.attachmentCount > 0 ? `${message.attachmentCount} attachment(s).` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/**
 * One inbox row (an ARIA option of the list box), absolutely positioned at its index. Everything
 * from the message is rendered as text. Memoised: bursts re-render only changed rows.
 */
export const MessageRow = memo(function MessageRow({ message, index, setSize, selected, active, onOpen, checked = false, onSelect, onFilterTag }: MessageRowProps) {
  const sender = senderLabel(message);
  // Formatting dates is the costly part of a row; rows re-render when mail above shifts them.
  const text = useMemo(() => {
    const recipient = recipientLabel(message);
    return {
      label: rowLabel(message, sender, recipient),
      time: formatListTime(message.receivedAt),
      title: formatDateTime(message.receivedAt),
      recipient,
    };
  }, [message, sender]);
  const className = ['row', message.read ? 'row-read' : 'row-unread', selected ? 'row-selected' : '', active ? 'row-active' : '', checked ? 'row-checked' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      id={rowDomId(message.id)}
      role="option"
      className={className}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="message-row"
      data-id={message.id}
      data-index={index}
      data-read={message.read ? 'true' : 'false'}
      data-checked={checked ? 'true' : 'false'}
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      aria-label={text.label}
      onMouseDown={(event) => event.shiftKey && event.preventDefault() /* no text selection on shift-click */}
      onClick={(event) => rowClick(event, message.id, index, onOpen, onSelect)}
    >
      <span className="row-dot" aria-hidden="true" />
      {onSelect && <RowCheckbox id={message.id} index={index} subject={message.subject} checked={checked} onSelect={onSelect} />}
      <span className={sender ? 'row-from' : 'row-from placeholder'} data-testid="row-from">
        {sender ?? '(unknown sender)'}
      </span>
      <time className="row-time" dateTime={message.receivedAt} title={text.title}>
        {text.time}
      </time>
      <span className={message.subject ? 'row-subject' : 'row-subject placeholder'} data-testid="row-subject">
        {message.subject || '(no subject)'}
      </span>
      <span className="row-meta">
        {message.tags.length > 0 && <RowTags tags={message.tags} onFilter={onFilterTag} />}
        {message.attachmentCount > 0 && (
          <span className="row-attachment" data-testid="row-attachment" title={`${message.attachmentCount} attachment(s)`}>
            <Icon name="paperclip" size={13} />
          </span>
        )}
        <span data-testid="row-size">{formatSize(message.sizeBytes)}</span>
      </span>
      <span className="row-snippet" data-testid="row-snippet">
        {message.snippet}
      </span>
      {text.recipient.text !== null && (
        <span
          className="row-to"
          data-testid="row-to"
          data-envelope={text.recipient.viaEnvelope ? 'true' : 'false'}
          title={`${text.recipient.viaEnvelope ? 'Envelope recipients' : 'To'}: ${text.recipient.title}`}
        >
          <span className="row-to-text">
            {text.recipient.viaEnvelope ? 'RCPT ' : 'To '}
            {text.recipient.text}
          </span>
          {text.recipient.more > 0 && <span className="row-to-more">{` +${text.recipient.more}`}</span>}
        </span>
      )}
    </div>
  );
});

/** A row whose page is still loading. */
export function PlaceholderRow({ index, setSize }: { index: number; setSize: number }) {
  return (
    <div
      role="option"
      className="row row-placeholder"
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="message-row-placeholder"
      data-index={index}
      aria-selected={false}
      aria-disabled="true"
      aria-posinset={index + 1}
      aria-setsize={setSize}
      aria-label="Loading…"
    >
      <span className="skeleton skeleton-from" />
      <span className="skeleton skeleton-subject" />
      <span className="skeleton skeleton-snippet" />
    </div>
  );
}
