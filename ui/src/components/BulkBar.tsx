import { useState } from 'react';
import { errorText } from '../api.js';
import { deleteMessages, exportPath, updateMessages, type BulkChanges, type TagCount } from '../bulk-api.js';
import type { Selection } from '../use-selection.js';
import { BulkTagMenu } from './BulkTagMenu.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { Icon } from './Icon.js';

interface BulkBarProps {
  selection: Selection;
  /** Messages in the list (matching the search). */
  total: number;
  searching: boolean;
  tags: readonly TagCount[];
  /** After a change was made (the caller refetches when the event stream is down). */
  onChanged(): void;
  onError(message: string): void;
}

function plural(count: number): string {
  return `${count} ${count === 1 ? 'message' : 'messages'}`;
}

/** Actions on the selected messages; "all matching" sends the search instead of ids. */
export function BulkBar({ selection, total, searching, tags, onChanged, onError }: BulkBarProps) {
  const { target, count } = selection;
  if (target === null) return null;

  const update = (changes: BulkChanges, what: string) => {
    updateMessages(target, changes).then(onChanged, (error: unknown) => onError(`Could not ${what}: ${errorText(error)}`));
  };
  const remove = () => {
    selection.clear();
    deleteMessages(target).then(onChanged, (error: unknown) => onError(`Could not delete the messages: ${errorText(error)}`));
  };

  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected messages" data-testid="bulk-bar">
      <span className="bulk-count" aria-live="polite" data-testid="bulk-count">
        {count} selected
      </span>
      {!selection.all && total > count && (
        <button type="button" className="link-button" data-testid="bulk-select-all" title={`Select all ${total}${searching ? ' matching' : ''}`} onClick={selection.selectAll}>
          <span className="phone-hidden-text">Select </span>all {total}
          {searching && <span className="phone-hidden-text"> matching</span>}
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Mark read" title="Mark read" data-testid="bulk-read" onClick={() => update({ read: true }, 'mark the messages read')}>
        <Icon name="mailOpen" />
      </button>
      <button type="button" className="icon-button" aria-label="Mark unread" title="Mark unread" data-testid="bulk-unread" onClick={() => update({ read: false }, 'mark the messages unread')}>
        <Icon name="mail" />
      </button>
      <BulkTagMenu
        suggestions={tags}
        onAdd={(name) => update({ addTags: [name] }, `add the tag “${name}”`)}
        onRemove={(name) => update({ removeTags: [name] }, `remove the tag “${name}”`)}
      />
      <a className="button icon-button" href={exportPath(target)} download="" aria-label="Download" title="Download as one mbox file" data-testid="bulk-download">
        <Icon name="download" />
      </a>
      <BulkDeleteButton count={count} all={selection.all} searching={searching} onConfirm={remove} />
      <button type="button" className="icon-button" aria-label="Clear selection" title="Clear selection (Esc)" data-testid="bulk-clear" onClick={selection.clear}>
        ×
      </button>
    </div>
  );
}

/** Delete, after a confirmation naming how many messages go. */
function BulkDeleteButton({ count, all, searching, onConfirm }: { count: number; all: boolean; searching: boolean; onConfirm(): void }) {
  const [confirming, setConfirming] = useState(false);
  const what = all ? `all ${plural(count)}${searching ? ' matching the search' : ''}` : `the ${plural(count)} selected`;
  return (
    <>
      <button type="button" className="icon-button danger" aria-label="Delete" title="Delete" data-testid="bulk-delete" onClick={() => setConfirming(true)}>
        <Icon name="trash" />
      </button>
      {confirming && (
        <ConfirmDialog
          open
          title="Delete the selected messages?"
          message={`Delete ${what}? This cannot be undone.`}
          confirmLabel={`Delete ${plural(count)}`}
          onConfirm={() => {
            setConfirming(false);
            onConfirm();
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
    </>
  );
}
