/**
 * Link extraction for tests that follow a link in a mail (password reset, sign-up confirmation):
 * every `href` of `<a>` and `<area>` in the HTML body, then every `http(s)://` URL in the text
 * body, each URL once, in order of first appearance, with the anchor text of its first HTML link.
 */
import type { MessageLink } from '../contract.js';
import { decodeEntities, htmlToText } from './html-text.js';

const ANCHOR = /<(a|area)\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)(?:<\/\1\s*>|(?=<a(?:rea)?\b)|$)/gi;
const HREF = /(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
const TEXT_URL = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TAG = /<([a-z][\w-]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;

/**
 * Finds the links of a message.
 * @param html - HTML body as written (`null` when none).
 * @param text - Text body (`null` when none).
 * @returns Every distinct URL; fragment-only (`#top`), `javascript:` and `cid:` references are skipped.
 */
export function extractLinks(html: string | null, text: string | null): MessageLink[] {
  const links = new Map<string, MessageLink>();
  const add = (url: string, label: string, source: 'html' | 'text') => {
    const existing = links.get(url);
    if (!existing) links.set(url, { url, text: label, sources: [source] });
    else if (!existing.sources.includes(source)) existing.sources.push(source);
  };
  for (const { url, label } of htmlLinks(html ?? '')) add(url, label, 'html');
  for (const url of textUrls(text ?? '')) add(url, '', 'text');
  return [...links.values()];
}

/**
 * Finds the image URLs of an HTML body (for the link check): the `src` of every `<img>` and the
 * `background` attribute of any element, each once, in order of appearance, as written (character
 * references decoded). `cid:`, `data:` and `javascript:` references and empty values are skipped.
 */
export function extractImages(html: string | null): string[] {
  const urls = new Set<string>();
  for (const [, tag = '', attributes = ''] of (html ?? '').replace(/<!--[\s\S]*?-->/g, '').matchAll(TAG)) {
    const candidates = [tag.toLowerCase() === 'img' ? attribute(attributes, 'src') : '', attribute(attributes, 'background')];
    for (const url of candidates) if (url && !url.startsWith('#') && !/^(javascript|cid|data):/i.test(url)) urls.add(url);
  }
  return [...urls];
}

function htmlLinks(html: string): { url: string; label: string }[] {
  const out: { url: string; label: string }[] = [];
  const visible = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const match of visible.matchAll(ANCHOR)) {
    const [, tag, attributes = '', inner = ''] = match;
    const href = HREF.exec(attributes);
    const url = decodeEntities((href?.[1] ?? href?.[2] ?? href?.[3] ?? '').trim());
    if (!url || url.startsWith('#') || /^(javascript|cid|data):/i.test(url)) continue;
    const label = tag!.toLowerCase() === 'area' ? attribute(attributes, 'alt') : htmlToText(inner) || imageAlt(inner);
    out.push({ url, label });
  }
  return out;
}

function imageAlt(inner: string): string {
  const img = /<img\b((?:[^>"']|"[^"]*"|'[^']*')*)>/i.exec(inner);
  return img ? attribute(img[1] ?? '', 'alt') : '';
}

function attribute(attributes: string, name: string): string {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attributes);
  return decodeEntities(match?.[1] ?? match?.[2] ?? match?.[3] ?? '').replace(/\s+/g, ' ').trim();
}

/** URLs in plain text; trailing sentence punctuation and unbalanced closing brackets are not part of them. */
function textUrls(text: string): string[] {
  return Array.from(text.matchAll(TEXT_URL), ([raw]) => trimUrl(raw));
}

function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1);
    if (last && '.,;:!?'.includes(last)) url = url.slice(0, -1);
    else if (last && ')]}'.includes(last) && count(url, last) > count(url, { ')': '(', ']': '[', '}': '{' }[last]!)) url = url.slice(0, -1);
    else return url;
  }
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
