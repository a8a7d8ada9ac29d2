import { useEffect, useState } from 'react';
import { TagNameInput } from './TagNameInput.js';
import { errorText } from '../api.js';
import { setMessageTags, type TagCount } from '../bulk-api.js';
import { TagChip } from './TagChip.js';

interface TagEditorProps {
  messageId: string;
  /** The message's tags as last reported (list summary, kept live by events, else the detail). */
  tags: readonly string[];
  /** Tags in use, offered as suggestions. */
  suggestions: readonly TagCount[];
  onFilter(name: string): void;
  onError(message: string): void;
}

/** The open message's tags: chips with ×, and an input that adds one (`PATCH /api/messages/:id {tags}`). */
export function TagEditor({ messageId, tags, suggestions, onFilter, onError }: TagEditorProps) {
  /** The set this editor last saved, until the live summary reports a change. */
  const [local, setLocal] = useState<readonly string[] | null>(null);
  const reported = tags.join('\n');
  useEffect(() => setLocal(null), [reported]);
  const current = local ?? tags;

  const save = (next: readonly string[], what: string) => {
    setMessageTags(messageId, next).then(
      (updated) => setLocal(updated.tags),
      (error: unknown) => onError(`Could not ${what}: ${errorText(error)}`),
    );
  };
  const add = (name: string) => {
    if (current.some((tag) => tag.toLowerCase() === name.toLowerCase())) return;
    save([...current, name], `add the tag “${name}”`);
  };
  const remove = (name: string) => save(current.filter((tag) => tag !== name), `remove the tag “${name}”`);
  const offered = suggestions.filter((tag) => !current.some((own) => own.toLowerCase() === tag.name.toLowerCase()));

  return (
    <div className="tag-editor" data-testid="tag-editor">
      <ul className="tag-list" aria-label="Tags">
        {current.map((tag) => (
          <li key={tag}>
            <TagChip name={tag} onFilter={onFilter} onRemove={remove} />
          </li>
        ))}
      </ul>
      <TagAddForm suggestions={offered} onAdd={add} />
    </div>
  );
}

/** The add-a-tag field, with the tags in use as suggestions; `onAdd` gets the trimmed, non-empty name. */
function TagAddForm({ suggestions, onAdd }: { suggestions: readonly TagCount[]; onAdd(name: string): void }) {
  const [text, setText] = useState('');
  return (
    <form
      className="tag-add"
      onSubmit={(event) => {
        event.preventDefault();
        const name = text.trim();
        if (name === '') return;
        setText('');
        onAdd(name);
      }}
    >
      <TagNameInput value={text} onChange={setText} suggestions={suggestions} label="Add a tag" testId="tag-input" />
      <button type="submit" disabled={text.trim() === ''} data-testid="tag-add">
        Add
      </button>
    </form>
  );
}
