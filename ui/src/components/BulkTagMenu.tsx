import { useState } from 'react';
import type { TagCount } from '../bulk-api.js';
import { Icon } from './Icon.js';
import { TagNameInput } from './TagNameInput.js';
import { usePopover } from '../use-popover.js';

interface BulkTagMenuProps {
  suggestions: readonly TagCount[];
  onAdd(name: string): void;
  onRemove(name: string): void;
}

/** "Tag…" of the bulk bar: a tag name (with suggestions), then add it to or remove it from the selection. */
export function BulkTagMenu({ suggestions, onAdd, onRemove }: BulkTagMenuProps) {
  const popover = usePopover();
  const [text, setText] = useState('');
  const name = text.trim();
  const run = (action: (name: string) => void) => {
    if (name === '') return;
    action(name);
    setText('');
    popover.setOpen(false);
  };
  return (
    <div className="popover-anchor" ref={popover.ref} onKeyDown={popover.onKeyDown}>
      <button type="button" aria-expanded={popover.open} aria-haspopup="true" data-testid="bulk-tag" onClick={() => popover.setOpen(!popover.open)}>
        <Icon name="tag" />
        <span className="phone-hidden-text">Tag…</span>
      </button>
      {popover.open && (
        <form
          className="popover bulk-tag-menu"
          aria-label="Tag the selected messages"
          onSubmit={(event) => {
            event.preventDefault();
            run(onAdd);
          }}
        >
          <TagNameInput value={text} onChange={setText} suggestions={suggestions} label="Tag name" testId="bulk-tag-input" autoFocus />
          <div className="popover-actions">
            <button type="submit" disabled={name === ''} data-testid="bulk-tag-add">
              Add tag
            </button>
            <button type="button" disabled={name === ''} data-testid="bulk-tag-remove" onClick={() => run(onRemove)}>
              Remove tag
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
