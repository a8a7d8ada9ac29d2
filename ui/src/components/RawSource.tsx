import { errorText, getMessageRaw } from '../api.js';
import { useAsync } from '../use-async.js';

/** Longest raw source shown inline; the download link has the full bytes. */
const MAX_SHOWN_CHARS = 2_000_000;

/** The raw message as received (decoded as UTF-8 for display only). */
export function RawSource({ id }: { id: string }) {
  const raw = useAsync((signal) => getMessageRaw(id, signal), [id]);
  if (raw.status === 'loading') return <p className="placeholder">Loading…</p>;
  if (raw.status === 'error') return <p className="error">Could not load the raw source: {errorText(raw.error)}</p>;
  const truncated = raw.value.length > MAX_SHOWN_CHARS;
  return (
    <>
      {truncated && <p className="placeholder">Showing the first 2 MB; download the .eml for the rest.</p>}
      <pre className="raw-source" data-testid="raw-source">
        {truncated ? raw.value.slice(0, MAX_SHOWN_CHARS) : raw.value}
      </pre>
    </>
  );
}
