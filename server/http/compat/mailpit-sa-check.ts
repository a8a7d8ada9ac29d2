/**
 * Mailpit API v1 SpamAssassin check (server/apiv1/other.go `SpamAssassinCheck`,
 * internal/spamassassin): `GET /api/v1/message/{ID}/sa-check` → `{IsSpam, Error, Score, Rules}`, on
 * the sink's spam check (`CheckService.spam`). As in Mailpit: without `--spamassassin` the route
 * does not exist (404 `404 page not found`); when spamd fails the answer is still 200, with the
 * reason in `Error`, score 0 and `Rules: null`; scores are read as 32-bit floats and cut (not
 * rounded) to one decimal, and `IsSpam` is `Score >= 5` whatever spamd's threshold.
 */
import { Router } from 'express';
import { CheckFailedError } from '../../checks/errors.js';
import type { SpamCheck } from '../../checks/types.js';
import { ApiError } from '../errors.js';
import type { CompatDeps } from './deps.js';
import { mailpitFind } from './mailpit-link-check.js';

/** Mailpit's `SpamAssassinResponse`. */
export interface MailpitSpamAssassin {
  IsSpam: boolean;
  Error: string;
  Score: number;
  Rules: { Score: number; Name: string; Description: string }[] | null;
}

/** Mailpit's fixed spam score. */
const MAILPIT_SPAM_SCORE = 5;

/** `GET /api/v1/message/:id/sa-check`. */
export function mailpitSaCheckRouter(deps: CompatDeps): Router {
  const router = Router();
  router.get('/api/v1/message/:id/sa-check', async (req, res) => {
    if (!deps.checks.settings.spamassassin) throw new ApiError(404, 'not_found', '404 page not found');
    const message = await mailpitFind(deps, req, 'Message not found');
    try {
      res.json(toMailpitSpamAssassin(await deps.checks.spam(message)));
    } catch (err) {
      if (!(err instanceof CheckFailedError)) throw err;
      res.json({ IsSpam: false, Error: err.message, Score: 0, Rules: null } satisfies MailpitSpamAssassin);
    }
  });
  return router;
}

/** The sink's spam check in Mailpit's shape. */
export function toMailpitSpamAssassin(check: SpamCheck): MailpitSpamAssassin {
  if (check.tooBig) return { IsSpam: false, Error: `message of ${check.sizeBytes} bytes is larger than ${check.maxSizeBytes}: not sent to spamd (as spamc)`, Score: 0, Rules: null };
  return {
    IsSpam: Math.fround(check.score) >= MAILPIT_SPAM_SCORE,
    Error: '',
    Score: cut(check.score),
    Rules: check.rules.map((rule) => ({ Score: cut(rule.score), Name: rule.name, Description: rule.description })),
  };
}

/** Mailpit's `round1dm` of a 32-bit parse: floor(x × 10) / 10 (so 2.3 becomes 2.2, as Mailpit shows it). */
function cut(value: number): number {
  return Math.floor(Math.fround(value) * 10) / 10 + 0;
}
