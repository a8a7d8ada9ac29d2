/**
 * REST calls for tags and for many messages at once (`PATCH`/`DELETE /api/messages`, the mbox
 * export, `GET /api/tags`). A {@link BulkTarget} is either exact ids or a search: "all matching"
 * is sent as the query, so messages the list has not loaded are included.
 */
import type { BulkUpdateResult, MessageSummary, TagCount, TagCountList } from '../../server/contract.js';
import { messagePath, request } from './api.js';

/** Which messages an action applies to: exact ids, or every message matching `query` (`""`: all). */
export type BulkTarget = { readonly ids: readonly string[] } | { readonly query: string };

export type { TagCount } from '../../server/contract.js';

/** What `PATCH /api/messages` changes; at least one field. */
export interface BulkChanges {
  read?: boolean;
  addTags?: string[];
  removeTags?: string[];
}

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

function targetBody(target: BulkTarget): { ids: string[] } | { query: string } {
  return 'ids' in target ? { ids: [...target.ids] } : { query: target.query };
}

/** `GET /api/tags`: every tag on a stored message, sorted by name (case-insensitive). */
export async function getTags(signal?: AbortSignal): Promise<TagCount[]> {
  const response = await request('/api/tags', { signal, headers: { accept: 'application/json' } });
  return ((await response.json()) as TagCountList).tags;
}

/** `PATCH /api/messages/:id` with `{tags}` (replaces the set); resolves to the updated summary. */
export async function setMessageTags(id: string, tags: readonly string[]): Promise<MessageSummary> {
  const response = await request(messagePath(id), { method: 'PATCH', headers: JSON_HEADERS, body: JSON.stringify({ tags }) });
  return (await response.json()) as MessageSummary;
}

/** `PATCH /api/messages`: read flag and tags of many messages. Throws ApiError (400 names the field). */
export async function updateMessages(target: BulkTarget, changes: BulkChanges): Promise<BulkUpdateResult> {
  const response = await request('/api/messages', {
    method: 'PATCH',
    headers: JSON_HEADERS,
    body: JSON.stringify({ ...targetBody(target), ...changes }),
  });
  return (await response.json()) as BulkUpdateResult;
}

/** `DELETE /api/messages`: exact ids (JSON body) or everything matching a query (`?query=`). */
export async function deleteMessages(target: BulkTarget): Promise<void> {
  if ('ids' in target) {
    await request('/api/messages', { method: 'DELETE', headers: JSON_HEADERS, body: JSON.stringify({ ids: target.ids }) });
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
