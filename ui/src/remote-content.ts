/**
 * Remote content in message HTML: images, stylesheets, fonts and media on other servers. Mail
 * clients block it until asked, because loading it tells the sender that (and when, and from where)
 * the message was opened: tracking pixels. The message frame's CSP does the blocking (see
 * `html-srcdoc.ts`); this module counts what would load, for the "Load remote content" banner, and
 * removes resource hints (`dns-prefetch`, `preconnect` …), which no CSP governs.
 */

/** Attributes that load a resource when present on an element (links `<a href>` are not resources). */
const URL_ATTRIBUTES = ['src', 'background', 'poster', 'data', 'lowsrc', 'dynsrc', 'xlink:href'];
/** Elements whose `href` loads a resource (stylesheets and icons; SVG images, uses and filters). */
const HREF_ELEMENTS = new Set(['link', 'image', 'use', 'feimage']);
/** `<link rel>` values that only hint at a connection or fetch: removed from every message. */
const RESOURCE_HINTS = /(^|\s)(dns-prefetch|preconnect|prefetch|preload|modulepreload|prerender)(\s|$)/i;
/** CSS `url(…)` and `@import "…"` references. */
const CSS_URL = /url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3/gi;

/** Whether `value` resolved against `origin` is an http(s) URL on another origin. */
export function isRemoteUrl(value: string, origin: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '' || /^(data|blob|cid|about|javascript):/i.test(trimmed)) return false;
  try {
    const url = new URL(trimmed, origin === 'null' ? 'about:blank' : `${origin}/`);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== origin;
  } catch {
    return false;
  }
}

/** URLs of a `srcset` value (each candidate is a URL then an optional descriptor). */
function srcsetUrls(value: string): string[] {
  return value
    .split(/,\s+|,(?=\S)/)
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter((url) => url !== '');
}

/** URLs referenced by CSS text (`url(…)`, `@import`). */
export function cssUrls(css: string): string[] {
  return [...css.matchAll(CSS_URL)].map((match) => match[2] ?? match[4] ?? '').filter((url) => url !== '');
}

/** Every resource URL an element would load by itself (not counting its children). */
function elementUrls(element: Element): string[] {
  const urls: string[] = [];
  for (const name of URL_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value !== null) urls.push(value);
  }
  const srcset = element.getAttribute('srcset') ?? element.getAttribute('imagesrcset');
  if (srcset !== null) urls.push(...srcsetUrls(srcset));
  const href = element.getAttribute('href');
  if (href !== null && HREF_ELEMENTS.has(element.localName.toLowerCase())) urls.push(href);
  const style = element.getAttribute('style');
  if (style !== null) urls.push(...cssUrls(style));
  if (element.localName.toLowerCase() === 'style') urls.push(...cssUrls(element.textContent ?? ''));
  return urls;
}

/**
 * Removes resource hints from `doc` and counts the remote resources left in it (references, not
 * distinct URLs): what the frame blocks unless remote content is loaded.
 * @param origin - The inbox page's origin; URLs there (the rewritten `cid:` parts) are not remote.
 */
export function prepareRemoteContent(doc: Document, origin: string): number {
  for (const hint of doc.querySelectorAll('link[rel]')) {
    if (RESOURCE_HINTS.test(hint.getAttribute('rel') ?? '')) hint.remove();
  }
  let count = 0;
  for (const element of doc.querySelectorAll('*')) {
    for (const url of elementUrls(element)) if (isRemoteUrl(url, origin)) count += 1;
  }
  return count;
}
