/**
 * The MailHog dialect (API v1 and v2 of `mailhog/MailHog-Server`), so suites written for MailHog
 * (the `mailhog` npm client, cypress-mailhog, raw HTTP) run against mailsink unchanged. Shapes are
 * in `mailhog-view.ts`, release in `mailhog-release.ts`.
 *
 * Followed from MailHog: newest first; `start` defaults to 0, `limit` to 50 and is capped at 250
 * (values that are not positive integers fall back to those defaults); `{ total, count, start, items }`;
 * search `kind=from|to|containing`, a case-insensitive substring of the envelope address or the
 * `From`/`To` field (from, to), or of any header value or the raw body (containing); `Content-Type`
 * `text/json` (search: `application/json`); deletes answer `200` with an empty body.
 *
 * Deliberate differences: an unknown id gets `404` JSON (MailHog: `200 null`, or `500`); `/download`
 * sends the exact bytes received (MailHog rebuilt them from its header map); a part download is
 * served as an attachment with a cleaned name, its declared type and a sandbox CSP rather than with
 * every header of the part; a page starting at or past the end has no items.
 */
import { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { safeFilename } from '../../core/filename.js';
import type { StoredMessage } from '../../core/store.js';
import { ApiError } from '../errors.js';
import type { CompatDeps } from './deps.js';
import { mailhogReleaseRoutes } from './mailhog-release.js';
import { headerValue, mailhogMessage, mailhogPart, mailhogSearchText } from './mailhog-view.js';
import type { MailhogMessage } from './mailhog-view.js';

/** MailHog's paging defaults and cap (`getStartLimit` in `api/v2.go`). */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 250;
/** `GET /api/v1/messages` lists this many, newest first (MailHog: `List(0, 1000)`). */
const V1_LIST_LIMIT = 1000;

/** CSP for part bytes: nothing in them runs in the sink's origin. */
const PART_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox";

/** `GET /api/v2/messages` and `/api/v2/search` answer this. */
export interface MailhogMessages {
  /** Messages stored (list) or matching (search). */
  total: number;
  /** `items.length`. */
  count: number;
  start: number;
  items: MailhogMessage[];
}

/**
 * The MailHog routes that no other dialect claims, with full paths (mount with `app.use(router)`
 * after the body parsers and auth, before the `/api` 404): `GET /api/v2/messages`,
 * `GET /api/v2/search`, `GET /api/v2/outgoing-smtp`, `GET|DELETE /api/v1/messages/:id`,
 * `GET /api/v1/messages/:id/download`, `GET /api/v1/messages/:id/mime/part/:n/download`,
 * `POST /api/v1/messages/:id/release`. An id may carry MailHog's `@host` suffix.
 *
 * @throws (to the error middleware) ApiError 404 `not_found` for an unknown id or part,
 *   400 `invalid_request` naming `kind` or `query` for a bad search, and release errors.
 */
export function createMailhogRouter(deps: CompatDeps): Router {
  const { store } = deps;
  const router = Router();
  router.get('/api/v2/messages', (req, res) => {
    const { start, limit } = paging(req);
    const items = store.page(start, limit);
    sendJson(res, 'text/json', { total: store.size, count: items.length, start, items: items.map(mailhogMessage) } satisfies MailhogMessages);
  });
  router.get('/api/v2/search', (req, res) => {
    const { start, limit } = paging(req);
    const matches = store.newestFirst().filter(searchPredicate(req));
    const items = matches.slice(start, start + limit).map(mailhogMessage);
    sendJson(res, 'application/json', { total: matches.length, count: items.length, start, items } satisfies MailhogMessages);
  });
  const release = mailhogReleaseRoutes(deps, (req) => find(deps, req));
  router.get('/api/v2/outgoing-smtp', release.outgoing);
  router.get('/api/v1/messages/:id', (req, res) => sendJson(res, 'text/json', mailhogMessage(find(deps, req))));
  router.delete('/api/v1/messages/:id', async (req, res) => {
    await store.delete([find(deps, req).id]);
    sendEmpty(res);
  });
  router.get('/api/v1/messages/:id/download', (req, res) => {
    const message = find(deps, req);
    res.setHeader('Content-Disposition', `attachment; filename="${message.id}.eml"`); // ids are base64url: nothing to escape
    sendBytes(res, 'message/rfc822', message.raw);
  });
  router.get('/api/v1/messages/:id/mime/part/:n/download', (req, res) => {
    const message = find(deps, req);
    const n = String(req.params['n']);
    const part = /^\d+$/.test(n) ? mailhogPart(message, Number(n)) : null;
    if (!part) throw new ApiError(404, 'not_found', `message "${message.id}" has no MIME part ${n} (parts count from 0, as in MailHog)`, 'n');
    sendPart(res, message, n, part);
  });
  router.post('/api/v1/messages/:id/release', ...release.release);
  return router;
}

/**
 * MailHog's `GET /api/v1/messages`: a JSON array of up to 1000 messages, newest first. Mailpit
 * answers the same path differently; the caller decides which client is asking.
 */
export function mailhogListV1(deps: CompatDeps): RequestHandler {
  return (_req, res) => sendJson(res, 'text/json', deps.store.page(0, V1_LIST_LIMIT).map(mailhogMessage));
}

/**
 * MailHog's `DELETE /api/v1/messages`: deletes every message (`store.cleared`), `200` with an empty
 * body (`Content-Type: text/json`), which the `mailhog` client takes as success.
 */
export function mailhogDeleteAll(deps: CompatDeps): RequestHandler {
  return async (_req, res) => {
    await deps.store.clear();
    sendEmpty(res);
  };
}

/** The message named by `:id` (MailHog ids look like `id@host`: the suffix is ignored). */
function find(deps: CompatDeps, req: Request): StoredMessage {
  const given = String(req.params['id']);
  const message = deps.store.get(given.split('@')[0]!);
  if (!message) throw new ApiError(404, 'not_found', `no message with id "${given}"`, 'id');
  return message;
}

function paging(req: Request): { start: number; limit: number } {
  const positive = (value: unknown) => (typeof value === 'string' && /^\+?\d+$/.test(value) && Number(value) > 0 ? Number(value) : null);
  return { start: positive(req.query['start']) ?? 0, limit: Math.min(positive(req.query['limit']) ?? DEFAULT_LIMIT, MAX_LIMIT) };
}

/** MailHog's `Search` (`mailhog/storage`): case-insensitive substring per kind. */
function searchPredicate(req: Request): (message: StoredMessage) => boolean {
  const kind = req.query['kind'];
  const query = req.query['query'];
  if (kind !== 'from' && kind !== 'to' && kind !== 'containing') throw new ApiError(400, 'invalid_request', 'kind must be from, to or containing', 'kind');
  if (typeof query !== 'string' || query === '') throw new ApiError(400, 'invalid_request', 'query must be a non-empty string', 'query');
  const needle = query.toLowerCase();
  const has = (texts: string[]) => texts.some((text) => text.includes(needle));
  return (message) => {
    const text = mailhogSearchText(message);
    if (kind === 'containing') return text.body.includes(needle) || has(text.headerValues);
    return has(kind === 'from' ? text.from : text.to);
  };
}

function sendPart(res: Response, message: StoredMessage, n: string, part: { headers: Map<string, string[]>; body: Buffer }): void {
  const type = (headerValue(part.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding = (headerValue(part.headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  const declared = /\bfilename\s*=\s*"?([^";]+)"?/i.exec(headerValue(part.headers, 'content-disposition') ?? '')?.[1];
  const bytes = encoding === 'base64' ? Buffer.from(part.body.toString('latin1'), 'base64') : part.body;
  res.attachment(safeFilename(declared ?? null, `${message.id}-part-${n}`, type || 'application/octet-stream'));
  res.set('Content-Security-Policy', PART_CSP);
  sendBytes(res, /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'application/octet-stream', bytes);
}

function sendJson(res: Response, contentType: string, body: unknown): void {
  sendBytes(res, contentType, Buffer.from(JSON.stringify(body), 'utf8'));
}

function sendEmpty(res: Response): void {
  res.setHeader('Content-Type', 'text/json');
  res.status(200).end();
}

function sendBytes(res: Response, contentType: string, bytes: Buffer): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(bytes.length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(bytes);
}
