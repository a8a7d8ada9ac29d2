/**
 * Message tags: labels a message carries besides its read flag, as Mailpit has them. A message is
 * tagged on arrival from its `X-Tags` header (comma-separated) and from the sub-addresses of its
 * envelope recipients (`alice+signup@example.org` → `signup`); tags are then set, renamed and
 * removed over the API. Names follow Mailpit's rules: letters, digits, space, `-`, `_`, `.` and
 * `@`, any other character becomes a space, runs of spaces collapse, at most 100 characters;
 * names are compared case-insensitively (the first spelling wins).
 */
import type { Store, StoredMessage } from './store.js';

/** Longest tag name, in characters. */
export const MAX_TAG_LENGTH = 100;

/** A tag name cleaned as Mailpit cleans it; `""` when nothing valid is left. */
export function cleanTag(value: string): string {
  return value.replace(/[^a-zA-Z0-9\-_ .@]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TAG_LENGTH).trim();
}

/** Cleaned, non-empty, case-insensitively unique tags, sorted case-insensitively. */
export function normaliseTags(values: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const value of values) {
    const tag = cleanTag(value);
    if (tag !== '' && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return sortTags([...seen.values()]);
}

/** Sorts tag names case-insensitively (then by code point, so the order is total). */
export function sortTags(tags: string[]): string[] {
  return tags.sort((a, b) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Tags of an `X-Tags` header value (comma-separated), uncleaned. */
export function tagsFromHeader(value: string | null | undefined): string[] {
  return value ? value.split(',') : [];
}

/** Sub-addresses of envelope recipients (`local+tag@domain` → `tag`, as written), uncleaned. */
export function plusTags(rcptTo: readonly string[]): string[] {
  const out: string[] = [];
  for (const rcpt of rcptTo) {
    const at = rcpt.lastIndexOf('@');
    const local = at === -1 ? rcpt : rcpt.slice(0, at);
    const plus = local.indexOf('+');
    if (!local.startsWith('"') && plus > 0 && plus < local.length - 1) out.push(local.slice(plus + 1));
  }
  return out;
}

/** Whether a message carries a tag (case-insensitive; `lowerTag` already lowercased). */
export function hasTag(message: Pick<StoredMessage, 'tags'>, lowerTag: string): boolean {
  return message.tags.some((tag) => tag.toLowerCase() === lowerTag);
}

/** Every tag in use in the store, sorted case-insensitively. */
export function allTags(store: Store): string[] {
  const seen = new Map<string, string>();
  for (const message of store.newestFirst()) for (const tag of message.tags) if (!seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  return sortTags([...seen.values()]);
}

/**
 * Renames a tag on every message that has it (case-insensitive match); a message that already
 * has the new name keeps one. Publishes `message.updated` per changed message. Resolves to how many changed.
 * @throws TagError when the new name is empty after cleaning.
 */
export async function renameTag(store: Store, from: string, to: string): Promise<number> {
  const name = cleanTag(to);
  if (name === '') throw new TagError(`invalid tag name "${to}": use letters, digits, space, - _ . @`);
  const lower = from.toLowerCase();
  let changed = 0;
  for (const message of store.newestFirst()) {
    if (!hasTag(message, lower)) continue;
    await store.setTags(message.id, message.tags.map((tag) => (tag.toLowerCase() === lower ? name : tag)));
    changed += 1;
  }
  return changed;
}

/** Removes a tag from every message (case-insensitive); publishes `message.updated` per changed message. Resolves to how many changed. */
export async function deleteTag(store: Store, tag: string): Promise<number> {
  const lower = tag.toLowerCase();
  let changed = 0;
  for (const message of store.newestFirst()) {
    if (!hasTag(message, lower)) continue;
    await store.setTags(message.id, message.tags.filter((t) => t.toLowerCase() !== lower));
    changed += 1;
  }
  return changed;
}

/** A tag name that cleans to nothing. */
export class TagError extends Error {
  readonly field = 'tags';
  constructor(message: string) {
    super(message);
    this.name = 'TagError';
  }
}
