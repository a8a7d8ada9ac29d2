import { useEffect, useId, useState, type Ref } from 'react';
import { usePhoneLayout } from '../use-media-query.js';
import { Icon } from './Icon.js';

/** Typing pauses this long before the search runs (Enter runs it at once). */
const DEBOUNCE_MS = 250;

interface SearchBoxProps {
  /** The search in effect. */
  query: string;
  onSearch(query: string): void;
  ref?: Ref<HTMLInputElement>;
}

/**
 * The search box: the server's query grammar (words, "phrases", from:, to:, subject:, is:read,
 * is:unread, has:attachment, a leading - negates). Escape clears it.
 */
export function SearchBox({ query, onSearch, ref }: SearchBoxProps) {
  const phone = usePhoneLayout();
  const [text, setText] = useState(query);
  const [shown, setShown] = useState(query);
  if (shown !== query) {
    // A search set from outside (a tag chip) shows in the box.
    setShown(query);
    setText(query);
  }
  const hintId = useId();

  useEffect(() => {
    if (text === query) return;
    const timer = setTimeout(() => onSearch(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // Only typing schedules a search; a new `query` from outside must not echo back.
  }, [text]);

  return (
    <form
      className="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text);
      }}
    >
      <label className="search-field">
        <span className="visually-hidden">Search messages</span>
        <Icon name="search" className="search-icon" />
        <input
          ref={ref}
          type="search"
          value={text}
          placeholder={phone ? 'Search mail' : 'Search: words, from:, subject:, tag:, is:unread'}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={hintId}
          data-testid="search-input"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.preventDefault();
            setText('');
            onSearch('');
            event.currentTarget.blur();
          }}
        />
      </label>
      <span id={hintId} className="visually-hidden">
        Words and quoted phrases match subject, addresses and text. Also from:, to:, subject:, is:read, is:unread,
        has:attachment, tag:; a leading minus excludes. Press slash to get here, Escape to clear.
      </span>
    </form>
  );
}
