/**
 * Tag colours and tag searches. A tag's colour is a hue derived from a hash of its lower-cased
 * name (so `Invoice` and `invoice` match), drawn as a pale chip with dark text: the chip brings
 * both colours, so it reads the same in the light and the dark theme. The user may pick a hue from
 * {@link TAG_PALETTE} per tag; those choices live in localStorage under {@link TAG_COLOURS_KEY}.
 */

/** localStorage key of the user's colour choices: JSON `{ [lowercased tag]: hue }`. */
export const TAG_COLOURS_KEY = 'mailsink.tagColours';

/** The hues (degrees) a user can choose from in the tag menu, with their names. */
export const TAG_PALETTE: readonly { readonly name: string; readonly hue: number }[] = [
  { name: 'Red', hue: 0 },
  { name: 'Orange', hue: 30 },
  { name: 'Yellow', hue: 50 },
  { name: 'Green', hue: 130 },
  { name: 'Teal', hue: 175 },
  { name: 'Blue', hue: 215 },
  { name: 'Purple', hue: 270 },
  { name: 'Pink', hue: 320 },
];

/** The user's colour choices: lowercased tag name → hue in degrees. */
export type TagColourOverrides = Readonly<Record<string, number>>;

/** CSS colours of a tag chip. */
export interface TagColour {
  background: string;
  color: string;
}

/** The part of `localStorage` used here (a stand-in in tests). */
export interface TagColourStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The page's localStorage, `undefined` where there is none (Node, storage blocked). */
function pageStorage(): TagColourStorage | undefined {
  try {
    return (globalThis as { localStorage?: TagColourStorage }).localStorage;
  } catch {
    return undefined;
  }
}

/** FNV-1a 32-bit hash of a string (UTF-16 code units). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The default hue (0–359 degrees) of a tag, from its lower-cased name. */
export function defaultHue(name: string): number {
  return hash(name.toLowerCase()) % 360;
}

/** Chip colours for a hue: light background, dark text (contrast well above 4.5:1 in either theme). */
export function colourOfHue(hue: number): TagColour {
  return { background: `hsl(${hue} 75% 88%)`, color: `hsl(${hue} 70% 22%)` };
}

/** The user's colour choices from localStorage (`{}` when none or unreadable). */
export function readTagColours(storage: Pick<TagColourStorage, 'getItem'> | undefined = pageStorage()): TagColourOverrides {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(TAG_COLOURS_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, hue]) => typeof hue === 'number' && Number.isFinite(hue)));
  } catch {
    return {};
  }
}

/** The overrides with tag `name` set to `hue` (`null`: back to the default), saved to localStorage. */
export function saveTagColour(overrides: TagColourOverrides, name: string, hue: number | null, storage: Pick<TagColourStorage, 'setItem'> | undefined = pageStorage()): TagColourOverrides {
  const next: Record<string, number> = { ...overrides };
  if (hue === null) delete next[name.toLowerCase()];
  else next[name.toLowerCase()] = hue;
  try {
    storage?.setItem(TAG_COLOURS_KEY, JSON.stringify(next));
  } catch {
    // Storage full or blocked: the choice lasts until reload.
  }
  return next;
}

/** The hue a tag is shown in: the user's choice, else its {@link defaultHue}. */
export function tagHue(name: string, overrides: TagColourOverrides = readTagColours()): number {
  return overrides[name.toLowerCase()] ?? defaultHue(name);
}

/** Chip colours of tag `name`: the user's choice (from localStorage unless `overrides` is given), else a hue from its name. */
export function tagColour(name: string, overrides: TagColourOverrides = readTagColours()): TagColour {
  return colourOfHue(tagHue(name, overrides));
}

/** The search term for a tag: `tag:name`, quoted when the name has spaces (see server/core/query-parse.ts). */
export function tagQuery(name: string): string {
  if (/^[^\s"\\]+$/.test(name)) return `tag:${name}`;
  return `tag:"${name.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}
