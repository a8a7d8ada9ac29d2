/**
 * Mailboxes: every accepted envelope recipient (`RCPT TO`) is a mailbox, so parallel tests that
 * each send to their own address never see each other's mail. An address is lowercased and its
 * sub-address (`user+tag@domain`, RFC 5233) folded into the base mailbox, the tag kept apart.
 * Mailboxes are derived from the stored messages on demand, so counts and membership follow
 * deletes and eviction without bookkeeping.
 */
import type { Mailbox } from '../contract.js';
import type { StoredMessage } from './store.js';

/** Where one recipient address is filed. */
export interface MailboxRef {
  /** Lowercased address without the `+tag`, e.g. `alice@example.org`. */
  mailbox: string;
  /** Lowercased sub-address after the first `+` (`signup` for `Alice+Signup@example.org`), or `null`. */
  tag: string | null;
}

/**
 * Files an address: lowercased; `local+tag@domain` → mailbox `local@domain`, tag `tag`. Quoted
 * local parts, a leading `+` and an empty tag are not folded (the whole address is the mailbox).
 */
export function mailboxOf(address: string): MailboxRef {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  const local = at === -1 ? lower : lower.slice(0, at);
  const domain = at === -1 ? '' : lower.slice(at);
  const plus = local.indexOf('+');
  if (local.startsWith('"') || plus <= 0 || plus === local.length - 1) return { mailbox: lower, tag: null };
  return { mailbox: local.slice(0, plus) + domain, tag: local.slice(plus + 1) };
}

/** The mailboxes of a message's envelope recipients, each (mailbox, tag) pair once, in `RCPT TO` order. */
export function mailboxesOf(message: Pick<StoredMessage, 'envelope'>): MailboxRef[] {
  const seen = new Set<string>();
  const out: MailboxRef[] = [];
  for (const rcpt of message.envelope.rcptTo) {
    const ref = mailboxOf(rcpt);
    const key = `${ref.mailbox}\n${ref.tag ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
  }
  return out;
}

/**
 * Every mailbox of the given messages with its message count, unread count and tags, sorted by
 * mailbox then tag. A message counts once per mailbox even when sent to several of its tags.
 */
export function listMailboxes(messages: Iterable<StoredMessage>): Mailbox[] {
  const boxes = new Map<string, { count: number; unread: number; tags: Map<string, number> }>();
  for (const message of messages) {
    const refs = mailboxesOf(message);
    for (const name of new Set(refs.map((ref) => ref.mailbox))) {
      let box = boxes.get(name);
      if (!box) boxes.set(name, (box = { count: 0, unread: 0, tags: new Map() }));
      box.count += 1;
      if (!message.read) box.unread += 1;
      for (const ref of refs) if (ref.mailbox === name && ref.tag !== null) box.tags.set(ref.tag, (box.tags.get(ref.tag) ?? 0) + 1);
    }
  }
  return [...boxes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([mailbox, box]) => ({
      mailbox,
      count: box.count,
      unread: box.unread,
      tags: [...box.tags.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([tag, count]) => ({ tag, count })),
    }));
}
