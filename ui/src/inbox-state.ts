/**
 * Pure state of the inbox list: the newest summaries plus the store's total, and how a batch of
 * {@link SinkEvent}s changes them. No React, no DOM: unit-testable as is.
 *
 * Applying an event is idempotent (a `message.received` for a known id replaces it, a
 * `message.deleted` for an unknown id removes nothing), so events that arrived while a list fetch
 * was in flight can be replayed on top of the fetched snapshot without double counting.
 */
import type { MessageList, MessageSummary, SinkEvent } from '../../server/contract.js';

/** How many summaries the first list request asks for (`GET /api/messages?limit=`). */
export const FIRST_PAGE_LIMIT = 200;

/** Most summaries kept in memory: live arrivals beyond this push the oldest out of the list. */
export const MAX_KEPT_MESSAGES = 500;

export interface InboxState {
  /** Newest first (descending `seq`), at most {@link MAX_KEPT_MESSAGES}. */
  readonly messages: readonly MessageSummary[];
  /** Messages in the store, including those not in `messages`. */
  readonly total: number;
  /** `loading` until the first list response, `error` after a failed one. */
  readonly status: 'loading' | 'ready' | 'error';
  /** Why the last list request failed, or `null`. */
  readonly error: string | null;
}

export const initialInboxState: InboxState = { messages: [], total: 0, status: 'loading', error: null };

export type InboxAction =
  /** A list response, plus the events received while it was in flight (replayed on top). */
  | { type: 'loaded'; list: MessageList; replay: readonly SinkEvent[] }
  | { type: 'load-failed'; error: string }
  /** Live events in arrival order, coalesced per animation frame. */
  | { type: 'events'; events: readonly SinkEvent[] }
  /** A fresh summary from a REST response (e.g. after `PATCH {read}`). */
  | { type: 'upsert'; message: MessageSummary };

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'loaded': {
      const snapshot: InboxState = {
        messages: sortAndTrim(action.list.messages),
        total: action.list.total,
        status: 'ready',
        error: null,
      };
      return applySinkEvents(snapshot, action.replay, 'replay');
    }
    case 'load-failed':
      return { ...state, status: 'error', error: action.error };
    case 'events':
      return applySinkEvents(state, action.events, 'live');
    case 'upsert':
      return upsertKnown(state, action.message);
  }
}

/**
 * Applies events in order. In `replay` mode deletions of ids absent from the list are assumed to
 * be reflected in the snapshot already and do not lower `total`; in `live` mode they do when the
 * list is partial (the deleted message may be older than the kept page).
 */
export function applySinkEvents(
  state: InboxState,
  events: readonly SinkEvent[],
  mode: 'live' | 'replay',
): InboxState {
  if (events.length === 0) return state;
  const byId = new Map(state.messages.map((message) => [message.id, message]));
  let total = state.total;
  for (const event of events) total = applyEvent(byId, total, event, mode);
  const messages = sortAndTrim([...byId.values()]);
  return { ...state, messages, total: Math.max(total, messages.length) };
}

/** Mutates `byId` (a private working copy) and returns the new total. */
function applyEvent(
  byId: Map<string, MessageSummary>,
  total: number,
  event: SinkEvent,
  mode: 'live' | 'replay',
): number {
  switch (event.type) {
    case 'message.received': {
      const isNew = !byId.has(event.message.id);
      byId.set(event.message.id, event.message);
      return isNew ? total + 1 : total;
    }
    case 'message.updated':
      if (byId.has(event.message.id)) byId.set(event.message.id, event.message);
      return total;
    case 'message.deleted': {
      const partial = total > byId.size;
      let removed = 0;
      for (const id of event.ids) if (byId.delete(id)) removed += 1;
      const absent = mode === 'live' && partial ? event.ids.length - removed : 0;
      return Math.max(0, total - removed - absent);
    }
    case 'store.cleared':
      byId.clear();
      return 0;
    default:
      return total;
  }
}

function upsertKnown(state: InboxState, message: MessageSummary): InboxState {
  const index = state.messages.findIndex((known) => known.id === message.id);
  if (index < 0) return state;
  const messages = state.messages.slice();
  messages[index] = message;
  return { ...state, messages };
}

function sortAndTrim(messages: readonly MessageSummary[]): MessageSummary[] {
  return [...messages].sort((a, b) => b.seq - a.seq).slice(0, MAX_KEPT_MESSAGES);
}

/** Unread messages among those kept in the list. */
export function countUnread(messages: readonly MessageSummary[]): number {
  let unread = 0;
  for (const message of messages) if (!message.read) unread += 1;
  return unread;
}

/** Ids a batch removes from the list, or `'all'` when it contains `store.cleared`. */
export function removedIds(events: readonly SinkEvent[]): readonly string[] | 'all' {
  const ids: string[] = [];
  for (const event of events) {
    if (event.type === 'store.cleared') return 'all';
    if (event.type === 'message.deleted') ids.push(...event.ids);
  }
  return ids;
}
