/**
 * Bulk message routes, mounted before the `/:id` routes: `PATCH /api/messages` (read flag and tags
 * of many messages, by ids or query), `DELETE /api/messages` with a JSON body of ids (without one
 * the request goes on to the `?query=` route), `GET /api/messages/export` (mboxrd) and
 * `GET /api/tags`. Every engine: changes go through the store one message at a time, each awaited.
 */
import { Router } from 'express';
import type { BulkDeleteResult, BulkUpdateResult, TagCountList } from '../contract.js';
import type { MessageParsing } from '../core/message-parsing.js';
import { toMbox } from '../core/mbox.js';
import type { Store, StoredMessage } from '../core/store.js';
import { cleanTag, normaliseTags, sortTags } from '../core/tags.js';
import { BULK_MAX, bulkDeleteBody, bulkPatchBody, exportQuery } from './bulk-schemas.js';
import { ApiError, parseInput } from './errors.js';
import { compileQueryParam } from './messages-routes.js';

/** Messages selected by ids (in the given order, each once) and the ids that match none. */
function byIds(store: Store, ids: readonly string[]): { found: StoredMessage[]; missing: string[] } {
  const found: StoredMessage[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const message = store.get(id);
    if (message) found.push(message);
    else missing.push(id);
  }
  return { found, missing };
}

/** Messages matching a query, newest first (`""` = all). @throws ApiError 400 `invalid_query`. */
async function byQuery(store: Store, parsing: MessageParsing, query: string): Promise<StoredMessage[]> {
  const compiled = compileQueryParam(query);
  return compiled.matchesAll ? store.newestFirst() : parsing.filter(store.newestFirst(), compiled);
}

type Change = { read?: boolean | undefined; addTags?: string[] | undefined; removeTags?: string[] | undefined };

/** Applies one change to one message; resolves to whether it changed. */
async function applyChange(store: Store, message: StoredMessage, change: Change): Promise<boolean> {
  let changed = false;
  if (change.read !== undefined && message.read !== change.read) {
    await store.setRead(message.id, change.read);
    changed = true;
  }
  const current = store.get(message.id) ?? message;
  const removed = new Set((change.removeTags ?? []).map((tag) => cleanTag(tag).toLowerCase()));
  const tags = normaliseTags([...current.tags.filter((tag) => !removed.has(tag.toLowerCase())), ...(change.addTags ?? [])]);
  if (tags.join('\n') !== current.tags.join('\n')) {
    await store.setTags(message.id, tags);
    changed = true;
  }
  return changed;
}

/** Tag names in use with their message counts, sorted by name case-insensitively. */
export function tagCounts(store: Store): TagCountList {
  const counts = new Map<string, { name: string; count: number }>();
  for (const message of store.newestFirst()) {
    for (const tag of message.tags) {
      const entry = counts.get(tag.toLowerCase()) ?? { name: tag, count: 0 };
      entry.count += 1;
      counts.set(tag.toLowerCase(), entry);
    }
  }
  const names = sortTags([...counts.values()].map((entry) => entry.name));
  return { tags: names.map((name) => ({ name, count: counts.get(name.toLowerCase())!.count })) };
}

/** The bulk routes under `/api/messages` (see the file comment). */
export function bulkRouter(store: Store, parsing: MessageParsing): Router {
  const router = Router();
  router.patch('/', async (req, res) => {
    const { ids, query, ...change } = parseInput(bulkPatchBody, req.body ?? {}, 'body');
    const { found, missing } = ids ? byIds(store, ids) : { found: await byQuery(store, parsing, query ?? ''), missing: [] };
    await parsing.ready(found);
    let updated = 0;
    for (const message of found) if (await applyChange(store, message, change)) updated += 1;
    const body: BulkUpdateResult = { updated, missing };
    res.json(body);
  });
  router.delete('/', async (req, res, next) => {
    if (!hasBody(req.body)) return next();
    if (req.query['query'] !== undefined) throw new ApiError(400, 'invalid_request', 'give ids in the body or ?query=, not both', 'ids');
    const { ids } = parseInput(bulkDeleteBody, req.body, 'body');
    const { found, missing } = byIds(store, ids);
    const deleted = found.length > 0 ? await store.delete(found.map((message) => message.id)) : 0;
    const body: BulkDeleteResult = { deleted, missing };
    res.json(body);
  });
  router.get('/export', async (req, res) => {
    const messages = await exportSelection(store, parsing, parseInput(exportQuery, req.query, 'query'));
    messages.sort((a, b) => a.seq - b.seq);
    const mbox = toMbox(messages);
    res.set({
      'Content-Disposition': `attachment; filename="mailsink-${messages.length}-messages.mbox"`,
      'Content-Type': 'application/mbox', 'Content-Length': String(mbox.length), 'X-Content-Type-Options': 'nosniff' });
    res.end(mbox);
  });
  return router;
}

/** `GET /api/tags`. */
export function tagsRouter(store: Store): Router {
  const router = Router();
  router.get('/', (_req, res) => void res.json(tagCounts(store)));
  return router;
}

function hasBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).length > 0;
}

/** The messages an export names (unknown ids are left out). @throws ApiError 400 for both or over {@link BULK_MAX}. */
async function exportSelection(store: Store, parsing: MessageParsing, { ids, query }: { ids?: string | undefined; query?: string | undefined }): Promise<StoredMessage[]> {
  if (ids !== undefined && query !== undefined) throw new ApiError(400, 'invalid_request', 'give ids or query, not both', 'ids');
  if (ids !== undefined) {
    const list = ids.split(',').map((id) => id.trim()).filter((id) => id !== '');
    if (list.length === 0 || list.length > BULK_MAX) throw new ApiError(400, 'invalid_request', `give 1 to ${BULK_MAX} comma-separated ids`, 'ids');
    return byIds(store, list).found;
  }
  const messages = await byQuery(store, parsing, query ?? '');
  if (messages.length > BULK_MAX) throw new ApiError(400, 'invalid_request', `${messages.length} messages match: export at most ${BULK_MAX} at a time (narrow the query)`, 'query');
  return messages;
}
