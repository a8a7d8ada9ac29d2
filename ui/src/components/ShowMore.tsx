import { useState } from 'react';

/** How many items a collapsed list shows. */
export const COLLAPSED_COUNT = 3;

/** A list that shows its first {@link COLLAPSED_COUNT} items until expanded. */
export interface Collapsible<T> {
  /** The items to render now. */
  shown: readonly T[];
  /** How many are hidden while collapsed (0: the list is short enough to show whole). */
  hidden: number;
  expanded: boolean;
  toggle(): void;
}

/**
 * Collapses a long list (e.g. 30 recipients) to its first `limit` items. A list of `limit + 1`
 * shows whole: "and 1 more" would save nothing.
 */
export function useCollapsible<T>(items: readonly T[], limit = COLLAPSED_COUNT): Collapsible<T> {
  const [expanded, setExpanded] = useState(false);
  const hidden = items.length > limit + 1 ? items.length - limit : 0;
  return {
    shown: expanded || hidden === 0 ? items : items.slice(0, limit),
    hidden,
    expanded,
    toggle: () => setExpanded((open) => !open),
  };
}

interface ShowMoreButtonProps {
  hidden: number;
  expanded: boolean;
  onToggle(): void;
  /** The id of the element the button expands. */
  controls: string;
  testId: string;
}

/** "and 27 more" / "show fewer": a real button with `aria-expanded`; nothing for a short list. */
export function ShowMoreButton({ hidden, expanded, onToggle, controls, testId }: ShowMoreButtonProps) {
  if (hidden === 0) return null;
  return (
    <button type="button" className="link-button show-more" aria-expanded={expanded} aria-controls={controls} onClick={onToggle} data-testid={testId}>
      {expanded ? 'show fewer' : `and ${hidden} more`}
    </button>
  );
}
