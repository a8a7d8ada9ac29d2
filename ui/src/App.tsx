import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageSummary } from '../../server/contract.js';
import { deleteAllMessages, deleteMessage, errorText } from './api.js';
import { ConnectionStatus } from './components/ConnectionStatus.js';
import { EmptyState } from './components/EmptyState.js';
import { MessageList } from './components/MessageList.js';
import { MessageView } from './components/MessageView.js';
import { countUnread } from './inbox-state.js';
import { useHashSelection } from './use-hash-selection.js';
import { useInbox } from './use-inbox.js';

/** The message to select after `id` is deleted: the next older one, else the next newer one. */
function neighbourOf(messages: readonly MessageSummary[], id: string): string | null {
  const index = messages.findIndex((message) => message.id === id);
  if (index < 0) return null;
  return (messages[index + 1] ?? messages[index - 1])?.id ?? null;
}

function useDocumentTitle(unread: number): void {
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) mailsink` : 'mailsink';
  }, [unread]);
}

export function App() {
  const [selectedId, select] = useHashSelection();
  const [notice, setNotice] = useState<string | null>(null);
  const selectedRef = useRef(selectedId);
  useEffect(() => {
    selectedRef.current = selectedId;
  });

  const inbox = useInbox((removed) => {
    const current = selectedRef.current;
    if (current !== null && (removed === 'all' || removed.includes(current))) select(null, { replace: true });
  });
  const { state, connection } = inbox;
  useDocumentTitle(countUnread(state.messages));

  /** Without a live event stream the deletion would not show up: refetch instead. */
  const afterChange = () => {
    if (connection.status !== 'open') inbox.resync();
  };
  const handleDelete = (id: string) => {
    select(neighbourOf(state.messages, id), { replace: true });
    deleteMessage(id).then(afterChange, (error: unknown) => setNotice(`Could not delete: ${errorText(error)}`));
  };
  const handleDeleteAll = () => {
    if (!window.confirm(`Delete all ${state.total} messages? This cannot be undone.`)) return;
    select(null, { replace: true });
    deleteAllMessages().then(afterChange, (error: unknown) => setNotice(`Could not delete: ${errorText(error)}`));
  };
  const openMessage = useCallback((id: string) => select(id), [select]);

  const isEmpty = state.messages.length === 0 && state.status !== 'loading';
  const summary = state.messages.find((message) => message.id === selectedId);

  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">mailsink</h1>
        <ConnectionStatus connection={connection} />
        <span className="topbar-count" data-testid="message-count">
          {state.total} {state.total === 1 ? 'message' : 'messages'}
          {state.total > state.messages.length && ` (newest ${state.messages.length} shown)`}
        </span>
        <button
          type="button"
          className="danger"
          data-testid="delete-all-button"
          disabled={state.total === 0}
          onClick={handleDeleteAll}
        >
          Delete all
        </button>
      </header>
      {state.status === 'error' && (
        <div className="banner error" role="alert">
          Could not load messages: {state.error}{' '}
          <button type="button" onClick={inbox.resync}>
            Retry
          </button>
        </div>
      )}
      {notice !== null && (
        <div className="banner warning" role="alert">
          {notice}{' '}
          <button type="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      {isEmpty && selectedId === null ? (
        <main className="single-pane">
          <EmptyState />
        </main>
      ) : (
        <main className="panes">
          <nav className="list-pane" aria-label="Inbox">
            {state.status === 'loading' && state.messages.length === 0 ? (
              <p className="placeholder view-message">Loading…</p>
            ) : (
              <MessageList messages={state.messages} selectedId={selectedId} onOpen={openMessage} />
            )}
          </nav>
          <section className="view-pane" aria-label="Selected message">
            {selectedId === null ? (
              <p className="placeholder view-message">Select a message to read it.</p>
            ) : (
              <MessageView
                key={selectedId}
                id={selectedId}
                summary={summary}
                onUpdated={inbox.upsert}
                onDelete={handleDelete}
                onError={setNotice}
              />
            )}
          </section>
        </main>
      )}
    </div>
  );
}
