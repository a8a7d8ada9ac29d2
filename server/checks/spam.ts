/**
 * Spam score of a stored message from SpamAssassin's spamd (`--spamassassin HOST:PORT`): the raw
 * bytes as received are sent with `REPORT` (see `spamd.ts`); a message larger than spamc's default
 * `--max-size` (500 KB) is not sent, as spamc does, and the result says so (`tooBig`).
 */
import { CheckUnavailableError } from './errors.js';
import type { CheckInput } from './service.js';
import type { CheckSettings } from './settings.js';
import { spamdAddress, spamdReport } from './spamd.js';
import type { SpamCheck } from './types.js';

/** Largest message sent to spamd, in bytes: spamc's default `--max-size` (500 KB). */
export const SPAM_MAX_SIZE_BYTES = 500 * 1024;
/** Time allowed for spamd's answer, in milliseconds. */
export const SPAMD_TIMEOUT_MS = 30_000;

/**
 * SpamAssassin's score and rules for a message.
 * @throws CheckUnavailableError without `--spamassassin`; CheckFailedError when spamd fails (refused, timeout, garbage).
 */
export async function checkSpam(input: CheckInput, settings: CheckSettings): Promise<SpamCheck> {
  if (!settings.spamassassin) throw new CheckUnavailableError('spam', 'no SpamAssassin configured: start mailsink with --spamassassin HOST:PORT (a spamd)');
  const { host, port } = settings.spamassassin;
  const raw = input.message.raw;
  const spamd = spamdAddress(host, port);
  const size = { sizeBytes: raw.length, maxSizeBytes: SPAM_MAX_SIZE_BYTES };
  if (raw.length > SPAM_MAX_SIZE_BYTES) return { spamd, score: 0, threshold: 0, isSpam: false, rules: [], ...size, tooBig: true };
  const { score, threshold, isSpam, rules } = await spamdReport({ host, port, timeoutMs: SPAMD_TIMEOUT_MS }, raw);
  return { spamd, score, threshold, isSpam, rules, ...size, tooBig: false };
}
