/** List-Unsubscribe of a stored message. STUB: implemented by the List-Unsubscribe check's author. */
import type { CheckInput } from './service.js';
import type { ListUnsubscribeCheck } from './types.js';

export async function checkListUnsubscribe(_input: CheckInput): Promise<ListUnsubscribeCheck> {
  return {};
}
