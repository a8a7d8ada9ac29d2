/**
 * Applies a batch of live {@link SinkEvent}s to a {@link ListModel} in one pass (a burst of
 * hundreds of messages costs one copy of the list, not one per message).
 *
 * Without a search query every change is exact: a new message is the newest row, deletions remove
 * loaded rows, and evictions (always the oldest) shrink the last gap. With a query the client cannot
 * tell whether a new or changed message matches, so the result says `stale` and the caller refetches
 * the visible page.
 */
import type { MessageSummary, SinkEvent } from '../../server/contract.js';
import { buildModel, type ListModel } from './list-model.js';

export interface AppliedEvents {
  model: ListModel;
  /** Something changed that only a refetch can place (search active, deletion of a row not loaded …). */
  stale: boolean;
  /** Whether any event concerned the list at all. */
  changed: boolean;
}

interface Working {
  rows: (MessageSummary | null)[];
  gaps: number[];
  byId: Map<string, number>;
  /** New rows, oldest first (reversed when put on top). */
  head: (MessageSummary | null)[];
  headById: Map<string, number>;
  topSeq: number;
  stale: boolean;
}

function startWorking(model: ListModel): Working {
  return {
    rows: model.rows.slice(),
    gaps: model.gaps.slice(),
    byId: new Map(model.byId),
    head: [],
    headById: new Map(),
    topSeq: model.rows[0]?.seq ?? 0,
    stale: false,
  };
}

function replace(work: Working, message: MessageSummary): boolean {
  const row = work.byId.get(message.id);
  if (row !== undefined && work.rows[row]) {
    work.rows[row] = message;
    return true;
  }
  const head = work.headById.get(message.id);
  if (head !== undefined && work.head[head]) {
    work.head[head] = message;
    return true;
  }
  return false;
}

function receive(work: Working, message: MessageSummary, searching: boolean): void {
  if (searching) {
    work.stale = true;
    return;
  }
  if (replace(work, message)) return;
  if (message.seq <= work.topSeq) {
    work.stale = true; // older than what is shown: only the server knows where it goes
    return;
  }
  work.headById.set(message.id, work.head.length);
  work.head.push(message);
  work.topSeq = message.seq;
}

/** Takes one row out of the last non-empty gap (the oldest unknown rows). */
function shrinkLastGap(work: Working): void {
  for (let i = work.gaps.length - 1; i >= 0; i -= 1) {
    if (work.gaps[i]! > 0) {
      work.gaps[i]! -= 1;
      return;
    }
  }
}

function remove(work: Working, ids: readonly string[], reason: 'api' | 'evicted', searching: boolean): void {
  for (const id of ids) {
    const head = work.headById.get(id);
    const row = work.byId.get(id);
    if (head !== undefined) work.head[head] = null;
    else if (row !== undefined) work.rows[row] = null;
    else {
      shrinkLastGap(work);
      if (reason === 'api' || searching) work.stale = true;
    }
  }
}

function clear(work: Working): void {
  Object.assign(work, { rows: [], gaps: [0], byId: new Map(), head: [], headById: new Map(), topSeq: 0 });
}

/** Puts new rows on top and closes the holes of removed rows (their gaps merge). */
function finish(work: Working): ListModel {
  const rows: MessageSummary[] = [];
  const gaps: number[] = [];
  for (let i = work.head.length - 1; i >= 0; i -= 1) {
    const message = work.head[i];
    if (message) {
      rows.push(message);
      gaps.push(0);
    }
  }
  let carry = 0;
  work.rows.forEach((row, i) => {
    carry += work.gaps[i] ?? 0;
    if (!row) return;
    rows.push(row);
    gaps.push(carry);
    carry = 0;
  });
  gaps.push(carry + (work.gaps[work.rows.length] ?? 0));
  return buildModel(rows, gaps);
}

/** Applies `events` (in `seq` order) to `model`; `query` is the active search (`""` for none). */
export function applyEvents(model: ListModel, events: readonly SinkEvent[], query: string): AppliedEvents {
  const searching = query.trim() !== '';
  const work = startWorking(model);
  let changed = false;
  for (const event of events) {
    switch (event.type) {
      case 'message.received':
        receive(work, event.message, searching);
        changed = true;
        break;
      case 'message.updated':
        replace(work, event.message);
        if (searching) work.stale = true;
        changed = true;
        break;
      case 'message.deleted':
        remove(work, event.ids, event.reason, searching);
        changed = true;
        break;
      case 'store.cleared':
        clear(work);
        changed = true;
        break;
      default:
        break;
    }
  }
  return changed ? { model: finish(work), stale: work.stale, changed } : { model, stale: false, changed };
}

/** Ids a batch removes (`'all'` when it clears the store). */
export function removedIds(events: readonly SinkEvent[]): readonly string[] | 'all' {
  const ids: string[] = [];
  for (const event of events) {
    if (event.type === 'store.cleared') return 'all';
    if (event.type === 'message.deleted') ids.push(...event.ids);
  }
  return ids;
}
