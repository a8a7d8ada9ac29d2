import { useMemo } from 'react';
import { errorText, getMessageHtml } from '../api.js';
import { buildSrcDoc } from '../html-srcdoc.js';
import { useAsync } from '../use-async.js';

/**
 * The HTML body in a sandboxed iframe: no `allow-scripts`, no `allow-same-origin`; links open in
 * a new, unsandboxed tab. See {@link buildSrcDoc} for the CSP inside the frame.
 */
export function HtmlFrame({ id }: { id: string }) {
  const html = useAsync((signal) => getMessageHtml(id, signal), [id]);
  const srcDoc = useMemo(
    () => (html.status === 'ready' ? buildSrcDoc(html.value, window.location.href) : null),
    [html],
  );
  if (html.status === 'error') return <p className="error">Could not load the HTML body: {errorText(html.error)}</p>;
  if (srcDoc === null) return <p className="placeholder">Loading…</p>;
  return (
    <iframe
      className="html-frame"
      data-testid="html-frame"
      title="HTML body of the message"
      sandbox="allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={srcDoc}
    />
  );
}
