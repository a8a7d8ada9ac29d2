/**
 * Builds the `srcdoc` of the sandboxed iframe that shows a message's HTML body. Email HTML is
 * hostile: the iframe has no `allow-scripts` and no `allow-same-origin` (an opaque origin in which
 * nothing runs), and the document gets a strict CSP (no scripts, frames, objects, forms or
 * connections; images, styles and fonts only, and those only from the sink unless remote content is
 * loaded), no referrer, and a base that resolves the server's
 * attachment URLs (the rewritten `cid:` images) against the page origin and opens links in a new
 * tab. Every link also gets `rel="noopener noreferrer"`, so an opened page has no `window.opener`.
 *
 * The HTML is parsed with `DOMParser` into an inert document (no script runs, nothing loads), the
 * links and head are adjusted there, and the result is serialised again.
 */
import { prepareRemoteContent } from './remote-content.js';

/**
 * The Content-Security-Policy of message HTML; `origin` is the mailsink page origin. Images, fonts
 * and media load from `data:`, `blob:` and the sink's message URLs (the rewritten `cid:` parts)
 * only, styles inline only, unless `remote` is set: then from any http(s) server too. Script,
 * frames, objects, forms and connections never; a `<base>` only on the sink's origin (our own).
 */
export function messageHtmlCsp(origin: string, remote = false): string {
  const self = origin === 'null' ? '' : ` ${origin}/api/messages/`;
  const web = remote ? ' http: https:' : '';
  return [
    "default-src 'none'",
    `img-src data: blob:${self}${web}`,
    `style-src 'unsafe-inline'${web}`,
    `font-src data:${self}${web}`,
    `media-src data: blob:${self}`,
    "form-action 'none'",
    `base-uri${origin === 'null' ? " 'none'" : ` ${origin}/`}`,
  ].join('; ');
}

/** A message's `srcdoc`, and how many remote resources it references (blocked unless `remote`). */
export interface SrcDoc {
  srcDoc: string;
  remoteCount: number;
}

function meta(doc: Document, attributes: Record<string, string>): HTMLMetaElement {
  const element = doc.createElement('meta');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/**
 * `srcdoc` for `html`, with relative URLs resolving against `pageUrl`'s origin (the message's own
 * `<base>` is removed). Remote content is blocked by the CSP unless `remote`; see `remote-content.ts`.
 */
export function buildSrcDoc(html: string, pageUrl: string, remote = false): SrcDoc {
  const page = new URL(pageUrl);
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const element of doc.querySelectorAll('base, meta[http-equiv]')) element.remove();
  const remoteCount = prepareRemoteContent(doc, page.origin);
  for (const link of doc.querySelectorAll('a[href], area[href]')) {
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
  }
  const base = doc.createElement('base');
  base.setAttribute('href', new URL('/', page).href);
  base.setAttribute('target', '_blank');
  doc.head.prepend(
    meta(doc, { 'http-equiv': 'Content-Security-Policy', content: messageHtmlCsp(page.origin, remote) }),
    meta(doc, { name: 'referrer', content: 'no-referrer' }),
    meta(doc, { name: 'color-scheme', content: 'light' }),
    base,
  );
  return { srcDoc: `<!doctype html>${doc.documentElement.outerHTML}`, remoteCount };
}
