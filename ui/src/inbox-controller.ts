/**
 * Keeps the inbox list in step with the server, for any number of messages:
 * - live events are queued and applied once per animation frame (a burst of hundreds of messages
 *   a second costs one render per frame);
 * - only the pages the list shows (plus a margin) are fetched, `PAGE_SIZE` rows at a time;
 * - when events cannot be placed exactly (search active, a `seq` gap, a reconnect, events during a
 *   fetch), the visible window is refetched, at most every `REFRESH_SPACING_MS`, so the view
 *   converges on the server's list as soon as the stream is quiet.
 * State is an immutable {@link InboxSnapshot}; React reads it with `useSyncExternalStore`.
 */
import type { MessageList, MessageSummary, SinkEvent } from '../../server/contract.js';
import { errorText, isAbortError, type ListOptions } from './api.js';
import { createFrameFlusher } from './frame-flusher.js';
import { applyEvents } from './list-events.js';
import { EMPTY_MODEL, buildModel, forgetOutside, mergePage, missingPages, type FetchLog, type ListModel } from './list-model.js';

/** Rows per page request (`limit`). */
export const PAGE_SIZE = 100;
/** More queued events than this (e.g. in a background tab) are dropped in favour of a refetch. */
export const MAX_QUEUED_EVENTS = 5000;
/** Loaded rows above this are forgotten outside the viewport ± `KEEP_AROUND_ROWS`. */
const MAX_LOADED_ROWS = 3000;
const KEEP_AROUND_ROWS = 1000;
const REFRESH_SPACING_MS = 250;
/** The API's largest `limit`. */
const MAX_LIMIT = 1000;

export interface InboxSnapshot {
  readonly model: ListModel;
  /** The search the rows belong to (`""` for all). */
  readonly query: string;
  /** `loading` until the first page of this query arrived; `error` after a failed request. */
  readonly status: 'loading' | 'ready' | 'error';
  readonly error: string | null;
  /** Rises with every change of the list. */
  readonly revision: number;
}

export interface InboxControllerDeps {
  fetchList(options: ListOptions): Promise<MessageList>;
  /** Every flushed batch of live events, after it was applied. */
  onBatch(events: readonly SinkEvent[]): void;
}

export interface InboxController {
  subscribe(listener: () => void): () => void;
  getSnapshot(): InboxSnapshot;
  pushEvent(event: SinkEvent): void;
  /** Refetch the visible window and forget everything else (after `hello`, a `seq` gap, a retry). */
  resync(): void;
  setQuery(query: string): void;
  /** The list indexes `[start, end)` on screen (with overscan). */
  setViewport(start: number, end: number): void;
  stop(): void;
}

type RefreshMode = 'merge' | 'replace';

interface Fetch {
  readonly generation: number;
  readonly abort: AbortController;
  readonly log: { arrived: Set<string>; deleted: Set<string>; updated: Map<string, MessageSummary> };
  cleared: boolean;
}

const initialSnapshot: InboxSnapshot = { model: EMPTY_MODEL, query: '', status: 'loading', error: null, revision: 0 };

export function createInboxController(deps: InboxControllerDeps): InboxController {
  let snapshot = initialSnapshot;
  const listeners = new Set<() => void>();
  let queue: SinkEvent[] = [];
  let generation = 0;
  let viewport = { start: 0, end: PAGE_SIZE };
  const fetches = new Set<Fetch>();
  const pagesInFlight = new Set<number>();
  let refreshing: Fetch | null = null;
  let refreshWanted: RefreshMode | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let lastRefreshAt = -Infinity;
  const flusher = createFrameFlusher(() => flush());

  function update(next: Partial<InboxSnapshot>): void {
    const model = next.model && next.model.rows.length > MAX_LOADED_ROWS
      ? forgetOutside(next.model, viewport.start - KEEP_AROUND_ROWS, viewport.end + KEEP_AROUND_ROWS)
      : next.model;
    snapshot = { ...snapshot, ...next, ...(model ? { model } : {}), revision: snapshot.revision + 1 };
    for (const listener of listeners) listener();
  }

  function record(events: readonly SinkEvent[]): void {
    for (const fetch of fetches) {
      for (const event of events) {
        if (event.type === 'message.received') fetch.log.arrived.add(event.message.id);
        else if (event.type === 'message.updated') fetch.log.updated.set(event.message.id, event.message);
        else if (event.type === 'message.deleted') for (const id of event.ids) fetch.log.deleted.add(id);
        else if (event.type === 'store.cleared') fetch.cleared = true;
      }
    }
  }

  function flush(): void {
    if (queue.length === 0) return;
    const events = queue;
    queue = [];
    record(events);
    const applied = applyEvents(snapshot.model, events, snapshot.query);
    if (applied.changed) update({ model: applied.model });
    if (applied.stale) requestRefresh('merge');
    deps.onBatch(events);
  }

  function fetchRange(offset: number, limit: number, mode: 'page' | RefreshMode): Fetch {
    const fetch: Fetch = { generation, abort: new AbortController(), log: { arrived: new Set(), deleted: new Set(), updated: new Map() }, cleared: false };
    fetches.add(fetch);
    const { query } = snapshot;
    deps.fetchList({ offset, limit, query, signal: fetch.abort.signal }).then(
      (list) => {
        if (fetch.generation !== generation) return;
        flush(); // apply queued events first, so the fetch log is complete
        fetches.delete(fetch);
        if (fetch.cleared) return requestRefresh('replace');
        const base = mode === 'replace' ? onlyArrived(snapshot.model, fetch.log) : snapshot.model;
        update({ model: mergePage(base, { offset, total: list.total, messages: list.messages }, fetch.log), status: 'ready', error: null });
        if (fetch.log.arrived.size + fetch.log.deleted.size + fetch.log.updated.size > 0) requestRefresh('merge');
        ensureViewport();
      },
      (error: unknown) => {
        fetches.delete(fetch);
        if (fetch.generation !== generation || isAbortError(error)) return;
        update({ status: 'error', error: errorText(error) });
      },
    ).finally(() => {
      if (mode === 'page') pagesInFlight.delete(offset / PAGE_SIZE);
      if (refreshing !== fetch) return;
      refreshing = null;
      if (refreshWanted) scheduleRefresh();
    });
    return fetch;
  }

  function ensureViewport(): void {
    const margin = PAGE_SIZE / 2;
    for (const page of missingPages(snapshot.model, viewport.start - margin, viewport.end + margin, PAGE_SIZE)) {
      if (pagesInFlight.has(page)) continue;
      pagesInFlight.add(page);
      fetchRange(page * PAGE_SIZE, PAGE_SIZE, 'page');
    }
  }

  function requestRefresh(mode: RefreshMode): void {
    refreshWanted = refreshWanted === 'replace' || mode === 'replace' ? 'replace' : 'merge';
    if (!refreshing) scheduleRefresh();
  }

  function scheduleRefresh(): void {
    if (refreshTimer !== undefined) return;
    const delay = Math.max(0, lastRefreshAt + REFRESH_SPACING_MS - performance.now());
    refreshTimer = setTimeout(runRefresh, delay);
  }

  function runRefresh(): void {
    refreshTimer = undefined;
    const mode = refreshWanted;
    if (!mode || refreshing) return;
    refreshWanted = null;
    lastRefreshAt = performance.now();
    const offset = Math.floor(Math.max(0, viewport.start) / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil(viewport.end / PAGE_SIZE) * PAGE_SIZE;
    refreshing = fetchRange(offset, Math.min(MAX_LIMIT, Math.max(PAGE_SIZE, end - offset)), mode);
  }

  function reset(): void {
    generation += 1;
    for (const fetch of fetches) fetch.abort.abort();
    fetches.clear();
    pagesInFlight.clear();
    refreshing = null;
    refreshWanted = null;
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    lastRefreshAt = -Infinity;
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    pushEvent(event) {
      queue.push(event);
      if (queue.length <= MAX_QUEUED_EVENTS) return flusher.schedule();
      queue = [];
      flusher.cancel();
      requestRefresh('replace');
    },
    resync: () => requestRefresh('replace'),
    setQuery(query) {
      if (query === snapshot.query) return;
      reset();
      viewport = { start: 0, end: PAGE_SIZE };
      update({ model: EMPTY_MODEL, query, status: 'loading', error: null });
      requestRefresh('replace');
    },
    setViewport(start, end) {
      if (start === viewport.start && end === viewport.end) return;
      viewport = { start, end };
      ensureViewport();
    },
    stop() {
      reset();
      queue = [];
      flusher.cancel();
    },
  };
}

/** The model reduced to rows that arrived while a replacing fetch was in flight. */
function onlyArrived(model: ListModel, log: FetchLog): ListModel {
  const rows = model.rows.filter((row) => log.arrived.has(row.id));
  return buildModel(rows, [...rows.map(() => 0), 0]);
}
