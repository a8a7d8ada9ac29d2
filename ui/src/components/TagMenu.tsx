import { useContext, useState } from 'react';
import type { TagCount } from '../bulk-api.js';
import { TAG_PALETTE, colourOfHue, tagHue } from '../tags.js';
import { TagColoursContext } from '../use-tag-colours.js';
import { usePopover } from '../use-popover.js';
import { TagChip } from './TagChip.js';

interface TagMenuProps {
  tags: readonly TagCount[];
  onFilter(name: string): void;
}

/** The colour choices for one tag: the palette and "Default". */
function ColourPicker({ name }: { name: string }) {
  const { overrides, setColour } = useContext(TagColoursContext);
  const current = tagHue(name, overrides);
  return (
    <div className="tag-palette" role="group" aria-label={`Colour of tag ${name}`} data-testid="tag-palette">
      {TAG_PALETTE.map(({ name: colourName, hue }) => (
        <button
          key={hue}
          type="button"
          className="tag-swatch"
          style={{ background: colourOfHue(hue).background, borderColor: colourOfHue(hue).color }}
          aria-label={`${colourName} for tag ${name}`}
          aria-pressed={current === hue}
          title={colourName}
          data-testid="tag-swatch"
          data-hue={hue}
          onClick={() => setColour(name, hue)}
        />
      ))}
      <button type="button" className="tag-swatch-default" disabled={overrides[name.toLowerCase()] === undefined} onClick={() => setColour(name, null)}>
        Default
      </button>
    </div>
  );
}

interface TagMenuItemProps {
  tag: TagCount;
  /** Its colour picker is open. */
  colouring: boolean;
  onColouring(open: boolean): void;
  onFilter(name: string): void;
}

/** One tag of the menu: its chip (click: search for it), its count, and its colour choice. */
function TagMenuItem({ tag, colouring, onColouring, onFilter }: TagMenuItemProps) {
  return (
    <li data-testid="tag-menu-item" data-tag={tag.name}>
      <div className="tag-menu-row">
        <TagChip name={tag.name} onFilter={onFilter} />
        <span className="tag-count" data-testid="tag-count">
          {tag.count}
        </span>
        <button
          type="button"
          className="tag-colour-button"
          aria-expanded={colouring}
          aria-label={`Choose the colour of tag ${tag.name}`}
          data-testid="tag-colour-button"
          onClick={() => onColouring(!colouring)}
        >
          Colour
        </button>
      </div>
      {colouring && <ColourPicker name={tag.name} />}
    </li>
  );
}

/** Tags in use with their counts: click one to search `tag:NAME`; "Colour" picks its colour. */
export function TagMenu({ tags, onFilter }: TagMenuProps) {
  const popover = usePopover();
  const [colouring, setColouring] = useState<string | null>(null);
  return (
    <div className="popover-anchor" ref={popover.ref} onKeyDown={popover.onKeyDown}>
      <button
        type="button"
        className="icon-button"
        aria-expanded={popover.open}
        aria-haspopup="true"
        data-testid="tag-menu-button"
        onClick={() => popover.setOpen(!popover.open)}
      >
        Tags{tags.length > 0 && <span className="badge">{tags.length}</span>}
      </button>
      {popover.open && (
        <div className="popover tag-menu" role="group" aria-label="Tags" data-testid="tag-menu">
          {tags.length === 0 && <p className="placeholder">No tags yet. Add one on an open message.</p>}
          <ul className="tag-menu-list">
            {tags.map((tag) => (
              <TagMenuItem
                key={tag.name}
                tag={tag}
                colouring={colouring === tag.name}
                onColouring={(on) => setColouring(on ? tag.name : null)}
                onFilter={(name) => {
                  popover.setOpen(false);
                  onFilter(name);
                }}
              />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
