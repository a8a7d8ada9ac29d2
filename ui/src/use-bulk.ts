/**
 * The inbox's bulk selection and tags in one hook, to keep `App` small: the selection of the list,
 * the tags in use, a tag search, and what a row's checkbox or modified click does.
 */
import { useCallback } from 'react';
import type { RowSelect } from './components/RowSelect.js';
import type { ListModel } from './list-model.js';
import { tagQuery } from './tags.js';
import { useSelection, type Selection } from './use-selection.js';
import { useTags, type TagsState } from './use-tags.js';

export interface Bulk {
  selection: Selection;
  tags: TagsState;
  /** Searches `tag:NAME`. */
  filterTag(name: string): void;
  selectRow: RowSelect;
}

/** For the list `model` of the search `query`; `setQuery` changes the search. */
export function useBulk(model: ListModel, query: string, setQuery: (query: string) => void): Bulk {
  const selection = useSelection(model, query);
  const tags = useTags();
  const filterTag = useCallback((name: string) => setQuery(tagQuery(name)), [setQuery]);
  const { extendTo, toggle } = selection;
  const selectRow = useCallback<RowSelect>((id, index, how) => (how === 'range' ? extendTo(index) : toggle(id, index)), [extendTo, toggle]);
  return { selection, tags, filterTag, selectRow };
}
