/**
 * The SQLite engine's writes, run inside the transaction of a group commit (see `sqlite.ts`). Each
 * works on a {@link WriteContext}: counters it updates (adopted only once the transaction commits)
 * and the events it will publish (only once the commit is durable). The rules are the memory
 * engine's (`MessageStore` in `core/store.ts`), to the event.
 */
import type Database from 'better-sqlite3';
import type { SinkEventInput } from '../contract.js';
import type { MessageFacts } from '../core/parse.js';
import { newMessage, newMessageId } from '../core/store.js';
import type { NewMessage, StoredMessage, StoreLimits } from '../core/store.js';
import { normaliseTags } from '../core/tags.js';
import { toSummary } from '../core/views.js';
import type { MessageRow, SqliteMessage, SqliteReads } from './sqlite-rows.js';

/** The in-memory counters of a store, loaded at open and kept in step with every commit. */
export interface Counters {
  size: number;
  /** Sum of `size_bytes`. */
  totalBytes: number;
  unread: number;
  /** Highest `seq` ever given (also stored in `sink_state`). */
  lastSeq: number;
}

/** What one transaction accumulates. */
export interface WriteContext {
  counters: Counters;
  events: SinkEventInput[];
  /** Whether anything was written (a batch of no-ops needs no fsync). */
  dirty: boolean;
  /** Run once the commit is durable, in order (e.g. giving the caller's snapshot its facts). */
  after: (() => void)[];
}

/** Reads the counters from the file (at open). */
export function loadCounters(db: Database.Database): Counters {
  const totals = db.prepare('SELECT count(*) AS size, coalesce(sum(size_bytes), 0) AS totalBytes, coalesce(sum(read = 0), 0) AS unread FROM messages').get() as Omit<Counters, 'lastSeq'>;
  const lastSeq = (db.prepare('SELECT last_seq FROM sink_state').pluck().get() as number | undefined) ?? 0;
  return { ...totals, lastSeq };
}

interface Oldest {
  seq: number;
  id: string;
  size_bytes: number;
  read: number;
}

/** How many of the oldest rows eviction looks at per query. */
const EVICT_CHUNK = 64;

/** The write statements of one connection and the operations built on them. */
export class SqliteWrites {
  readonly #reads: SqliteReads;
  readonly #limits: StoreLimits;
  readonly #insert: Database.Statement<[MessageRow]>;
  readonly #insertBody: Database.Statement<[number, Buffer]>;
  readonly #lastSeq: Database.Statement<[number]>;
  readonly #oldest: Database.Statement<[number], Oldest>;
  readonly #deleteUpTo: Database.Statement<[number]>[];
  readonly #deleteOne: Database.Statement<[number]>[];
  readonly #deleteAll: Database.Statement<[]>[];
  readonly #setFacts: Database.Statement<[string, string, number]>;
  readonly #setRead: Database.Statement<[number, number]>;
  readonly #setTags: Database.Statement<[string, number]>;

  constructor(db: Database.Database, reads: SqliteReads, limits: StoreLimits) {
    this.#reads = reads;
    this.#limits = limits;
    this.#insert = db.prepare('INSERT INTO messages (seq, id, received_at, envelope, size_bytes, read, facts, tags) VALUES (@seq, @id, @received_at, @envelope, @size_bytes, @read, @facts, @tags)');
    this.#insertBody = db.prepare('INSERT INTO bodies (seq, raw) VALUES (?, ?)');
    this.#lastSeq = db.prepare('UPDATE sink_state SET last_seq = ?');
    this.#oldest = db.prepare(`SELECT seq, id, size_bytes, read FROM messages WHERE seq > ? ORDER BY seq LIMIT ${EVICT_CHUNK}`);
    this.#deleteUpTo = ['messages', 'bodies'].map((table) => db.prepare(`DELETE FROM ${table} WHERE seq <= ?`));
    this.#deleteOne = ['messages', 'bodies'].map((table) => db.prepare(`DELETE FROM ${table} WHERE seq = ?`));
    this.#deleteAll = ['messages', 'bodies'].map((table) => db.prepare(`DELETE FROM ${table}`));
    this.#setFacts = db.prepare('UPDATE messages SET facts = ?, tags = ? WHERE seq = ?');
    this.#setRead = db.prepare('UPDATE messages SET read = ? WHERE seq = ?');
    this.#setTags = db.prepare('UPDATE messages SET tags = ? WHERE seq = ?');
  }

  /** Stores a new message after evicting the oldest for it (see `MessageStore.add`). */
  add(input: NewMessage, ctx: WriteContext): SqliteMessage {
    const { counters } = ctx;
    const message = newMessage(input, counters.lastSeq + 1, newMessageId(), new Date().toISOString());
    this.#evictFor(message.sizeBytes, ctx);
    const row: MessageRow = {
      seq: message.seq,
      id: message.id,
      received_at: message.receivedAt,
      envelope: JSON.stringify(message.envelope),
      size_bytes: message.sizeBytes,
      read: 0,
      facts: message.facts === null ? null : JSON.stringify(message.facts),
      tags: JSON.stringify(message.tags),
    };
    this.#insert.run(row);
    this.#insertBody.run(row.seq, input.raw);
    this.#lastSeq.run(row.seq);
    Object.assign(counters, { lastSeq: row.seq, size: counters.size + 1, totalBytes: counters.totalBytes + row.size_bytes, unread: counters.unread + 1 });
    ctx.dirty = true;
    const stored = this.#reads.message(row, input.raw);
    stored.facts = message.facts;
    if (message.facts) ctx.events.push({ type: 'message.received', message: toSummary(stored) });
    return stored;
  }

  /** Gives a pending message its facts and tags from `X-Tags` (see `MessageStore.complete`). */
  complete(message: StoredMessage, facts: MessageFacts, ctx: WriteContext): void {
    if (message.facts !== null) return;
    const row = this.#reads.row(message.id);
    const tags = row ? (JSON.parse(row.tags) as string[]) : message.tags;
    const next = facts.tags.length > 0 ? normaliseTags([...tags, ...facts.tags]) : tags;
    ctx.after.push(() => {
      message.facts = facts;
      message.tags = next;
    });
    if (!row || row.facts !== null) return;
    const updated: MessageRow = { ...row, facts: JSON.stringify(facts), tags: JSON.stringify(next) };
    this.#setFacts.run(updated.facts!, updated.tags, row.seq);
    ctx.dirty = true;
    ctx.events.push({ type: 'message.received', message: toSummary(this.#reads.message(updated)) });
  }

  /** Sets the read flag; an event only when it changed. */
  setRead(id: string, read: boolean, ctx: WriteContext): SqliteMessage | undefined {
    const row = this.#reads.row(id);
    if (!row) return undefined;
    if (row.read !== 0 === read) return this.#reads.message(row);
    const updated: MessageRow = { ...row, read: read ? 1 : 0 };
    this.#setRead.run(updated.read, row.seq);
    ctx.counters.unread += read ? -1 : 1;
    ctx.dirty = true;
    const message = this.#reads.message(updated);
    ctx.events.push({ type: 'message.updated', message: toSummary(message) });
    return message;
  }

  /** Replaces the tags (normalised); an event only when they changed. */
  setTags(id: string, tags: Iterable<string>, ctx: WriteContext): SqliteMessage | undefined {
    const row = this.#reads.row(id);
    if (!row) return undefined;
    const next = JSON.stringify(normaliseTags(tags));
    if (next === row.tags) return this.#reads.message(row);
    const updated: MessageRow = { ...row, tags: next };
    this.#setTags.run(next, row.seq);
    ctx.dirty = true;
    const message = this.#reads.message(updated);
    ctx.events.push({ type: 'message.updated', message: toSummary(message) });
    return message;
  }

  /** Deletes the given ids (unknown ones ignored); one event for those that went. */
  delete(ids: readonly string[], reason: 'api' | 'evicted', ctx: WriteContext): number {
    const gone: string[] = [];
    for (const id of ids) {
      const row = this.#reads.row(id);
      if (!row) continue;
      for (const statement of this.#deleteOne) statement.run(row.seq);
      this.#forget(row, ctx);
      gone.push(id);
    }
    if (gone.length > 0) ctx.events.push({ type: 'message.deleted', ids: gone, reason });
    return gone.length;
  }

  /** Deletes every message (`lastSeq` stays). */
  clear(ctx: WriteContext): void {
    for (const statement of this.#deleteAll) statement.run();
    Object.assign(ctx.counters, { size: 0, totalBytes: 0, unread: 0 });
    ctx.dirty = true;
    ctx.events.push({ type: 'store.cleared' });
  }

  #forget(row: Pick<MessageRow, 'size_bytes' | 'read'>, ctx: WriteContext): void {
    ctx.counters.size -= 1;
    ctx.counters.totalBytes -= row.size_bytes;
    if (row.read === 0) ctx.counters.unread -= 1;
    ctx.dirty = true;
  }

  /** Evicts the oldest until `incomingBytes` more fit both limits (or the store is empty). */
  #evictFor(incomingBytes: number, ctx: WriteContext): void {
    const { maxMessages, maxStoreBytes } = this.#limits;
    const { counters } = ctx;
    const evicted: string[] = [];
    let upTo = 0;
    let rows: Oldest[] = [];
    while (counters.size > 0 && (counters.size >= maxMessages || counters.totalBytes + incomingBytes > maxStoreBytes)) {
      if (rows.length === 0) rows = this.#oldest.all(upTo);
      const row = rows.shift();
      if (!row) break;
      evicted.push(row.id);
      upTo = row.seq;
      this.#forget(row, ctx);
    }
    if (evicted.length === 0) return;
    for (const statement of this.#deleteUpTo) statement.run(upTo);
    ctx.events.push({ type: 'message.deleted', ids: evicted, reason: 'evicted' });
  }
}
