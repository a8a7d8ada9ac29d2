/**
 * Builds the `srcdoc` of the sandboxed iframe that shows a message's HTML body. Email HTML is
 * hostile: the iframe has no `allow-scripts` and no `allow-same-origin`, and this prefix adds a CSP
 * (no scripts, no frames, no connections; images, styles and fonts only), no referrer, and a base
 * that resolves the server's relative attachment URLs against the page origin and opens links in a
 * new tab.
 */

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content-Security-Policy of message HTML; `origin` is the mailsink page origin (for inline `cid:` images). */
export function messageHtmlCsp(origin: string): string {
  const self = origin === 'null' ? '' : ` ${origin}`;
  return [
    "default-src 'none'",
    `img-src http: https: data: blob:${self}`,
    "style-src 'unsafe-inline' http: https:",
    'font-src http: https: data:',
  ].join('; ');
}

/** `srcdoc` for `html`, with relative URLs resolving against `pageUrl`'s origin. */
export function buildSrcDoc(html: string, pageUrl: string): string {
  const page = new URL(pageUrl);
  const base = new URL('/', page).href;
  return (
    '<!doctype html>' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(messageHtmlCsp(page.origin))}">` +
    '<meta name="referrer" content="no-referrer">' +
    `<base href="${escapeAttribute(base)}" target="_blank">` +
    html
  );
}
