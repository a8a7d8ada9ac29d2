/** The web inbox's sparse list (ui/src/list-model.ts, list-events.ts): paging, gaps and live events. */
import { describe, expect, it } from 'vitest';
import type { MessageSummary, SinkEvent } from '../../server/contract.js';
import { applyEvents } from '../../ui/src/list-events.js';
import { EMPTY_MODEL, forgetOutside, indexOfId, mergePage, missingPages, rowAt, type ListModel } from '../../ui/src/list-model.js';

function summary(seq: number, read = false): MessageSummary {
  return {
    id: `m${seq}`, seq, receivedAt: '2025-03-18T10:00:00.000Z', envelope: { mailFrom: 'a@example.com', rcptTo: ['b@example.org'] },
    messageId: null, subject: `Message ${seq}`, from: [], to: [], cc: [], date: null, snippet: '', sizeBytes: 100,
    attachmentCount: 0, read, tags: [], parseError: null,
  };
}

/** The server's list of `total` messages with seqs total..1, newest first; a page of it. */
function page(total: number, offset: number, limit: number) {
  const messages: MessageSummary[] = [];
  for (let i = offset; i < Math.min(total, offset + limit); i += 1) messages.push(summary(total - i));
  return { offset, total, messages };
}

/** The list as the UI shows it: seq of each index, `null` for a row not loaded. */
function view(model: ListModel): (number | null)[] {
  return Array.from({ length: model.total }, (_, i) => rowAt(model, i)?.seq ?? null);
}

const received = (seq: number, n: number): SinkEvent => ({ type: 'message.received', seq: n, message: summary(seq) });

describe('list model', () => {
  it('places pages at their offsets with gaps between', () => {
    let model = mergePage(EMPTY_MODEL, page(10, 0, 3));
    expect(view(model)).toEqual([10, 9, 8, null, null, null, null, null, null, null]);
    model = mergePage(model, page(10, 6, 3));
    expect(view(model)).toEqual([10, 9, 8, null, null, null, 4, 3, 2, null]);
    expect(missingPages(model, 0, 10, 3)).toEqual([1, 3]);
    model = mergePage(model, page(10, 3, 3));
    model = mergePage(model, page(10, 9, 3));
    expect(view(model)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(missingPages(model, 0, 10, 3)).toEqual([]);
    expect(indexOfId(model, 'm1')).toBe(9);
  });

  it('a refetched page drops rows deleted meanwhile and resizes the gaps', () => {
    let model = mergePage(EMPTY_MODEL, page(10, 0, 10));
    const server = page(10, 0, 10).messages.filter((m) => m.seq !== 7); // 7 deleted without an event we saw
    model = mergePage(model, { offset: 0, total: 9, messages: server.slice(0, 4) });
    expect(view(model)).toEqual([10, 9, 8, 6, 5, 4, 3, 2, 1]);
  });

  it('a last page drops older rows that no longer exist; an empty first page empties the list', () => {
    let model = mergePage(EMPTY_MODEL, page(10, 0, 10));
    model = mergePage(model, { offset: 5, total: 7, messages: page(10, 5, 2).messages });
    expect(view(model)).toEqual([10, 9, 8, 7, 6, 5, 4]);
    expect(mergePage(model, { offset: 0, total: 0, messages: [] }).total).toBe(0);
  });

  it('forgets rows outside a window as gaps, keeping every index', () => {
    const model = forgetOutside(mergePage(EMPTY_MODEL, page(10, 0, 10)), 3, 6);
    expect(view(model)).toEqual([null, null, null, 7, 6, 5, null, null, null, null]);
  });
});

describe('live events on the list', () => {
  const full = () => mergePage(EMPTY_MODEL, page(5, 0, 5));

  it('puts a burst of arrivals on top in one pass, exactly', () => {
    const { model, stale } = applyEvents(full(), [received(6, 1), received(7, 2), received(8, 3)], '');
    expect(view(model)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(stale).toBe(false);
  });

  it('arrivals above a partly loaded list keep the gaps', () => {
    const partial = mergePage(EMPTY_MODEL, page(100, 0, 2));
    const { model } = applyEvents(partial, [received(101, 1)], '');
    expect(view(model).slice(0, 4)).toEqual([101, 100, 99, null]);
    expect(model.total).toBe(101);
  });

  it('deletions remove loaded rows; evictions of rows not loaded shrink the last gap', () => {
    const partial = mergePage(EMPTY_MODEL, page(10, 0, 3));
    const { model, stale } = applyEvents(partial, [
      { type: 'message.deleted', seq: 1, ids: ['m9'], reason: 'api' },
      { type: 'message.deleted', seq: 2, ids: ['m1', 'm2'], reason: 'evicted' },
    ], '');
    expect(view(model)).toEqual([10, 8, null, null, null, null, null]);
    expect(stale).toBe(false);
  });

  it('updates replace rows; store.cleared empties; a search makes arrivals stale instead of guessing', () => {
    const updated = applyEvents(full(), [{ type: 'message.updated', seq: 1, message: summary(3, true) }], '');
    expect(rowAt(updated.model, 2)?.read).toBe(true);
    expect(applyEvents(full(), [{ type: 'store.cleared', seq: 1 }, received(6, 2)], '').model.total).toBe(1);
    const searching = applyEvents(full(), [received(6, 1)], 'from:alice');
    expect(searching.stale).toBe(true);
    expect(view(searching.model)).toEqual([5, 4, 3, 2, 1]);
  });

  it('rows that arrived during a fetch survive the merge of a first page computed before them', () => {
    const live = applyEvents(full(), [received(6, 1)], '').model;
    const merged = mergePage(live, page(5, 0, 5), { arrived: new Set(['m6']), deleted: new Set(), updated: new Map() });
    expect(view(merged)).toEqual([6, 5, 4, 3, 2, 1]);
    const ghost = mergePage(live, page(5, 0, 5));
    expect(view(ghost)).toEqual([5, 4, 3, 2, 1]);
  });
});
