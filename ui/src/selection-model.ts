/**
 * The bulk selection as pure functions over the list model (no React, unit-tested): a set of ids,
 * or "all matching" the search. Ids rather than indexes, so it survives rows moving under it.
 */
import { indexOfId, rowAt, type ListModel } from './list-model.js';

export interface SelectionState {
  readonly ids: ReadonlySet<string>;
  /** Every message matching the search is selected. */
  readonly all: boolean;
  /** The row a shift-click extends from (the last one toggled), and its index then. */
  readonly anchor: { readonly id: string; readonly index: number } | null;
}

/** Nothing selected. */
export const EMPTY_SELECTION: SelectionState = { ids: new Set(), all: false, anchor: null };

/** Ids of the loaded rows with list index in `[from, to]`. */
function loadedIds(model: ListModel, from: number, to: number): string[] {
  const ids: string[] = [];
  for (let index = Math.max(0, from); index <= to && index < model.total; index += 1) {
    const row = rowAt(model, index);
    if (row) ids.push(row.id);
  }
  return ids;
}

/**
 * Toggles message `id` at list `index` (the next range's anchor). Leaving "all matching" keeps every
 * loaded row but this one selected.
 */
export function toggled(state: SelectionState, model: ListModel, id: string, index: number): SelectionState {
  const ids = new Set(state.all ? model.rows.map((row) => row.id) : state.ids);
  if (state.all || ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, all: false, anchor: { id, index } };
}

/** Adds every loaded row from the anchor (where it is now, else where it was) to `index`, inclusive. */
export function extended(state: SelectionState, model: ListModel, index: number): SelectionState {
  if (state.all) return state;
  const anchorIndex = state.anchor === null ? index : indexOfId(model, state.anchor.id);
  const from = anchorIndex >= 0 ? anchorIndex : (state.anchor?.index ?? index);
  const ids = new Set(state.ids);
  for (const id of loadedIds(model, Math.min(from, index), Math.max(from, index))) ids.add(id);
  const row = rowAt(model, index);
  return { ids, all: false, anchor: row ? { id: row.id, index } : state.anchor };
}

