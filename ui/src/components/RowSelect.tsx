import type { MouseEvent } from 'react';
import { TagChip } from './TagChip.js';

/** Selects row `id` at list `index`: `toggle` it, or extend a `range` to it from the last one toggled. */
export type RowSelect = (id: string, index: number, how: 'toggle' | 'range') => void;

/** Row tags shown before the rest are summarised as "+N". */
const MAX_ROW_TAGS = 2;

/** A row click: shift = range, ctrl/cmd = toggle (neither opens the message), plain = open. */
export function rowClick(event: MouseEvent, id: string, index: number, onOpen: (id: string, index: number) => void, onSelect: RowSelect | undefined): void {
  if (onSelect && event.shiftKey) onSelect(id, index, 'range');
  else if (onSelect && (event.ctrlKey || event.metaKey)) onSelect(id, index, 'toggle');
  else onOpen(id, index);
}

interface RowCheckboxProps {
  id: string;
  index: number;
  subject: string;
  checked: boolean;
  onSelect: RowSelect;
}

/**
 * The row's selection checkbox. Not a Tab stop (the list box is one; `x` toggles the highlighted
 * row), but a real, labelled checkbox for the mouse, touch and assistive technology.
 */
export function RowCheckbox({ id, index, subject, checked, onSelect }: RowCheckboxProps) {
  return (
    <input
      type="checkbox"
      className="row-check"
      tabIndex={-1}
      checked={checked}
      aria-label={`Select “${subject || '(no subject)'}”`}
      data-testid="row-check"
      onClick={(event) => {
        event.stopPropagation();
        onSelect(id, index, event.shiftKey ? 'range' : 'toggle');
      }}
      onChange={() => undefined /* state follows the selection */}
    />
  );
}

/** The first tags of a row as chips, then "+N". */
export function RowTags({ tags, onFilter }: { tags: readonly string[]; onFilter?(name: string): void }) {
  const shown = tags.slice(0, MAX_ROW_TAGS);
  return (
    <span className="row-tags" data-testid="row-tags" title={tags.join(', ')}>
      {shown.map((tag) => (
        <TagChip key={tag} name={tag} onFilter={onFilter} compact />
      ))}
      {tags.length > shown.length && <span className="row-tags-more">+{tags.length - shown.length}</span>}
    </span>
  );
}
