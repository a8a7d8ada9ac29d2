/** List-Unsubscribe of a stored message. STUB: implemented by the List-Unsubscribe check's author. */
import type { CheckInput } from './service.js';
import type { ListUnsubscribeCheck } from './types.js';

/** STUB: an absent header, in the agreed shape. */
export async function checkListUnsubscribe(_input: CheckInput): Promise<ListUnsubscribeCheck> {
  return { present: false, header: null, post: null, oneClick: false, uris: [], findings: [], ok: true };
}
