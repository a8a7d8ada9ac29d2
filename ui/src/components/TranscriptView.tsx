import { ApiError, errorText, getTranscript } from '../api.js';
import { getSessionTranscript } from '../api-faults.js';
import { useAsync } from '../use-async.js';

const ARROWS = { client: 'C:', server: 'S:', note: '··' } as const;

/** Why there is no transcript to show: a session transcript's 404 means the sink no longer keeps it. */
function missingText(error: unknown, session: boolean): string {
  if (session && error instanceof ApiError && error.status === 404) return 'This transcript is gone: the sink no longer keeps this session.';
  return `No SMTP transcript: ${errorText(error)}`;
}

/**
 * An SMTP session's commands and replies (AUTH secrets masked, no DATA bytes): the one that produced
 * message `id`, or (with `session`) the session `id` itself, as a refused attempt's `transcriptId` names it.
 */
export function TranscriptView({ id, session = false }: { id: string; session?: boolean }) {
  const transcript = useAsync((signal) => (session ? getSessionTranscript(id, signal) : getTranscript(id, signal)), [id, session]);
  if (transcript.status === 'loading') return <p className="placeholder">Loading…</p>;
  if (transcript.status === 'error') return <p className="placeholder" data-testid="transcript">{missingText(transcript.error, session)}</p>;
  const { value } = transcript;
  return (
    <>
      <p className="placeholder">
        Session from {value.remoteAddress}:{value.remotePort} to port {value.localPort}
        {value.secure ? ' over TLS' : ', no TLS'}
        {value.droppedLines > 0 && `, ${value.droppedLines} more lines not kept`}
      </p>
      <pre className="raw-source" data-testid="transcript">
        {value.lines.map((line) => `${(line.offsetMs / 1000).toFixed(3).padStart(8)}  ${ARROWS[line.direction]} ${line.text}`).join('\n')}
      </pre>
    </>
  );
}
