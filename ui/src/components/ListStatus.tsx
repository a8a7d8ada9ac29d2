import type { InboxSnapshot } from '../inbox-controller.js';

interface ListStatusProps {
  status: InboxSnapshot['status'];
  /** The failed request's message when `status` is `error`. */
  error: string | null;
  /** The search in the box (`''` for none). */
  query: string;
}

/** What the list pane says instead of rows: loading, a failed load or search, or no (matching) messages. */
export function ListStatus({ status, error, query }: ListStatusProps) {
  const searching = query.trim() !== '';
  if (status === 'loading') return <p className="placeholder view-message">Loading…</p>;
  if (status === 'error')
    return (
      <p className="error view-message" role="alert" data-testid="list-error">
        {searching ? 'Search failed' : 'Could not load messages'}: {error}
      </p>
    );
  return (
    <p className="placeholder view-message" data-testid="no-results">
      {searching ? `No messages match “${query}”.` : 'No messages.'}
    </p>
  );
}
