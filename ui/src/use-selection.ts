/**
 * Messages selected for bulk actions (the row checkboxes), apart from the open message. Either a
 * set of ids or "all matching": every message of the current search, including the rows the
 * virtual list has not loaded, sent to the server as the query. Ids are kept, not indexes, so the
 * selection survives live inserts; deleted ids leave it; a new search clears it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BulkTarget } from './bulk-api.js';
import type { ListModel } from './list-model.js';
import { EMPTY_SELECTION as EMPTY, extended, toggled, type SelectionState } from './selection-model.js';

export interface Selection {
  /** Number of selected messages (the list's total when all matching are selected). */
  count: number;
  all: boolean;
  isSelected(id: string): boolean;
  /** Toggles one message; row `index` becomes the anchor of the next range. */
  toggle(id: string, index: number): void;
  /** Adds every loaded row from the anchor to `index` (inclusive). */
  extendTo(index: number): void;
  selectAll(): void;
  clear(): void;
  /** Drops deleted messages (`'all'`: the store was cleared). */
  forget(removed: readonly string[] | 'all'): void;
  /** What a bulk action applies to, `null` when nothing is selected. */
  target: BulkTarget | null;
}

/** Selection of the list `model` showing the search `query`. */
export function useSelection(model: ListModel, query: string): Selection {
  const [state, setState] = useState<SelectionState>(EMPTY);
  useEffect(() => setState(EMPTY), [query]);
  // Read when a click is handled, so the callbacks stay the same while mail arrives (rows are memoised).
  const modelRef = useRef(model);
  useEffect(() => {
    modelRef.current = model;
  });

  const toggle = useCallback((id: string, index: number) => setState((old) => toggled(old, modelRef.current, id, index)), []);
  const extendTo = useCallback((index: number) => setState((old) => extended(old, modelRef.current, index)), []);
  const selectAll = useCallback(() => setState({ ids: new Set(), all: true, anchor: null }), []);
  const clear = useCallback(() => setState(EMPTY), []);
  const forget = useCallback((removed: readonly string[] | 'all') => {
    if (removed === 'all') return setState(EMPTY);
    if (removed.length === 0) return;
    setState((old) => {
      if (!removed.some((id) => old.ids.has(id))) return old;
      const ids = new Set(old.ids);
      for (const id of removed) ids.delete(id);
      return { ...old, ids };
    });
  }, []);

  return useMemo(() => {
    const count = state.all ? model.total : state.ids.size;
    const target: BulkTarget | null = state.all ? { query } : state.ids.size > 0 ? { ids: [...state.ids] } : null;
    return {
      count,
      all: state.all,
      isSelected: (id: string) => state.all || state.ids.has(id),
      toggle,
      extendTo,
      selectAll,
      clear,
      forget,
      target: count === 0 ? null : target,
    };
  }, [state, model.total, query, toggle, extendTo, selectAll, clear, forget]);
}
