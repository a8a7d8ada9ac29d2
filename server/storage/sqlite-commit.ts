/**
 * Group commit for the SQLite engine. Every write queued in the same turn of the event loop (or
 * while {@link MAX_SYNCS} fsyncs run) is applied in one transaction, in call order; the WAL is then
 * fsynced (`fdatasync` on the libuv thread pool, so the event loop keeps serving while the disk
 * works), and only then are the writes resolved and their events published, in commit order. Facts of a parse
 * ({@link GroupCommit.applyNow}) go into the open transaction at once and ride on the next commit.
 */
import { fdatasync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { EventBus } from '../core/events.js';
import { StoreUnavailableError } from '../core/store.js';
import type { Counters, WriteContext } from './sqlite-writes.js';

interface QueuedWrite {
  run(ctx: WriteContext): unknown;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** A committed group: its writes, their results, and what to publish once it is durable. */
interface Group {
  batch: QueuedWrite[];
  results: unknown[];
  ctx: WriteContext;
}

/**
 * Most groups whose fsync runs at once. A later group commits while an earlier one's fsync runs
 * (so its own fsync starts sooner), and an fsync that ends makes every group committed before it
 * durable; beyond this many, writes wait for the next turn.
 */
const MAX_SYNCS = 2;

/** The write path of one connection; see the module comment. */
export class GroupCommit {
  readonly #db: Database.Database;
  readonly #walFd: number;
  readonly #events: EventBus;
  #counters: Counters;
  #queue: QueuedWrite[] = [];
  #scheduled = false;
  /** Committed groups waiting for their fsync, oldest first. */
  #syncing: Group[] = [];
  #drained: (() => void)[] = [];

  /** `walFd`: an open descriptor of the database's `-wal` file; `counters` as loaded at open. */
  constructor(db: Database.Database, walFd: number, events: EventBus, counters: Counters) {
    this.#db = db;
    this.#walFd = walFd;
    this.#events = events;
    this.#counters = counters;
  }

  /** The counters as of the last commit. */
  get counters(): Readonly<Counters> {
    return this.#counters;
  }

  /**
   * Queues a write for the next group; resolves with its result once the group is durable.
   * Rejects with {@link StoreUnavailableError} when the transaction or the fsync failed (the
   * transaction is then rolled back; after a failed fsync the commit may or may not survive a crash).
   */
  enqueue<T>(run: (ctx: WriteContext) => T): Promise<Awaited<T>> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /**
   * Applies a write at once inside the open transaction (begun when none is), publishes its events
   * and lets the next group commit it, without waiting for the fsync. For derived data only.
   * @throws StoreUnavailableError when SQLite refuses the write.
   */
  applyNow(run: (ctx: WriteContext) => void): void {
    const ctx: WriteContext = { counters: { ...this.#counters }, events: [], dirty: false, after: [] };
    try {
      if (!this.#db.inTransaction) this.#db.exec('BEGIN');
      run(ctx);
    } catch (err) {
      throw unavailable(err);
    }
    this.#schedule();
    for (const apply of ctx.after) apply();
    for (const event of ctx.events) this.#events.publish(event);
  }

  /** Resolves once nothing is queued, committing or syncing. */
  drain(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#idle()) resolve();
      else this.#drained.push(resolve);
    });
  }

  /** Flushes on the next turn of the event loop (or once an fsync ends, when {@link MAX_SYNCS} run). */
  #schedule(): void {
    if (this.#scheduled || this.#syncing.length >= MAX_SYNCS) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  /** Commits the queued writes (a savepoint inside the open transaction, if any), then fsyncs. */
  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    const open = this.#db.inTransaction;
    if (batch.length === 0 && !open) return this.#settle();
    const ctx: WriteContext = { counters: { ...this.#counters }, events: [], dirty: false, after: [] };
    let results: unknown[] = [];
    let failure: Error | null = null;
    try {
      results = this.#db.transaction(() => batch.map((write) => write.run(ctx)))();
    } catch (err) {
      failure = unavailable(err);
    }
    if (open) failure = this.#commit() ?? failure;
    if (failure) {
      for (const write of batch) write.reject(failure);
      return this.#settle();
    }
    this.#counters = ctx.counters;
    const group: Group = { batch, results, ctx };
    if (!ctx.dirty && this.#syncing.length === 0) return this.#finish([group]);
    this.#syncing.push(group);
    fdatasync(this.#walFd, (err) => this.#synced(group, err));
  }

  /** An fsync ended: `group` and every group committed before it are durable (or `group` failed). */
  #synced(group: Group, err: Error | null): void {
    const index = this.#syncing.indexOf(group);
    if (index === -1) {
      // already made durable by a later fsync that ended first
    } else if (err) {
      this.#syncing.splice(index, 1);
      for (const write of group.batch) write.reject(unavailable(err));
    } else this.#finish(this.#syncing.splice(0, index + 1));
    if (this.#queue.length > 0 || this.#db.inTransaction) this.#schedule();
    this.#settle();
  }

  /** Commits the open transaction; returns the error when it could not (all in it is rolled back). */
  #commit(): Error | null {
    try {
      this.#db.exec('COMMIT');
      return null;
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      return unavailable(err);
    }
  }

  /** Publishes durable groups' events and resolves their writes, in commit order. */
  #finish(groups: Group[]): void {
    for (const { batch, results, ctx } of groups) {
      for (const apply of ctx.after) apply();
      for (const event of ctx.events) this.#events.publish(event);
      batch.forEach((write, i) => write.resolve(results[i]));
    }
  }

  #settle(): void {
    if (!this.#idle()) return;
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  #idle(): boolean {
    return this.#queue.length === 0 && this.#syncing.length === 0 && !this.#scheduled && !this.#db.inTransaction;
  }
}

function unavailable(err: unknown): StoreUnavailableError {
  return new StoreUnavailableError(`SQLite write failed: ${err instanceof Error ? err.message : String(err)}`);
}
