/**
 * Rows of the SQLite engine as {@link StoredMessage}s, and the prepared reads that make them.
 * A message read from the file is a snapshot whose `raw` is read from its BLOB each time it is
 * asked for (and never kept), so no amount of listing holds message bodies in memory.
 */
import type Database from 'better-sqlite3';
import type { Envelope } from '../contract.js';
import type { MessageFacts } from '../core/parse.js';
import type { StoredMessage } from '../core/store.js';

/** A `messages` row (schema v2, see `sqlite-schema.ts`). */
export interface MessageRow {
  seq: number;
  id: string;
  received_at: string;
  /** JSON of the {@link Envelope}. */
  envelope: string;
  size_bytes: number;
  read: number;
  /** JSON of the {@link MessageFacts}, `null` while the parse is pending. */
  facts: string | null;
  /** JSON array of tag names. */
  tags: string;
}

const COLUMNS = 'seq, id, received_at, envelope, size_bytes, read, facts, tags';
const EMPTY = Buffer.alloc(0);

/** Reads a message's raw bytes by `seq`; `undefined` once it is gone. */
export type RawReader = (seq: number) => Buffer | undefined;

/**
 * A message of the SQLite engine. `envelope` and `facts` are decoded from their JSON on first use;
 * `raw` is read from the file on every use (a message deleted since gives an empty Buffer), except
 * for the message `add` returns, which keeps the Buffer it was given.
 */
export class SqliteMessage implements StoredMessage {
  readonly id: string;
  readonly seq: number;
  readonly receivedAt: string;
  readonly sizeBytes: number;
  read: boolean;
  tags: string[];
  #envelopeJson: string;
  #envelope: Envelope | undefined;
  #factsJson: string | null;
  #facts: MessageFacts | null | undefined;
  readonly #readRaw: RawReader;
  readonly #raw: Buffer | undefined;

  constructor(row: MessageRow, readRaw: RawReader, raw?: Buffer) {
    this.id = row.id;
    this.seq = row.seq;
    this.receivedAt = row.received_at;
    this.sizeBytes = row.size_bytes;
    this.read = row.read !== 0;
    this.tags = JSON.parse(row.tags) as string[];
    this.#envelopeJson = row.envelope;
    this.#factsJson = row.facts;
    this.#readRaw = readRaw;
    this.#raw = raw;
  }

  /** The SMTP envelope. */
  get envelope(): Envelope {
    return (this.#envelope ??= JSON.parse(this.#envelopeJson) as Envelope);
  }

  /** The parse's facts, `null` while pending. */
  get facts(): MessageFacts | null {
    if (this.#facts === undefined) this.#facts = this.#factsJson === null ? null : (JSON.parse(this.#factsJson) as MessageFacts);
    return this.#facts;
  }

  set facts(facts: MessageFacts | null) {
    this.#facts = facts;
    this.#factsJson = null;
  }

  /** DATA after dot-unstuffing, byte-exact, from the file (empty when the message is gone). */
  get raw(): Buffer {
    return this.#raw ?? this.#readRaw(this.seq) ?? EMPTY;
  }
}

/** The engine's reads, as prepared statements over one connection. */
export class SqliteReads {
  readonly #byId: Database.Statement<[string], MessageRow>;
  readonly #latest: Database.Statement<[], MessageRow>;
  readonly #since: Database.Statement<[number], MessageRow>;
  readonly #newestFirst: Database.Statement<[], MessageRow>;
  readonly #page: Database.Statement<[number, number], MessageRow>;
  readonly #pending: Database.Statement<[], MessageRow>;
  readonly #raw: Database.Statement<[number], Buffer>;
  readonly readRaw: RawReader;

  constructor(db: Database.Database) {
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id = ?`);
    this.#latest = db.prepare(`SELECT ${COLUMNS} FROM messages ORDER BY seq DESC LIMIT 1`);
    this.#since = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE seq > ? ORDER BY seq`);
    this.#newestFirst = db.prepare(`SELECT ${COLUMNS} FROM messages ORDER BY seq DESC`);
    this.#page = db.prepare(`SELECT ${COLUMNS} FROM messages ORDER BY seq DESC LIMIT ? OFFSET ?`);
    this.#pending = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE facts IS NULL ORDER BY seq`);
    this.#raw = db.prepare<[number], Buffer>('SELECT raw FROM bodies WHERE seq = ?').pluck();
    this.readRaw = (seq) => this.#raw.get(seq);
  }

  /** The message with this id, or `undefined`. */
  get(id: string): SqliteMessage | undefined {
    const row = this.#byId.get(id);
    return row && this.message(row);
  }

  /** The row of this id, or `undefined` (for writes that need the stored state). */
  row(id: string): MessageRow | undefined {
    return this.#byId.get(id);
  }

  /** The newest message, or `undefined` when empty. */
  latest(): SqliteMessage | undefined {
    const row = this.#latest.get();
    return row && this.message(row);
  }

  /** Messages with `seq > after`, oldest first (a range of the primary key). */
  since(after: number): SqliteMessage[] {
    return this.#since.all(after).map((row) => this.message(row));
  }

  /** Every message, newest first: reads every row but no body (about 2 s for 100,000 on a busy 2-core machine). */
  newestFirst(): SqliteMessage[] {
    return this.#newestFirst.all().map((row) => this.message(row));
  }

  /** `limit` messages, newest first, after the `offset` newest (`LIMIT`/`OFFSET` on the primary key). */
  page(offset: number, limit: number): SqliteMessage[] {
    if (limit <= 0) return [];
    return this.#page.all(limit, Math.max(0, offset)).map((row) => this.message(row));
  }

  /** Messages without facts, oldest first (from a partial index). */
  pending(): SqliteMessage[] {
    return this.#pending.all().map((row) => this.message(row));
  }

  /** A snapshot of a row; `raw` preset for a message just added. */
  message(row: MessageRow, raw?: Buffer): SqliteMessage {
    return new SqliteMessage(row, this.readRaw, raw);
  }
}
