import { useEffect, useRef } from 'react';
import type { TagCount } from '../bulk-api.js';
import type { Selection } from '../use-selection.js';
import { BulkBar } from './BulkBar.js';
import { TagMenu } from './TagMenu.js';

interface ListHeaderProps {
  selection: Selection;
  total: number;
  searching: boolean;
  tags: readonly TagCount[];
  onFilterTag(name: string): void;
  onChanged(): void;
  onError(message: string): void;
}

/** Above the list: select all (matching), then the tag menu, or the bulk actions while something is selected. */
export function ListHeader({ selection, total, searching, tags, onFilterTag, onChanged, onError }: ListHeaderProps) {
  const box = useRef<HTMLInputElement>(null);
  const some = selection.count > 0;
  useEffect(() => {
    if (box.current) box.current.indeterminate = some && !selection.all;
  }, [some, selection.all]);
  return (
    <div className={some ? 'list-header list-header-selecting' : 'list-header'} data-testid="list-header">
      <input
        ref={box}
        type="checkbox"
        className="select-all"
        checked={selection.all && total > 0}
        disabled={total === 0}
        aria-label={some ? 'Clear selection' : `Select all ${total}${searching ? ' matching' : ''}`}
        title={some ? 'Clear selection' : `Select all ${total}${searching ? ' matching' : ''}`}
        data-testid="select-all"
        onChange={() => (some ? selection.clear() : selection.selectAll())}
      />
      {some ? (
        <BulkBar selection={selection} total={total} searching={searching} tags={tags} onChanged={onChanged} onError={onError} />
      ) : (
        <>
          <span className="list-header-hint">Select</span>
          <TagMenu tags={tags} onFilter={onFilterTag} />
        </>
      )}
    </div>
  );
}
