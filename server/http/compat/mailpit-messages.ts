/**
 * Mailpit API v1 message collection: `GET/PUT/DELETE /api/v1/messages`, `GET/DELETE /api/v1/search`
 * (server/apiv1/messages.go). Newest first; `start` (default 0) and `limit` (default 50; `0` lists
 * all, and finds none in a search, as Mailpit does); `before` (a date) keeps older messages only.
 * Writes answer `200 ok` in text/plain, as Mailpit does.
 */
import { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import type { StoredMessage } from '../../core/store.js';
import { allTags } from '../../core/tags.js';
import { ApiError } from '../errors.js';
import type { CompatDeps } from './deps.js';
import { compileMailpitQuery } from './mailpit-query.js';
import { toMailpitSummary } from './mailpit-views.js';
import type { MailpitMessages } from './mailpit-views.js';

/** Paging of Mailpit's `getStartLimit`: bad numbers fall back to the defaults. */
export function startLimit(req: Request): { start: number; limit: number; beforeMs: number | null } {
  const start = Number.parseInt(String(req.query['start'] ?? ''), 10);
  const limit = Number.parseInt(String(req.query['limit'] ?? ''), 10);
  const before = typeof req.query['before'] === 'string' && req.query['before'] !== '' ? Date.parse(req.query['before']) : Number.NaN;
  return { start: start > 0 ? start : 0, limit: limit > -1 ? limit : 50, beforeMs: Number.isNaN(before) ? null : before };
}

/** The string value of a query parameter, trimmed (`""` when absent). */
export function queryText(req: Request, name: string): string {
  const value = req.query[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Messages matching a Mailpit search (all with `search === ""`), newest first, facts known. */
export async function mailpitMatches(deps: CompatDeps, search: string, tz: string): Promise<StoredMessage[]> {
  const all = deps.store.newestFirst();
  await deps.parsing.ready(all);
  return search === '' ? all : deps.parsing.filter(all, compileMailpitQuery(search, tz));
}

/** `GET /api/v1/messages`: Mailpit's `MessagesSummary` of a page of every message. */
export function mailpitListMessages(deps: CompatDeps): RequestHandler {
  return async (req, res) => {
    const { start, limit, beforeMs } = startLimit(req);
    const all = await mailpitMatches(deps, '', '');
    const older = beforeMs === null ? all : all.filter((m) => Date.parse(m.receivedAt) < beforeMs);
    const page = limit === 0 ? older.slice(start) : older.slice(start, start + limit);
    res.json(summaryBody(deps, all, page, start, all.length, deps.store.unreadCount));
  };
}

/** `DELETE /api/v1/messages`: `{IDs}` deletes those (unknown ones ignored), no IDs deletes everything; `ok`. */
export function mailpitDeleteMessages(deps: CompatDeps): RequestHandler {
  return async (req, res) => {
    const ids = idsOf(req.body);
    if (ids.length === 0) await deps.store.clear();
    else await deps.store.delete(ids);
    ok(res);
  };
}

/** The collection routes except the two that MailHog shares (see `collisions.ts`). */
export function mailpitMessagesRouter(deps: CompatDeps): Router {
  const router = Router();
  router.put('/api/v1/messages', async (req, res) => {
    const body = objectBody(req.body);
    const ids = idsOf(body);
    const search = typeof body['Search'] === 'string' ? body['Search'].trim() : '';
    if (ids.length > 0 && search !== '') throw new ApiError(400, 'invalid_request', 'You may specify either IDs or a search query, not both', 'IDs');
    const read = body['Read'] === true;
    const targets = ids.length > 0 ? ids.flatMap((id) => deps.store.get(id) ?? []) : await mailpitMatches(deps, search, queryText(req, 'tz'));
    for (const message of targets) await deps.store.setRead(message.id, read);
    ok(res);
  });
  router.get('/api/v1/search', async (req, res) => {
    const search = requiredSearch(req);
    const { start, limit, beforeMs } = startLimit(req);
    const all = await mailpitMatches(deps, '', '');
    const found = (await mailpitMatches(deps, search, queryText(req, 'tz'))).filter((m) => beforeMs === null || Date.parse(m.receivedAt) < beforeMs);
    res.json(summaryBody(deps, all, found.slice(start, start + limit), start, found.length, countUnread(found)));
  });
  router.delete('/api/v1/search', async (req, res) => {
    await deps.store.delete((await mailpitMatches(deps, requiredSearch(req), queryText(req, 'tz'))).map((m) => m.id));
    ok(res);
  });
  return router;
}

function summaryBody(deps: CompatDeps, all: StoredMessage[], page: StoredMessage[], start: number, matched: number, matchedUnread: number): MailpitMessages {
  return {
    total: all.length,
    unread: deps.store.unreadCount,
    count: page.length,
    messages_count: matched,
    messages_unread: matchedUnread,
    start,
    tags: allTags(deps.store),
    messages: page.map(toMailpitSummary),
  };
}

function countUnread(messages: readonly StoredMessage[]): number {
  let unread = 0;
  for (const message of messages) if (!message.read) unread += 1;
  return unread;
}

function requiredSearch(req: Request): string {
  const search = queryText(req, 'query');
  if (search === '') throw new ApiError(400, 'invalid_request', 'Error: no search query', 'query');
  return search;
}

/** The request body as an object (`{}` for none or a non-object). */
export function objectBody(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** `IDs` of a Mailpit request body: the strings in it (anything else is ignored). */
export function idsOf(body: unknown): string[] {
  const ids = objectBody(body)['IDs'];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && id !== '') : [];
}

/** Mailpit's success answer to a write: `200 ok`, text/plain. */
export function ok(res: Response): void {
  res.type('text/plain').send('ok');
}
