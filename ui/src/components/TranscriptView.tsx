import { errorText, getTranscript } from '../api.js';
import { useAsync } from '../use-async.js';

const ARROWS = { client: 'C:', server: 'S:', note: '··' } as const;

/** The SMTP session that produced the message: commands and replies (AUTH secrets masked, no DATA bytes). */
export function TranscriptView({ id }: { id: string }) {
  const transcript = useAsync((signal) => getTranscript(id, signal), [id]);
  if (transcript.status === 'loading') return <p className="placeholder">Loading…</p>;
  if (transcript.status === 'error') return <p className="placeholder" data-testid="transcript">No SMTP transcript: {errorText(transcript.error)}</p>;
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
