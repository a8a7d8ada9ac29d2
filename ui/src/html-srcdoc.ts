/**
 * Builds the `srcdoc` of the sandboxed iframe that shows a message's HTML body. Email HTML is
 * hostile: the iframe has no `allow-scripts` and no `allow-same-origin` (an opaque origin in which
 * nothing runs), and the document gets a strict CSP (no scripts, frames, objects, forms or
 * connections; images, styles and fonts only), no referrer, and a base that resolves the server's
 * attachment URLs (the rewritten `cid:` images) against the page origin and opens links in a new
 * tab. Every link also gets `rel="noopener noreferrer"`, so an opened page has no `window.opener`.
 *
 * The HTML is parsed with `DOMParser` into an inert document (no script runs, nothing loads), the
 * links and head are adjusted there, and the result is serialised again.
 */

/** The Content-Security-Policy of message HTML; `origin` is the mailsink page origin (for inline `cid:` images). */
export function messageHtmlCsp(origin: string): string {
  const self = origin === 'null' ? '' : ` ${origin}`;
  return [
    "default-src 'none'",
    `img-src http: https: data: blob:${self}`,
    "style-src 'unsafe-inline' http: https:",
    'font-src http: https: data:',
    "form-action 'none'",
    `base-uri${self || " 'none'"}`,
  ].join('; ');
}

function meta(doc: Document, attributes: Record<string, string>): HTMLMetaElement {
  const element = doc.createElement('meta');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** `srcdoc` for `html`, with relative URLs resolving against `pageUrl`'s origin. */
export function buildSrcDoc(html: string, pageUrl: string): string {
  const page = new URL(pageUrl);
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const element of doc.querySelectorAll('base, meta[http-equiv]')) element.remove();
  for (const link of doc.querySelectorAll('a[href], area[href]')) {
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
  }
  const base = doc.createElement('base');
  base.setAttribute('href', new URL('/', page).href);
  base.setAttribute('target', '_blank');
  doc.head.prepend(
    meta(doc, { 'http-equiv': 'Content-Security-Policy', content: messageHtmlCsp(page.origin) }),
    meta(doc, { name: 'referrer', content: 'no-referrer' }),
    meta(doc, { name: 'color-scheme', content: 'light' }),
    base,
  );
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}
