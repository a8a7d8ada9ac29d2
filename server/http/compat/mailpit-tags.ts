/**
 * Mailpit API v1 tags (server/apiv1/tags.go) on mailsink's core tags (`core/tags.ts`):
 * `GET /api/v1/tags` (every tag in use, sorted), `PUT /api/v1/tags` `{IDs, Tags}` (replaces the
 * tags of those messages; no `Tags` clears them), `PUT /api/v1/tags/{tag}` `{Name}` (renames),
 * `DELETE /api/v1/tags/{tag}` (removes it from every message). Writes answer `200 ok`.
 */
import { Router } from 'express';
import { allTags, deleteTag, renameTag, TagError } from '../../core/tags.js';
import { ApiError } from '../errors.js';
import type { CompatDeps } from './deps.js';
import { idsOf, objectBody, ok } from './mailpit-messages.js';

/** The tag routes; `400` (plain text) for a non-list `Tags` or a `Name` that cleans to nothing. */
export function mailpitTagsRouter(deps: CompatDeps): Router {
  const { store } = deps;
  const router = Router();
  router.get('/api/v1/tags', (_req, res) => {
    res.json(allTags(store));
  });
  router.put('/api/v1/tags', async (req, res) => {
    const body = objectBody(req.body);
    const tags = body['Tags'] ?? [];
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) throw new ApiError(400, 'invalid_request', 'Tags must be a list of strings', 'Tags');
    const messages = idsOf(body).flatMap((id) => store.get(id) ?? []);
    await deps.parsing.ready(messages);
    for (const message of messages) await store.setTags(message.id, tags);
    ok(res);
  });
  router.put('/api/v1/tags/:tag', async (req, res) => {
    const name = objectBody(req.body)['Name'];
    if (typeof name !== 'string') throw new ApiError(400, 'invalid_request', 'Name must be a string', 'Name');
    try {
      await renameTag(store, String(req.params['tag']), name);
    } catch (err) {
      if (err instanceof TagError) throw new ApiError(400, 'invalid_request', err.message, 'Name');
      throw err;
    }
    ok(res);
  });
  router.delete('/api/v1/tags/:tag', async (req, res) => {
    await deleteTag(store, String(req.params['tag']));
    ok(res);
  });
  return router;
}
