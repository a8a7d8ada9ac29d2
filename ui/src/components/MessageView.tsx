import { useEffect, useState } from 'react';
import type { MessageDetail, MessageSummary } from '../../../server/contract.js';
import { ApiError, errorText, getMessage, rawDownloadPath, setMessageRead } from '../api.js';
import { useAsync } from '../use-async.js';
import { MessageHeader } from './MessageHeader.js';
import { MessageTabs } from './MessageTabs.js';

interface MessageViewProps {
  id: string;
  /** The list's summary of this message, when it is in the list (kept live by events). */
  summary: MessageSummary | undefined;
  onUpdated(message: MessageSummary): void;
  onDelete(id: string): void;
  onError(message: string): void;
}

/** The selected message. Mount it with `key={id}`: it loads the detail once per id. */
export function MessageView({ id, ...rest }: MessageViewProps) {
  const detail = useAsync((signal) => getMessage(id, signal), [id]);
  if (detail.status === 'loading') return <p className="placeholder view-message">Loading…</p>;
  if (detail.status === 'error') {
    const gone = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <p className={gone ? 'placeholder view-message' : 'error view-message'}>
        {gone ? 'This message no longer exists.' : `Could not load the message: ${errorText(detail.error)}`}
      </p>
    );
  }
  return <LoadedMessage detail={detail.value} {...rest} />;
}

type LoadedMessageProps = Omit<MessageViewProps, 'id'> & { detail: MessageDetail };

/** Marks the message read when opened (the GET itself never does), and offers the actions. */
function LoadedMessage({ detail, summary, onUpdated, onDelete, onError }: LoadedMessageProps) {
  const [readHere, setReadHere] = useState(detail.read);
  const read = summary?.read ?? readHere;

  const changeRead = (next: boolean) => {
    setMessageRead(detail.id, next).then(
      (updated) => {
        setReadHere(updated.read);
        onUpdated(updated);
      },
      (error: unknown) => onError(`Could not mark the message ${next ? 'read' : 'unread'}: ${errorText(error)}`),
    );
  };

  useEffect(() => {
    if (!detail.read) changeRead(true);
    // Once per opened message: a later "Mark unread" must not be undone.
  }, [detail.id]);

  return (
    <article className="message-view" aria-label="Message">
      <div className="toolbar" role="toolbar" aria-label="Message actions">
        <button type="button" onClick={() => changeRead(!read)} data-testid="toggle-read-button">
          {read ? 'Mark unread' : 'Mark read'}
        </button>
        <a className="button" href={rawDownloadPath(detail.id)} download={`${detail.id}.eml`} data-testid="download-eml">
          Download .eml
        </a>
        <button type="button" className="danger" onClick={() => onDelete(detail.id)} data-testid="delete-button">
          Delete
        </button>
      </div>
      <MessageHeader detail={detail} />
      <MessageTabs detail={detail} />
    </article>
  );
}
