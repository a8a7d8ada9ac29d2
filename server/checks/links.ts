/** Link check of a stored message. STUB: implemented by the link check's author. */
import { CheckUnavailableError } from './errors.js';
import type { CheckInput } from './service.js';
import type { CheckSettings } from './settings.js';
import type { LinkCheck } from './types.js';

/** Per-request options of the link check. */
export interface LinkOptions {
  /** Follow redirects (default true). */
  follow?: boolean;
}

export async function checkLinks(_input: CheckInput, settings: CheckSettings, _options: LinkOptions): Promise<LinkCheck> {
  if (!settings.linkCheck) throw new CheckUnavailableError('links', 'the link check is off: start mailsink with --enable-link-check (MAILSINK_ENABLE_LINK_CHECK=true) to let it fetch the URLs a message names');
  throw new CheckUnavailableError('links', 'not built yet');
}
