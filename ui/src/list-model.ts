/**
 * A window onto the server's newest-first list of message summaries, of which only some pages are
 * loaded. Loaded rows are kept in `seq` order (descending), so they never appear in a wrong order;
 * between them are gaps of rows not loaded yet, whose sizes come from the `offset` and `total` of
 * each page response. Gap sizes are estimates while mail arrives during a fetch; the next page that
 * touches a gap corrects it. Pure functions, no React, no DOM: unit-tested as is.
 */
import type { MessageSummary } from '../../server/contract.js';

export interface ListModel {
  /** Loaded rows, newest first (strictly descending `seq`). */
  readonly rows: readonly MessageSummary[];
  /** `gaps[i]`: rows not loaded just before `rows[i]`; `gaps[rows.length]`: after the last one. */
  readonly gaps: readonly number[];
  /** `positions[i]`: index of `rows[i]` in the whole list. */
  readonly positions: readonly number[];
  /** Index of `rows` by message id. */
  readonly byId: ReadonlyMap<string, number>;
  /** Length of the whole list (loaded rows plus gaps). */
  readonly total: number;
}

/** One response of `GET /api/messages?offset=&limit=`. */
export interface ListPage {
  offset: number;
  total: number;
  messages: readonly MessageSummary[];
}

/** What happened to the list while a page was being fetched (from the event stream). */
export interface FetchLog {
  /** Ids that arrived live (`message.received`) during the fetch. */
  readonly arrived: ReadonlySet<string>;
  /** Ids deleted during the fetch: the page may still contain them. */
  readonly deleted: ReadonlySet<string>;
  /** Newest summaries of messages updated during the fetch. */
  readonly updated: ReadonlyMap<string, MessageSummary>;
}

export const EMPTY_FETCH_LOG: FetchLog = { arrived: new Set(), deleted: new Set(), updated: new Map() };

/** Builds a model; `gaps` must have `rows.length + 1` entries. */
export function buildModel(rows: readonly MessageSummary[], gaps: readonly number[]): ListModel {
  const positions: number[] = new Array<number>(rows.length);
  const byId = new Map<string, number>();
  let index = 0;
  for (let i = 0; i < rows.length; i += 1) {
    index += gaps[i] ?? 0;
    positions[i] = index;
    byId.set(rows[i]!.id, i);
    index += 1;
  }
  return { rows, gaps, positions, byId, total: index + (gaps[rows.length] ?? 0) };
}

export const EMPTY_MODEL: ListModel = buildModel([], [0]);

function sum(values: readonly number[], from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i += 1) total += values[i] ?? 0;
  return total;
}

/** First index in `rows` whose `seq` is ≤ `seq` (rows are in descending `seq`). */
function firstAtOrBelow(rows: readonly MessageSummary[], seq: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (rows[mid]!.seq > seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Merges a page: its rows replace every loaded row in its `seq` range (rows missing from the page
 * were deleted or no longer match), and the gaps next to it are resized to agree with the server's
 * `offset` and `total`. A first page drops newer rows that did not arrive during the fetch; a last
 * page drops every older row (they are gone on the server).
 */
export function mergePage(model: ListModel, page: ListPage, log: FetchLog = EMPTY_FETCH_LOG): ListModel {
  const messages = page.messages
    .filter((message) => !log.deleted.has(message.id))
    .map((message) => log.updated.get(message.id) ?? message);
  if (messages.length === 0) return truncateAt(model, page.offset, page.total, log);
  const { rows, gaps } = model;
  const newerEnd = firstAtOrBelow(rows, messages[0]!.seq);
  const olderStart = firstAtOrBelow(rows, messages[messages.length - 1]!.seq - 1);
  let newer = rows.slice(0, newerEnd);
  let newerGaps = gaps.slice(0, newerEnd);
  if (page.offset === 0) {
    newer = newer.filter((row) => log.arrived.has(row.id));
    newerGaps = newer.map(() => 0);
  }
  const isLast = page.offset + page.messages.length >= page.total;
  const older = isLast ? [] : rows.slice(olderStart);
  const olderGaps = isLast ? [] : gaps.slice(olderStart + 1);
  const gapBefore = Math.max(0, page.offset - (newer.length + sum(newerGaps)));
  const gapAfter = Math.max(0, page.total - page.offset - page.messages.length - (older.length + sum(olderGaps)));
  return buildModel(
    [...newer, ...messages, ...older],
    [...newerGaps, gapBefore, ...messages.slice(1).map(() => 0), gapAfter, ...olderGaps],
  );
}

/** An empty page at `offset`: nothing exists from there on. */
function truncateAt(model: ListModel, offset: number, total: number, log: FetchLog): ListModel {
  if (offset === 0 || total === 0) {
    const kept = model.rows.filter((row) => log.arrived.has(row.id));
    return buildModel(kept, [...kept.map(() => 0), 0]);
  }
  const keep = model.positions.findIndex((position) => position >= offset);
  const count = keep === -1 ? model.rows.length : keep;
  const rows = model.rows.slice(0, count);
  const lastEnd = count === 0 ? 0 : model.positions[count - 1]! + 1;
  const gaps = [...model.gaps.slice(0, count), Math.max(0, Math.min(total, offset) - lastEnd)];
  return buildModel(rows, gaps);
}

/** The loaded row at list index `index`, or `undefined` for a row not loaded (or out of range). */
export function rowAt(model: ListModel, index: number): MessageSummary | undefined {
  const { positions } = model;
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (positions[mid]! < index) low = mid + 1;
    else high = mid;
  }
  return positions[low] === index ? model.rows[low] : undefined;
}

/** List index of the message `id`, or `-1` when it is not loaded. */
export function indexOfId(model: ListModel, id: string | null): number {
  if (id === null) return -1;
  const row = model.byId.get(id);
  return row === undefined ? -1 : model.positions[row]!;
}

/** How many loaded rows have a list index in `[start, end)`. */
function loadedIn(model: ListModel, start: number, end: number): number {
  let count = 0;
  for (const position of model.positions) if (position >= start && position < end) count += 1;
  return count;
}

/** Pages (of `pageSize` rows) overlapping `[start, end)` that have rows not loaded. */
export function missingPages(model: ListModel, start: number, end: number, pageSize: number): number[] {
  const last = Math.min(end, model.total);
  const pages: number[] = [];
  for (let page = Math.floor(Math.max(0, start) / pageSize); page * pageSize < last; page += 1) {
    const from = page * pageSize;
    const to = Math.min(model.total, from + pageSize);
    if (loadedIn(model, from, to) < to - from) pages.push(page);
  }
  return pages;
}

/**
 * Forgets loaded rows outside `[start, end)` (they become gaps), to bound memory when far more
 * rows were loaded or arrived than anybody looks at.
 */
export function forgetOutside(model: ListModel, start: number, end: number): ListModel {
  const rows: MessageSummary[] = [];
  const gaps: number[] = [];
  let carry = 0;
  model.rows.forEach((row, i) => {
    carry += model.gaps[i] ?? 0;
    const position = model.positions[i]!;
    if (position < start || position >= end) {
      carry += 1;
      return;
    }
    gaps.push(carry);
    rows.push(row);
    carry = 0;
  });
  gaps.push(carry + (model.gaps[model.rows.length] ?? 0));
  return buildModel(rows, gaps);
}
