/**
 * REST calls for tags and for many messages at once (`PATCH`/`DELETE /api/messages`, the mbox
 * export, `GET /api/tags`). A {@link BulkTarget} is either exact ids or a search: "all matching"
 * is sent as the query, so messages the list has not loaded are included.
 */
import type { BulkUpdateResult, MessageSummary, TagCount, TagCountList } from '../../server/contract.js';
import { getJson, messagePath, request, sendJson } from './api.js';

/** Which messages an action applies to: exact ids, or every message matching `query` (`""`: all). */
export type BulkTarget = { readonly ids: readonly string[] } | { readonly query: string };

export type { TagCount } from '../../server/contract.js';

/** What `PATCH /api/messages` changes; at least one field. */
export interface BulkChanges {
  read?: boolean;
  addTags?: string[];
  removeTags?: string[];
}

function targetBody(target: BulkTarget): { ids: string[] } | { query: string } {
  return 'ids' in target ? { ids: [...target.ids] } : { query: target.query };
}

/** `GET /api/tags`: every tag on a stored message, sorted by name (case-insensitive). */
export async function getTags(signal?: AbortSignal): Promise<TagCount[]> {
  return (await getJson<TagCountList>('/api/tags', signal)).tags;
}

/** `PATCH /api/messages/:id` with `{tags}` (replaces the set); resolves to the updated summary. */
export async function setMessageTags(id: string, tags: readonly string[]): Promise<MessageSummary> {
  return sendJson<MessageSummary>('PATCH', messagePath(id), { tags });
}

/** `PATCH /api/messages`: read flag and tags of many messages. Throws ApiError (400 names the field). */
export async function updateMessages(target: BulkTarget, changes: BulkChanges): Promise<BulkUpdateResult> {
  return sendJson<BulkUpdateResult>('PATCH', '/api/messages', { ...targetBody(target), ...changes });
}

/** `DELETE /api/messages`: exact ids (JSON body) or everything matching a query (`?query=`). */
export async function deleteMessages(target: BulkTarget): Promise<void> {
  if ('ids' in target) {
    await sendJson('DELETE', '/api/messages', { ids: target.ids });
    return;
  }
  const suffix = target.query.trim() === '' ? '' : `?${new URLSearchParams({ query: target.query })}`;
  await request(`/api/messages${suffix}`, { method: 'DELETE' });
}

/** Path of `GET /api/messages/export` (an mboxrd download, RFC 4155) for the target. */
export function exportPath(target: BulkTarget): string {
  if ('ids' in target) return `/api/messages/export?${new URLSearchParams({ ids: target.ids.join(',') })}`;
  return target.query.trim() === '' ? '/api/messages/export' : `/api/messages/export?${new URLSearchParams({ query: target.query })}`;
}
