/**
 * One-time codes of a message, found in the browser with the same finder as `client.codes()`
 * (`server/client-errors.ts`): in the text body, or the HTML body's text when there is none.
 */
import { findCodes } from '../../server/client-errors.js';
import type { MessageDetail } from '../../server/contract.js';

/**
 * The text of an HTML body. `DOMParser` builds an inert document: no script runs and nothing is
 * fetched, so hostile HTML is safe to read this way; only `textContent` is taken from it.
 */
export function htmlText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const node of doc.querySelectorAll('script, style, head')) node.remove();
  return doc.body?.textContent ?? '';
}

/** Standalone 6-digit codes of the message, each once, in order. */
export function messageCodes(detail: Pick<MessageDetail, 'text' | 'html'>): string[] {
  const text = detail.text ?? (detail.html === null ? '' : htmlText(detail.html));
  return findCodes(text);
}
