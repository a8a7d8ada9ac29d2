/**
 * The local replica of a PostgreSQL store: a memory {@link MessageStore} without limits (eviction
 * is decided cluster-wide by the writer's transaction) fed only by the database's change log.
 * Applying a change publishes the local events, so every instance's WebSocket, waits and mailboxes
 * hear of every message, whichever instance took it.
 */
import type pg from 'pg';
import { EventBus } from '../core/events.js';
import type { MessageFacts } from '../core/facts.js';
import { MessageStore, StoreUnavailableError } from '../core/store.js';
import type { StoredMessage } from '../core/store.js';
import { CATCH_UP, CHUNK, readSnapshot, sameTags, toStored } from './postgres-rows.js';
import type { ChangeRow, MessageRow } from './postgres-rows.js';
import { checkout } from './postgres-pool.js';
import { SCHEMA } from './postgres-schema.js';

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

interface Waiter {
  cseq: number;
  resolve(): void;
  reject(error: Error): void;
}

/** Called for a `faults` change (the rules are read from the database by the caller). */
export type FaultsChanged = () => void | Promise<void>;

/** Follows the change log into a local {@link MessageStore}; see the module comment. */
export class Replica {
  /** The local copy; reads of the store go here. */
  readonly store: MessageStore;
  readonly #pool: pg.Pool;
  readonly #warn: (message: string) => void;
  #lastCseq = 0;
  #lastSeq = 0;
  #wanted = false;
  #running = false;
  #closed = false;
  #loaded = false;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #waiters: Waiter[] = [];
  /** Messages this instance is committing (see {@link expect}), by id. */
  readonly #expected = new Map<string, StoredMessage>();
  /** Set by `attachFaults`: told of every `faults` change. */
  onFaults: FaultsChanged | undefined;

  constructor(pool: pg.Pool, events: EventBus, warn: (message: string) => void) {
    this.#pool = pool;
    this.#warn = warn;
    // The replica publishes on its own bus, forwarded to the sink's except during the first load
    // (messages already stored at start are not news; a reload after a gap does publish the differences).
    const local = new EventBus();
    local.subscribe(({ seq: _seq, ...event }) => {
      if (this.#loaded) events.publish(event);
    });
    this.store = new MessageStore({ maxMessages: Infinity, maxStoreBytes: Infinity }, local);
  }

  /** `seq` of the newest message ever added in the cluster, as far as applied (even if since deleted or evicted). */
  get lastSeq(): number {
    return Math.max(this.#lastSeq, this.store.lastSeq);
  }

  /**
   * Loads (or reloads, after falling behind a pruned change log) every message from one consistent
   * snapshot and brings the local copy to it, publishing the differences as events.
   */
  async load(): Promise<void> {
    const { client, done } = await checkout(this.#pool);
    let snapshot: Awaited<ReturnType<typeof readSnapshot>>;
    try {
      snapshot = await readSnapshot(client);
    } catch (error) {
      done(error);
      throw error;
    }
    done();
    this.#bringTo(snapshot.rows);
    for (const row of snapshot.rows) this.#expected.delete(row.id);
    this.#lastSeq = Math.max(this.#lastSeq, snapshot.lastSeq);
    this.#lastCseq = snapshot.lastCseq;
    this.#loaded = true;
    this.#settle();
  }

  #bringTo(rows: MessageRow[]): void {
    const present = new Set(rows.map((row) => row.id));
    const gone = this.store.newestFirst().filter((message) => !present.has(message.id)).map((message) => message.id).reverse();
    if (gone.length > 0) this.store.delete(gone, 'api');
    for (const row of rows) {
      const local = this.store.get(row.id);
      if (!local) {
        if (Number(row.seq) > this.store.lastSeq) this.store.insert(toStored(row));
        continue;
      }
      if (row.facts && !local.facts) this.#complete(row.id, row.facts, row.tags);
      this.store.setRead(row.id, row.read);
      if (!sameTags(local.tags, row.tags)) this.store.setTags(row.id, row.tags);
    }
  }

  #complete(id: string, facts: MessageFacts, tags: string[]): void {
    const local = this.store.get(id);
    if (!local || local.facts) return;
    local.tags = tags;
    this.store.complete(local, facts);
  }

  /** Messages this instance's writer is committing: their `add` change uses these objects instead of reading the rows back. */
  expect(messages: readonly StoredMessage[]): void {
    // (After the commit a catch-up may already have read them back: then there is nothing to expect.)
    for (const message of messages) if (message.seq > this.lastSeq) this.#expected.set(message.id, message);
  }

  /**
   * Applies this instance's own add batch (an eviction, then the add) without reading it back, when
   * the replica has applied every change before it; returns `false` otherwise.
   */
  applyOwn(own: { before: number; evicted: string[]; added: StoredMessage[]; lastSeq: number }): boolean {
    if (!this.#loaded || this.#lastCseq !== own.before) return false;
    if (own.evicted.length > 0) this.store.delete(own.evicted, 'evicted');
    for (const message of own.added) if (message.seq > this.store.lastSeq) this.store.insert(message);
    this.#lastSeq = Math.max(this.#lastSeq, own.lastSeq);
    this.#lastCseq = own.before + (own.evicted.length > 0 ? 2 : 1);
    this.#settle();
    return true;
  }

  /** Drops {@link expect}ed messages whose transaction failed. */
  forget(messages: readonly StoredMessage[]): void {
    for (const message of messages) this.#expected.delete(message.id);
  }

  /** Resolves once the change `cseq` (and every one before it) is applied locally. */
  waitFor(cseq: number): Promise<void> {
    if (this.#lastCseq >= cseq) return Promise.resolve();
    if (this.#closed) return Promise.reject(new StoreUnavailableError('the postgres store is closed'));
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ cseq, resolve, reject }));
    this.catchUp();
    return done;
  }

  /** Asks for a catch-up (after a notification, a local write or a reconnect); catch-ups never overlap. */
  catchUp(upTo?: number): void {
    if (this.#closed || (upTo !== undefined && upTo <= this.#lastCseq)) return;
    this.#wanted = true;
    if (this.#running || this.#retry || !this.#loaded) return;
    this.#running = true;
    void this.#loop();
  }

  async #loop(): Promise<void> {
    while (this.#wanted && !this.#closed) {
      this.#wanted = false;
      try {
        await this.#drain();
        this.#failures = 0;
      } catch (error) {
        this.#failures += 1;
        if (this.#failures === 1) this.#warn(`postgres catch-up failed, retrying: ${(error as Error).message}`);
        const delayMs = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.#failures - 1));
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          this.catchUp();
        }, delayMs);
        break;
      }
    }
    this.#running = false;
  }

  /**
   * Applies the changes after the last one, in order, in chunks: one query a chunk, the change rows
   * joined with the rows of the messages they add or complete (not this instance's own adds, which
   * it already holds, see {@link expect}); a message deleted meanwhile has no row and is skipped.
   */
  async #drain(): Promise<void> {
    for (;;) {
      const { rows } = await this.#pool.query<ChangeRow & Partial<MessageRow>>(CATCH_UP, [this.#lastCseq, [...this.#expected.keys()]]);
      if (rows.length === 0) return;
      const changes: ChangeRow[] = [];
      const fetched = new Map<string, MessageRow>();
      for (const row of rows) {
        if (changes[changes.length - 1]?.cseq !== row.cseq) changes.push(row);
        if (row.id != null) fetched.set(row.id, row as MessageRow);
      }
      // cseq has no holes (one counter row, taken in each change's transaction): a hole, first row or
      // later (own changes applied meanwhile move #lastCseq on), means pruned changes: reload.
      const gap = changes.some((change) => this.#applyInOrder(change, fetched) === 'gap');
      this.#settle();
      if (gap) {
        this.#warn(`postgres change log pruned past this instance (at ${this.#lastCseq}); reloading`);
        await this.load();
        continue;
      }
      if (changes.length < CHUNK) return;
    }
  }

  /** Applies one change unless already applied (by applyOwn); `gap` when changes before it are missing. */
  #applyInOrder(change: ChangeRow, fetched: Map<string, MessageRow>): 'applied' | 'skipped' | 'gap' {
    const cseq = Number(change.cseq);
    if (cseq <= this.#lastCseq) return 'skipped';
    if (cseq > this.#lastCseq + 1) return 'gap';
    this.#applyOne(change, fetched);
    this.#lastCseq = cseq;
    return 'applied';
  }

  #applyOne(row: ChangeRow, fetched: Map<string, MessageRow>): void {
    const id = row.ids[0] ?? '';
    switch (row.kind) {
      case 'add':
        for (const addId of row.ids) {
          const own = this.#expected.get(addId);
          this.#expected.delete(addId);
          const found = own ?? (fetched.has(addId) ? toStored(fetched.get(addId)!) : undefined);
          if (found && !this.store.get(addId) && found.seq > this.store.lastSeq) this.store.insert(found);
        }
        this.#lastSeq = Math.max(this.#lastSeq, Number((row.data as { lastSeq: number }).lastSeq));
        return;
      case 'complete':
        for (const doneId of row.ids) {
          const found = fetched.get(doneId);
          if (found?.facts) this.#complete(doneId, found.facts, found.tags);
        }
        return;
      case 'read':
        this.store.setRead(id, row.data as boolean);
        return;
      case 'tags':
        this.store.setTags(id, row.data as string[]);
        return;
      case 'delete':
        this.store.delete(row.ids, (row.data as 'api' | 'evicted') ?? 'api');
        return;
      case 'clear':
        this.store.clear();
        return;
      case 'faults':
        void Promise.resolve(this.onFaults?.()).catch((error: Error) => this.#warn(`postgres fault rules not applied: ${error.message}`));
    }
  }

  #settle(): void {
    const due = this.#waiters.filter((waiter) => waiter.cseq <= this.#lastCseq);
    if (due.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => waiter.cseq > this.#lastCseq);
    for (const waiter of due) waiter.resolve();
  }

  /** Stops following; pending waits reject with {@link StoreUnavailableError}. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    for (const waiter of this.#waiters) waiter.reject(new StoreUnavailableError('the postgres store was closed'));
    this.#waiters = [];
  }
}
