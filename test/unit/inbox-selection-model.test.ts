/** The inbox's bulk selection (ui/src/selection-model.ts): toggle, shift-ranges over a sparse list, leaving "all matching". */
import { describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../server/contract.js';
import { EMPTY_MODEL, mergePage, type ListModel } from '../../ui/src/list-model.js';
import { EMPTY_SELECTION, extended, toggled, type SelectionState } from '../../ui/src/selection-model.js';

function summary(seq: number): MessageSummary {
  return {
    id: `m${seq}`, seq, receivedAt: '2025-03-18T10:00:00.000Z', envelope: { mailFrom: 'a@example.com', rcptTo: ['b@example.org'] },
    messageId: null, subject: `Message ${seq}`, from: [], to: [], cc: [], date: null, snippet: '', sizeBytes: 100,
    attachmentCount: 0, read: false, tags: [], parseError: null,
  };
}

/** A list of `total` messages (seq total..1, newest first) with only `[offset, offset + limit)` loaded. */
function listOf(total: number, offset = 0, limit = total): ListModel {
  const messages: MessageSummary[] = [];
  for (let i = offset; i < Math.min(total, offset + limit); i += 1) messages.push(summary(total - i));
  return mergePage(EMPTY_MODEL, { offset, total, messages });
}

const ids = (state: SelectionState) => [...state.ids].sort();

describe('selection model', () => {
  it('toggles one message on and off', () => {
    const model = listOf(5);
    const one = toggled(EMPTY_SELECTION, model, 'm4', 1);
    expect(ids(one)).toEqual(['m4']);
    expect(one.anchor).toEqual({ id: 'm4', index: 1 });
    expect(ids(toggled(one, model, 'm4', 1))).toEqual([]);
  });

  it('extends a range from the anchor either way, adding to what is selected', () => {
    const model = listOf(6); // m6 m5 m4 m3 m2 m1
    const down = extended(toggled(EMPTY_SELECTION, model, 'm6', 0), model, 2);
    expect(ids(down)).toEqual(['m4', 'm5', 'm6']);
    const withOne = toggled(down, model, 'm1', 5);
    expect(ids(extended(withOne, model, 4))).toEqual(['m1', 'm2', 'm4', 'm5', 'm6']);
  });

  it('follows the anchor by id when new mail moves it down', () => {
    const before = listOf(4); // m4 m3 m2 m1
    const anchored = toggled(EMPTY_SELECTION, before, 'm3', 1);
    const after = listOf(6); // m6 m5 m4 m3 m2 m1: m3 is now at index 3
    expect(ids(extended(anchored, after, 5))).toEqual(['m1', 'm2', 'm3']);
  });

  it('a range over rows not loaded selects only the loaded ones', () => {
    const model = listOf(10, 0, 3); // m10 m9 m8 loaded, 7 rows not
    expect(ids(extended(toggled(EMPTY_SELECTION, model, 'm10', 0), model, 9))).toEqual(['m10', 'm8', 'm9']);
  });

  it('leaving "all matching" by a toggle keeps every loaded row but that one', () => {
    const model = listOf(10, 0, 3);
    const all: SelectionState = { ids: new Set(), all: true, anchor: null };
    const left = toggled(all, model, 'm9', 1);
    expect(left.all).toBe(false);
    expect(ids(left)).toEqual(['m10', 'm8']);
    expect(extended(all, model, 2)).toBe(all);
  });
});
