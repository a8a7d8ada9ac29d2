/**
 * The PostgreSQL engine (`--storage postgres://user:pass@host:port/db`): several mailsink
 * instances share one database, which is the source of truth and decides the global order.
 *
 * - Writes go through {@link Writer}: group-committed transactions under one cluster-wide advisory
 *   lock, so `seq` (message order) and `cseq` (change-log order) follow commit order; eviction for
 *   `--max-messages`/`--max-store-bytes` is decided there, over the whole cluster.
 * - Reads are synchronous, from the instance's {@link Replica}: a memory store without limits fed
 *   by the change log (`LISTEN mailsink_changes` wakes it; it also catches up after its own writes
 *   and after a reconnect). Applying a change publishes the local events.
 * - A write resolves once committed and applied locally (a read right after the `250` sees it); it
 *   rejects with `StoreUnavailableError` when the database cannot be reached, having stored nothing.
 */
import type pg from 'pg';
import type { EventBus } from '../core/events.js';
import type { FaultEngine } from '../core/faults.js';
import type { MessageFacts } from '../core/facts.js';
import { newMessage, newMessageId } from '../core/store.js';
import type { NewMessage, Store, StoredMessage } from '../core/store.js';
import { normaliseTags } from '../core/tags.js';
import { openPostgresDeliveries } from './postgres-deliveries.js';
import type { DeliveryStore } from '../relay/delivery-store.js';
import { shareFaults } from './postgres-faults.js';
import { ChangeListener } from './postgres-listener.js';
import { checkout, clientConfig, makePool } from './postgres-pool.js';
import { Replica } from './postgres-replica.js';
import { migrate } from './postgres-schema.js';
import { Writer } from './postgres-writer.js';
import { redactUrl, StorageOpenError } from './index.js';
import type { OpenStoreOptions } from './index.js';

/** A {@link Store} over PostgreSQL; see the module comment. Made by {@link openPostgresStore}. */
class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  /** Messages come to `add` parsed: `message.received` then follows the global order on every instance (see {@link Store.factsFirst}). */
  readonly factsFirst = true;
  readonly #pool: pg.Pool;
  readonly #replica: Replica;
  readonly #writer: Writer;
  readonly #listener: ChangeListener;
  readonly #events: EventBus;
  readonly #warn: (message: string) => void;
  #unshare: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(parts: { pool: pg.Pool; replica: Replica; writer: Writer; listener: ChangeListener; events: EventBus; warn: (message: string) => void }) {
    this.#pool = parts.pool;
    this.#replica = parts.replica;
    this.#writer = parts.writer;
    this.#listener = parts.listener;
    this.#events = parts.events;
    this.#warn = parts.warn;
  }

  get size(): number {
    return this.#replica.store.size;
  }
  get totalBytes(): number {
    return this.#replica.store.totalBytes;
  }
  get unreadCount(): number {
    return this.#replica.store.unreadCount;
  }
  get lastSeq(): number {
    return this.#replica.lastSeq;
  }

  async add(input: NewMessage): Promise<StoredMessage> {
    const id = newMessageId();
    const receivedAt = new Date().toISOString();
    const seq = await this.#writer.write({ kind: 'add', id, receivedAt, input });
    return this.#replica.store.get(id) ?? newMessage(input, seq, id, receivedAt);
  }

  async complete(message: StoredMessage, facts: MessageFacts): Promise<void> {
    if (message.facts !== null) return;
    await this.#writer.write({ kind: 'complete', id: message.id, facts });
    // A message handed out before it was replicated (evicted at once) is completed in place, as the memory engine does.
    if (message.facts === null && this.#replica.store.get(message.id) !== message) {
      message.facts = facts;
      if (facts.tags.length > 0) message.tags = normaliseTags([...message.tags, ...facts.tags]);
    }
  }

  get(id: string): StoredMessage | undefined {
    return this.#replica.store.get(id);
  }
  latest(): StoredMessage | undefined {
    return this.#replica.store.latest();
  }
  since(after: number): StoredMessage[] {
    return this.#replica.store.since(after);
  }
  newestFirst(): StoredMessage[] {
    return this.#replica.store.newestFirst();
  }
  page(offset: number, limit: number): StoredMessage[] {
    return this.#replica.store.page(offset, limit);
  }
  pending(): StoredMessage[] {
    return this.#replica.store.pending();
  }

  async setRead(id: string, read: boolean): Promise<StoredMessage | undefined> {
    const found = await this.#writer.write({ kind: 'read', id, read });
    return found ? this.#replica.store.get(id) : undefined;
  }

  async setTags(id: string, tags: Iterable<string>): Promise<StoredMessage | undefined> {
    const found = await this.#writer.write({ kind: 'tags', id, tags: normaliseTags(tags) });
    return found ? this.#replica.store.get(id) : undefined;
  }

  async delete(ids: readonly string[], reason: 'api' | 'evicted' = 'api'): Promise<number> {
    if (ids.length === 0) return 0;
    return this.#writer.write({ kind: 'delete', ids, reason });
  }

  async clear(): Promise<void> {
    await this.#writer.write({ kind: 'clear' });
  }

  /**
   * Shares the fault rules through the database: a change made on any instance is stored, logged
   * and applied to every instance's engine (hit counts stay per instance). Optional member of
   * {@link Store}; see `postgres-faults.ts`.
   */
  async attachFaults(faults: FaultEngine): Promise<void> {
    this.#unshare?.();
    this.#unshare = await shareFaults({ pool: this.#pool, replica: this.#replica, writer: this.#writer, events: this.#events, faults, warn: this.#warn });
  }

  /** The relay's deliveries in this database (`mailsink.deliveries`); see `postgres-deliveries.ts`. */
  openDeliveries(): Promise<DeliveryStore> {
    return openPostgresDeliveries(this.#pool, this.#warn);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#unshare?.();
      await this.#writer.drain();
      this.#replica.close();
      await this.#listener.close();
      await this.#pool.end();
    })();
    return this.#closing;
  }
}

/**
 * Opens (creating or migrating its schema) the PostgreSQL store at `url`, loads the local replica
 * from it and starts listening for other instances' changes.
 *
 * @param url - `postgres://user:pass@host:port/db` (or `postgresql://`).
 * @throws StorageOpenError with one line naming `--storage` (password redacted) when the server
 *   cannot be reached, refuses the login or the database, or holds a newer or foreign schema.
 *   Nothing is written then.
 */
export async function openPostgresStore(url: string, options: OpenStoreOptions): Promise<Store> {
  const label = redactUrl(url);
  const warn = (message: string) => options.log?.warn(message);
  const config = clientConfig(url);
  const pool = makePool(config, warn);
  const replica = new Replica(pool, options.events, warn);
  const listener = new ChangeListener(config, (cseq) => replica.catchUp(cseq), warn);
  try {
    const { client, done } = await checkout(pool);
    try {
      await migrate(client, label, (message) => options.log?.info(message));
      done();
    } catch (error) {
      done(error);
      throw error;
    }
    await listener.start();
    await replica.load();
    replica.catchUp();
  } catch (error) {
    await listener.close();
    await pool.end().catch(() => undefined);
    if (error instanceof StorageOpenError) throw error;
    throw new StorageOpenError(`--storage: cannot open ${label}: ${oneLine((error as Error).message)}`, { cause: error });
  }
  const writer = new Writer(pool, options.limits, replica);
  return new PostgresStore({ pool, replica, writer, listener, events: options.events, warn });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim() || 'connection failed';
}
