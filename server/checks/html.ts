/** HTML compatibility of a stored message. STUB: implemented by the HTML check's author. */
import type { CheckInput } from './service.js';
import type { HtmlCheck } from './types.js';

/** STUB: an empty result of the agreed shape. */
export async function checkHtml(_input: CheckInput): Promise<HtmlCheck> {
  return { hasHtml: false, score: 100, clients: [], findings: [], nodes: 0, errors: [], dataVersion: 'stub' };
}
