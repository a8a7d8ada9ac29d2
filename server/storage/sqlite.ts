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
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { EventBus } from '../core/events.js';
import type { MessageFacts } from '../core/parse.js';
import { StoreUnavailableError } from '../core/store.js';
import type { NewMessage, Store, StoredMessage } from '../core/store.js';
import type { OpenStoreOptions } from './index.js';
import { openDatabase } from './sqlite-open.js';
import { SqliteReads } from './sqlite-rows.js';
import type { SqliteMessage } from './sqlite-rows.js';
import { SqliteWrites, loadCounters } from './sqlite-writes.js';
import type { Counters, WriteContext } from './sqlite-writes.js';

interface QueuedWrite {
  run(ctx: WriteContext): unknown;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/**
 * Opens the SQLite store at `file` (created when missing; its directory must exist), migrating an
 * older schema (logged on `options.log`), and takes an exclusive lock on it until {@link Store.close}.
 * @throws StorageOpenError (one line naming `--storage`) when the file is not mailsink's, has a newer
 *   schema, is in use by another process, or cannot be created; nothing is written then.
 */
export async function openSqliteStore(file: string, options: OpenStoreOptions): Promise<Store> {
  const opened = openDatabase(file);
  for (const step of opened.migrated) options.log?.info(`migrated ${file} to schema v${step.version}: ${step.description}`);
  return new SqliteStore(opened.db, opened.file, options);
}

/** The SQLite {@link Store}; made by {@link openSqliteStore}. */
class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #events: EventBus;
  readonly #reads: SqliteReads;
  readonly #writes: SqliteWrites;
  readonly #walFd: number;
  #counters: Counters;
  #queue: QueuedWrite[] = [];
  #scheduled = false;
  #syncing = false;
  #drained: (() => void)[] = [];
  #closed: Promise<void> | null = null;

  constructor(db: Database.Database, file: string, options: OpenStoreOptions) {
    this.#db = db;
    this.#events = options.events;
    this.#reads = new SqliteReads(db);
    this.#writes = new SqliteWrites(db, this.#reads, options.limits);
    this.#counters = loadCounters(db);
    // The WAL exists from the migration's write on, and stays (truncated, never deleted) while the
    // exclusive lock is held; its directory entry is made durable once, here.
    this.#walFd = openSync(`${file}-wal`, 'r+');
    fsyncDirectory(path.dirname(file));
  }

  get size(): number {
    return this.#counters.size;
  }

  get totalBytes(): number {
    return this.#counters.totalBytes;
  }

  get unreadCount(): number {
    return this.#counters.unread;
  }

  get lastSeq(): number {
    return this.#counters.lastSeq;
  }

  add(input: NewMessage): Promise<StoredMessage> {
    return this.#write((ctx) => this.#writes.add(input, ctx));
  }

  complete(message: StoredMessage, facts: MessageFacts): Promise<void> {
    return this.#write((ctx) => this.#writes.complete(message, facts, ctx));
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

  /** Waits for queued writes to be durable, then releases the file and its lock. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      if (this.#idle()) resolve();
      else this.#drained.push(resolve);
    }).then(() => {
      closeSync(this.#walFd);
      this.#db.close();
    });
    return this.#closed;
  }

  #write<T>(run: (ctx: WriteContext) => T): Promise<Awaited<T>> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError('the SQLite store is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled && !this.#syncing) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Commits every queued write in one transaction, then fsyncs the WAL before resolving them. */
  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return this.#settle();
    const ctx: WriteContext = { counters: { ...this.#counters }, events: [], dirty: false, after: [] };
    let results: unknown[];
    try {
      results = this.#db.transaction(() => batch.map((write) => write.run(ctx)))();
    } catch (err) {
      const failure = new StoreUnavailableError(`SQLite write failed: ${err instanceof Error ? err.message : String(err)}`);
      for (const write of batch) write.reject(failure);
      return this.#flush();
    }
    this.#counters = ctx.counters;
    if (!ctx.dirty) return this.#finish(batch, results, ctx);
    this.#syncing = true;
    fdatasync(this.#walFd, (err) => {
      this.#syncing = false;
      if (err) {
        const failure = new StoreUnavailableError(`SQLite WAL fsync failed: ${err.message}`);
        for (const write of batch) write.reject(failure);
        return this.#flush();
      }
      this.#finish(batch, results, ctx);
    });
  }

  /** Publishes a durable group's events and resolves its writes, then commits the next group. */
  #finish(batch: QueuedWrite[], results: unknown[], ctx: WriteContext): void {
    for (const apply of ctx.after) apply();
    for (const event of ctx.events) this.#events.publish(event);
    batch.forEach((write, i) => write.resolve(results[i]));
    this.#flush();
  }

  #settle(): void {
    if (!this.#idle()) return;
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  #idle(): boolean {
    return this.#queue.length === 0 && !this.#syncing && !this.#scheduled;
  }
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
