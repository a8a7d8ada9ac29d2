/**
 * REST calls of the fault panel beyond add/remove (in `api.ts`): edit, enable/disable and reorder
 * fault rules, the log of refused SMTP attempts, and session transcripts by id. Every call throws
 * {@link ApiError}; a 400 names the offending `field` (e.g. `reply.code`, `ids`, `enabled`).
 */
import type { FaultRule, FaultRuleInput, LinkList, Rejection, Transcript } from '../../server/contract.js';
import { getJson, messagePath, request, sendJson } from './api.js';

const FAULTS = '/api/faults';

/** `PUT /api/faults/:id`: replaces the rule's definition (hits, matched, createdAt kept). 404 `not_found` for an unknown id. */
export function updateFaultRule(id: string, rule: FaultRuleInput): Promise<FaultRule> {
  return sendJson<FaultRule>('PUT', `${FAULTS}/${encodeURIComponent(id)}`, rule);
}

/** `PATCH /api/faults/:id` with `{ enabled }`: a disabled rule is skipped entirely (no hits, no matches). */
export function setFaultRuleEnabled(id: string, enabled: boolean): Promise<FaultRule> {
  return sendJson<FaultRule>('PATCH', `${FAULTS}/${encodeURIComponent(id)}`, { enabled });
}

/** `PUT /api/faults/order`: `ids` = every current rule id once, in the new check order. Resolves to the rules in that order. */
export async function reorderFaultRules(ids: readonly string[]): Promise<FaultRule[]> {
  return (await sendJson<{ rules: FaultRule[] }>('PUT', `${FAULTS}/order`, { ids })).rules;
}

/** `GET /api/rejections`. */
export interface RejectionList {
  /** Refused attempts kept by the sink. */
  total: number;
  count: number;
  /** Newest first. */
  rejections: Rejection[];
}

/** `GET /api/rejections?limit&offset`: refused SMTP attempts, newest first. */
export function getRejections(limit: number, signal?: AbortSignal): Promise<RejectionList> {
  return getJson<RejectionList>(`/api/rejections?${new URLSearchParams({ limit: String(limit), offset: '0' })}`, signal);
}

/** `DELETE /api/rejections`: forgets every refused attempt. */
export async function clearRejections(): Promise<void> {
  await request('/api/rejections', { method: 'DELETE' });
}

/** `GET /api/transcripts/:id` (a session id, `Rejection.transcriptId`); 404 `not_found` once it is no longer kept. */
export function getSessionTranscript(id: string, signal?: AbortSignal): Promise<Transcript> {
  return getJson<Transcript>(`/api/transcripts/${encodeURIComponent(id)}`, signal);
}

/** `GET /api/messages/:id/links`: every link of the HTML and text bodies with its anchor text (the sink fetches nothing). */
export function getMessageLinks(id: string, signal?: AbortSignal): Promise<LinkList> {
  return getJson<LinkList>(messagePath(id, '/links'), signal);
}
