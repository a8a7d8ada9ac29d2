/**
 * The highlighted row of the message list (moved by j/k and the arrow keys, opened with Enter).
 * It is held by message id, so it stays on the same message when new mail arrives above it, and
 * by index while it points at a row whose page is still loading. It follows the open message.
 */
import { useCallback, useEffect, useState } from 'react';
import { indexOfId, rowAt, type ListModel } from './list-model.js';

export interface ListNavigation {
  /** Index of the highlighted row, `-1` for none. */
  activeIndex: number;
  /** Id of the highlighted row, `null` when none or not loaded yet. */
  activeId: string | null;
  /** Highlights row `index` (clamped); returns the index used. */
  moveTo(index: number): number;
  /** Moves the highlight by `delta` rows (from the top when nothing is highlighted). */
  moveBy(delta: number): number;
}

export function useListNavigation(model: ListModel, selectedId: string | null): ListNavigation {
  const [active, setActive] = useState<{ id: string | null; index: number }>({ id: selectedId, index: -1 });

  useEffect(() => {
    if (selectedId !== null) setActive((old) => (old.id === selectedId ? old : { id: selectedId, index: -1 }));
  }, [selectedId]);

  const byId = indexOfId(model, active.id);
  const activeIndex = byId >= 0 ? byId : Math.min(active.index, model.total - 1);

  const moveTo = useCallback(
    (index: number) => {
      if (model.total === 0) return -1;
      const target = Math.max(0, Math.min(model.total - 1, index));
      setActive({ id: rowAt(model, target)?.id ?? null, index: target });
      return target;
    },
    [model],
  );
  const moveBy = useCallback((delta: number) => moveTo(activeIndex < 0 ? 0 : activeIndex + delta), [moveTo, activeIndex]);

  return { activeIndex, activeId: rowAt(model, activeIndex)?.id ?? null, moveTo, moveBy };
}
