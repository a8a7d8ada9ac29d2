/**
 * `GET /api/messages/:id/checks/{auth,html,links,list-unsubscribe,spam}`: the per-message checks
 * (see `server/checks/`). `:id` may be `latest`. Reads never change the message. A check that is
 * off answers 409 `check_unavailable` naming the option that turns it on; an outside service that
 * fails (spamd) answers 502 `check_failed`.
 */
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { CheckFailedError, CheckUnavailableError } from '../checks/errors.js';
import { linkCheckUserAgent } from '../checks/links.js';
import type { CheckService } from '../checks/service.js';
import type { Store, StoredMessage } from '../core/store.js';
import { ApiError, parseInput } from './errors.js';
import { messageFromParams } from './message-param.js';

/** Query of `GET …/checks/auth`: `clientIp` overrides `--spf-client-ip` for this request. */
export const authCheckQuery = z
  .object({ clientIp: z.union([z.ipv4(), z.ipv6()], { message: 'expected an IPv4 or IPv6 address' }).optional() })
  .strict();

/**
 * Query of `GET …/checks/links`: `follow=false` reports redirects without following them;
 * `timeoutMs` (100–30000, default 10000) bounds each request the check makes.
 */
export const linkCheckQuery = z
  .object({
    follow: z.enum(['true', 'false', '1', '0']).optional().describe('Follow redirects (default true)'),
    timeoutMs: z.coerce.number({ message: 'expected a number of milliseconds' }).int('expected an integer').min(100).max(30_000).optional().describe('Timeout of each request in ms, 100–30000 (default 10000)'),
  })
  .strict();

/** Routes of the checks, mounted at `/api/messages`; `version` goes into the link check's `User-Agent`. */
export function checksRouter(store: Store, checks: CheckService, version = '0.0.0'): Router {
  const router = Router();
  const find = (req: Request): StoredMessage => messageFromParams(store, req);
  router.get('/:id/checks/auth', async (req, res) => {
    const message = find(req);
    const { clientIp } = parseInput(authCheckQuery, req.query, 'query');
    res.json(await checks.auth(message, clientIp ? { clientIp } : {}));
  });
  router.get('/:id/checks/html', async (req, res) => void res.json(await checks.html(find(req))));
  router.get('/:id/checks/list-unsubscribe', async (req, res) => void res.json(await checks.listUnsubscribe(find(req))));
  router.get('/:id/checks/links', async (req, res) => {
    const message = find(req);
    const { follow, timeoutMs } = parseInput(linkCheckQuery, req.query, 'query');
    const options = { userAgent: linkCheckUserAgent(version), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
    res.json(await checks.links(message, follow === undefined ? options : { ...options, follow: follow === 'true' || follow === '1' }));
  });
  router.get('/:id/checks/spam', async (req, res) => void res.json(await checks.spam(find(req))));
  router.use('/:id/checks', checkErrors);
  return router;
}

/** Turns check errors into API errors (409 off, 502 an outside service failed). */
export function checkErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if (err instanceof CheckUnavailableError) return next(new ApiError(409, 'check_unavailable', err.message));
  if (err instanceof CheckFailedError) return next(new ApiError(502, 'check_failed', err.message));
  next(err);
}
