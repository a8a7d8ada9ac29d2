/**
 * The SQLite engine (`--storage sqlite:PATH`): one file, one mailsink process at a time, everything
 * kept across restarts (raw bytes byte-exact in a BLOB, facts as JSON, read state, tags, `lastSeq`).
 * Reads are synchronous queries (better-sqlite3); counters are kept in memory, loaded at open.
 *
 * Writes go through a group commit: every write queued in the same turn of the event loop, or
 * while the previous group's fsync runs, is applied in one transaction, in call order. The
 * database runs in WAL mode with `synchronous = NORMAL` (a commit writes the WAL without fsync);
 * the engine then fsyncs the WAL itself (`fdatasync`, on the libuv thread pool, so the event loop
 * keeps taking SMTP while the disk works) and only then resolves the writes and publishes their
 * events. Hence:
 * - a crash of the process loses nothing that was acknowledged, nor anything committed (it is in
 *   the OS's page cache; SQLite replays the WAL at the next open);
 * - a crash of the machine (power loss, kernel panic) loses nothing that was acknowledged: a `250`
 *   follows the fsync; writes committed but not yet synced may be lost, and their clients got no
 *   `250` (they retry).
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { MessageFacts } from '../core/parse.js';
import { StoreUnavailableError } from '../core/store.js';
import type { NewMessage, Pending, Store, StoredMessage } from '../core/store.js';
import type { OpenStoreOptions } from './index.js';
import { openDatabase } from './sqlite-open.js';
import { SqliteReads } from './sqlite-rows.js';
import type { SqliteMessage } from './sqlite-rows.js';
import { SqliteWrites, loadCounters } from './sqlite-writes.js';
import type { WriteContext } from './sqlite-writes.js';
import { GroupCommit } from './sqlite-commit.js';
import { SqliteDeliveryStore } from './sqlite-deliveries.js';

/**
 * Opens the SQLite store at `file` (created when missing; its directory must exist), migrating an
 * older schema (logged on `options.log`), and takes an exclusive lock on it until {@link Store.close}.
 * @throws StorageOpenError (one line naming `--storage`) when the file is not mailsink's, has a newer
 *   schema, is in use by another process, or cannot be created; nothing is written then.
 */
export async function openSqliteStore(file: string, options: OpenStoreOptions): Promise<Store> {
  const opened = openDatabase(file);
  const steps = opened.migrated;
  if (steps[0]?.version === 1) options.log?.info(`created ${file} (schema v${steps.at(-1)!.version})`);
  else for (const step of steps) options.log?.info(`migrated ${file} to schema v${step.version}: ${step.description}`);
  return new SqliteStore(opened.db, opened.file, options);
}

/** The SQLite {@link Store}; made by {@link openSqliteStore}. */
class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #reads: SqliteReads;
  readonly #writes: SqliteWrites;
  readonly #walFd: number;
  readonly #commit: GroupCommit;
  #closed: Promise<void> | null = null;

  constructor(db: Database.Database, file: string, options: OpenStoreOptions) {
    this.#db = db;
    this.#reads = new SqliteReads(db);
    this.#writes = new SqliteWrites(db, this.#reads, options.limits);
    // The WAL exists from the migration's write on, and stays (truncated, never deleted) while the
    // exclusive lock is held; its directory entry is made durable once, here.
    this.#walFd = openSync(`${file}-wal`, 'r+');
    fsyncDirectory(path.dirname(file));
    this.#commit = new GroupCommit(db, this.#walFd, options.events, loadCounters(db));
  }

  get size(): number {
    return this.#commit.counters.size;
  }

  get totalBytes(): number {
    return this.#commit.counters.totalBytes;
  }

  get unreadCount(): number {
    return this.#commit.counters.unread;
  }

  get lastSeq(): number {
    return this.#commit.counters.lastSeq;
  }

  add(input: NewMessage): Promise<StoredMessage> {
    return this.#write((ctx) => this.#writes.add(input, ctx));
  }

  /**
   * Applies the facts at once, inside a transaction left open for the next group commit (reads on
   * this connection see it), and publishes `message.received`. Facts are derived from the raw
   * bytes, so they are not worth an fsync of their own: a machine crash may lose the last ones, and
   * the message is then parsed again at the next start (it is listed by `pending()`).
   */
  complete(message: StoredMessage, facts: MessageFacts): Pending<void> {
    if (this.#closed) return Promise.reject(closedError());
    try {
      this.#commit.applyNow((ctx) => this.#writes.complete(message, facts, ctx));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  get(id: string): StoredMessage | undefined {
    return this.#reads.get(id);
  }

  latest(): StoredMessage | undefined {
    return this.#reads.latest();
  }

  since(after: number): StoredMessage[] {
    return this.#reads.since(after);
  }

  newestFirst(): StoredMessage[] {
    return this.#reads.newestFirst();
  }

  page(offset: number, limit: number): StoredMessage[] {
    return this.#reads.page(offset, limit);
  }

  pending(): StoredMessage[] {
    return this.#reads.pending();
  }

  setRead(id: string, read: boolean): Promise<StoredMessage | undefined> {
    return this.#write((ctx) => this.#writes.setRead(id, read, ctx));
  }

  setTags(id: string, tags: Iterable<string>): Promise<StoredMessage | undefined> {
    const list = [...tags];
    return this.#write((ctx) => this.#writes.setTags(id, list, ctx));
  }

  delete(ids: readonly string[], reason: 'api' | 'evicted' = 'api'): Promise<number> {
    const list = [...ids];
    return this.#write((ctx) => this.#writes.delete(list, reason, ctx));
  }

  clear(): Promise<void> {
    return this.#write((ctx) => this.#writes.clear(ctx));
  }

  /** The relay's deliveries in this file (table `deliveries`); they survive a restart. */
  openDeliveries(): SqliteDeliveryStore {
    return new SqliteDeliveryStore(this.#db);
  }

  /** Waits for queued writes to be durable, then releases the file and its lock. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#commit.drain().then(() => {
      closeSync(this.#walFd);
      this.#db.close();
    });
    return this.#closed;
  }

  #write<T>(run: (ctx: WriteContext) => T): Promise<Awaited<T>> {
    if (this.#closed) return Promise.reject(closedError());
    return this.#commit.enqueue(run);
  }
}

function closedError(): StoreUnavailableError {
  return new StoreUnavailableError('the SQLite store is closed');
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export type { SqliteMessage };
