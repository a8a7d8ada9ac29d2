/**
 * Mailpit API v1 link check (server/apiv1/other.go `LinkCheck`, internal/linkcheck):
 * `GET /api/v1/message/{ID}/link-check?follow=true|1` → `{Errors, Links: [{URL, StatusCode, Status}]}`,
 * on the sink's own link check (`CheckService.links`). As in Mailpit: redirects are followed only
 * with `follow=true` or `1`; `StatusCode` is 0 and `Status` a short error when no answer came;
 * `Status` is the standard reason phrase otherwise; `Errors` counts codes 0 and ≥ 400. Unlike
 * Mailpit the check is off unless `--enable-link-check` (400 plain text, as Mailpit answers a
 * disabled feature), it falls back to GET when HEAD is refused and follows up to 10 redirects.
 */
import { STATUS_CODES } from 'node:http';
import { Router } from 'express';
import type { Request } from 'express';
import { CheckUnavailableError } from '../../checks/errors.js';
import { linkCheckUserAgent } from '../../checks/links.js';
import type { LinkCheck } from '../../checks/types.js';
import type { StoredMessage } from '../../core/store.js';
import { ApiError } from '../errors.js';
import type { CompatDeps } from './deps.js';
import { mailpitMatches, queryText } from './mailpit-messages.js';

/** Mailpit's `LinkCheckResponse`. */
export interface MailpitLinkCheck {
  Errors: number;
  Links: { URL: string; StatusCode: number; Status: string }[];
}

/** The message of `:id` (or `latest`, with `?query=`), ready; 404 `404 page not found` (Mailpit's text) when none. */
export async function mailpitFind(deps: CompatDeps, req: Request, latestMissing = '404 page not found'): Promise<StoredMessage> {
  const id = String(req.params['id']);
  const message = id === 'latest' ? (await mailpitMatches(deps, queryText(req, 'query'), queryText(req, 'tz')))[0] : deps.store.get(id);
  if (!message) throw new ApiError(404, 'not_found', id === 'latest' ? latestMissing : '404 page not found', 'id');
  await deps.parsing.ready([message]);
  return message;
}

/** `GET /api/v1/message/:id/link-check`. */
export function mailpitLinkCheckRouter(deps: CompatDeps): Router {
  const router = Router();
  router.get('/api/v1/message/:id/link-check', async (req, res) => {
    const message = await mailpitFind(deps, req);
    const follow = req.query['follow'] === 'true' || req.query['follow'] === '1';
    try {
      res.json(toMailpitLinkCheck(await deps.checks.links(message, { follow, userAgent: linkCheckUserAgent(deps.version) })));
    } catch (err) {
      if (err instanceof CheckUnavailableError) throw new ApiError(400, 'check_unavailable', err.message);
      throw err;
    }
  });
  return router;
}

/** The sink's link check in Mailpit's shape. */
export function toMailpitLinkCheck(check: LinkCheck): MailpitLinkCheck {
  const Links = check.links.map((link) => {
    const StatusCode = link.error === null && link.status !== null ? link.status : 0;
    return { URL: link.url, StatusCode, Status: StatusCode === 0 ? link.statusText : (STATUS_CODES[StatusCode] ?? '') };
  });
  return { Errors: Links.filter((link) => link.StatusCode === 0 || link.StatusCode >= 400).length, Links };
}
