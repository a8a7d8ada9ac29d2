/**
 * The two routes Mailpit and MailHog both define with different answers: `GET /api/v1/messages`
 * (Mailpit: a `MessagesSummary` object; MailHog: a JSON array of messages) and
 * `DELETE /api/v1/messages` (Mailpit: `200 ok` text/plain, `{IDs}` optional; MailHog: `200` with an
 * empty body, which the `mailhog` npm client needs: it JSON-parses any body it gets).
 *
 * Telling the clients apart ({@link dialectOf}): Mailpit's clients (`mailpit-api` over `fetch`,
 * `cypress-mailpit` over `cy.request`) send `Accept` and `User-Agent` headers, and `start`/`limit`
 * on every list; the `mailhog` client uses Node's bare `http.request`, which sends neither header,
 * no parameters and no body. `?dialect=mailhog|mailpit` (or the `X-Mailsink-Dialect` header)
 * overrides the guess for any other client.
 */
import type { Request, RequestHandler, Router } from 'express';
import type { CompatDeps } from './deps.js';

/** Which server a request was written for. */
export type Dialect = 'mailpit' | 'mailhog';

/** MailHog's side of the shared routes (from `mailhog.ts`). */
export interface MailhogDialect {
  /** MailHog's own routes (`/api/v2/*`, `/api/v1/messages/:id` …); `null` until merged. */
  router: Router | null;
  /** `DELETE /api/v1/messages` as MailHog answers it. */
  deleteAll: RequestHandler;
  /** `GET /api/v1/messages` as MailHog answers it. */
  listV1: RequestHandler;
}

const MAILPIT_PARAMS = ['start', 'limit', 'before', 'tz', 'query'];

/** The dialect of a request to a shared route (see the module comment for the rules). */
export function dialectOf(req: Request): Dialect {
  const forced = String(req.query['dialect'] ?? req.get('x-mailsink-dialect') ?? '').toLowerCase();
  if (forced === 'mailhog' || forced === 'mailpit') return forced;
  if (MAILPIT_PARAMS.some((name) => req.query[name] !== undefined)) return 'mailpit';
  if (Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined || req.is('application/json')) return 'mailpit';
  if (req.get('accept') === undefined && req.get('user-agent') === undefined) return 'mailhog';
  return 'mailpit';
}

/** A handler that answers each dialect with its own server's handler. */
export function dispatch(handlers: Record<Dialect, RequestHandler>): RequestHandler {
  return (req, res, next) => {
    const dialect = dialectOf(req);
    res.locals['dialect'] = dialect;
    handlers[dialect](req, res, next);
  };
}
