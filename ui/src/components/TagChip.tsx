import type { MouseEvent } from 'react';
import { useTagColour } from '../use-tag-colours.js';

interface TagChipProps {
  name: string;
  /** Click on the name: show the messages with this tag. */
  onFilter?(name: string): void;
  /** Adds a × button labelled "Remove tag NAME". */
  onRemove?(name: string): void;
  /** Inside a list row: no buttons (the row is the control), the click goes to `onFilter` only. */
  compact?: boolean;
}

/** One tag, coloured by `tagColour` (the name is text, never markup). */
export function TagChip({ name, onFilter, onRemove, compact = false }: TagChipProps) {
  const colour = useTagColour(name);
  if (compact) {
    const onClick = (event: MouseEvent) => {
      if (!onFilter || event.shiftKey || event.ctrlKey || event.metaKey) return;
      event.stopPropagation();
      onFilter(name);
    };
    return (
      <span className="tag-chip" style={colour} data-testid="tag-chip" data-tag={name} title={`Show messages tagged ${name}`} onClick={onClick}>
        <span className="tag-chip-name">{name}</span>
      </span>
    );
  }
  return (
    <span className="tag-chip" style={colour} data-testid="tag-chip" data-tag={name}>
      {onFilter ? (
        <button type="button" className="tag-chip-name" title={`Show messages tagged ${name}`} aria-label={`Show messages tagged ${name}`} onClick={() => onFilter(name)}>
          {name}
        </button>
      ) : (
        <span className="tag-chip-name">{name}</span>
      )}
      {onRemove && (
        <button type="button" className="tag-chip-remove" aria-label={`Remove tag ${name}`} title={`Remove tag ${name}`} data-testid="tag-remove" onClick={() => onRemove(name)}>
          ×
        </button>
      )}
    </span>
  );
}
