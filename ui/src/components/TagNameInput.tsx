import { useId } from 'react';
import type { TagCount } from '../bulk-api.js';

interface TagNameInputProps {
  value: string;
  onChange(value: string): void;
  /** Tags in use, offered in a `<datalist>`. */
  suggestions: readonly TagCount[];
  /** Placeholder and accessible name. */
  label: string;
  testId: string;
  autoFocus?: boolean;
}

/** A tag name field (at most 100 characters, as the API allows) with the tags in use as suggestions. */
export function TagNameInput({ value, onChange, suggestions, label, testId, autoFocus = false }: TagNameInputProps) {
  const listId = useId();
  return (
    <>
      <input
        type="text"
        value={value}
        list={listId}
        placeholder={label}
        aria-label={label}
        maxLength={100}
        autoComplete="off"
        autoFocus={autoFocus}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {suggestions.map((tag) => (
          <option key={tag.name} value={tag.name} />
        ))}
      </datalist>
    </>
  );
}
