/** Spam score of a stored message from SpamAssassin's spamd. STUB: implemented by the spam check's author. */
import { CheckUnavailableError } from './errors.js';
import type { CheckInput } from './service.js';
import type { CheckSettings } from './settings.js';
import type { SpamCheck } from './types.js';

export async function checkSpam(_input: CheckInput, settings: CheckSettings): Promise<SpamCheck> {
  if (!settings.spamassassin) throw new CheckUnavailableError('spam', 'no SpamAssassin configured: start mailsink with --spamassassin HOST:PORT (a spamd)');
  throw new CheckUnavailableError('spam', 'not built yet');
}
