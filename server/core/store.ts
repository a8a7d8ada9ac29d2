import { randomBytes } from 'node:crypto';
import type { Envelope } from '../contract.js';
import type { EventBus } from './events.js';
import type { DeliveryStore } from '../relay/delivery-store.js';
import type { FaultEngine } from './faults.js';
import type { MessageFacts } from './parse.js';
import { normaliseTags, plusTags } from './tags.js';
import { toSummary } from './views.js';

/** One captured message. `raw` is the source of truth; everything else is derived from it. */
export interface StoredMessage {
  /** URL-safe unique id (16 characters of base64url). */
  readonly id: string;
  /** Arrival order: 1, 2, 3 …, never reused within a sink. */
  readonly seq: number;
  /** ISO 8601 UTC time the final `.` of DATA was received. */
  readonly receivedAt: string;
  readonly envelope: Envelope;
  /** DATA after dot-unstuffing, byte-exact. */
  readonly raw: Buffer;
  /** `raw.length`. */
  readonly sizeBytes: number;
  /**
   * Headers, snippet, attachment list and parse error, once parsed (see `MessageParsing`);
   * `null` while the message waits for its parse, which starts right after the SMTP ack.
   */
  facts: MessageFacts | null;
  read: boolean;
  /**
   * Tags (see `tags.ts`), sorted case-insensitively: on arrival those of the envelope recipients'
   * sub-addresses and, once parsed, of the `X-Tags` header; then as set over the API.
   */
  tags: string[];
}

/** What the SMTP side hands over for storage. */
export interface NewMessage {
  envelope: Envelope;
  raw: Buffer;
  /** Already known facts (imports parse first); without them the message is stored pending, see {@link MessageStore.complete}. */
  facts?: MessageFacts | null;
}

const ID_BYTES = 12;
const ID_BATCH = 256;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** 16 characters of base64url from 12 random bytes, drawn from a batch (one `randomBytes` call per 256 ids). */
function newId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * ID_BATCH);
    idOffset = 0;
  }
  idOffset += ID_BYTES;
  return idPool.toString('base64url', idOffset - ID_BYTES, idOffset);
}

/** A write's result: engines that commit to a database return a Promise (callers always `await`). */
export type Pending<T> = T | Promise<T>;

/**
 * Thrown (or rejected) by a store write when the engine's database cannot be reached or refuses the
 * write. Nothing was stored: SMTP answers `451 4.3.0` (the client retries later), the API a `503`
 * JSON error `store_unavailable`. The engine reconnects by itself.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'store_unavailable';
}

/**
 * The store contract. Everything outside `server/storage/` (SMTP, REST, WebSocket, waits, parsing)
 * uses only this; an engine is chosen once, by `--storage` (see `server/storage/index.ts`).
 *
 * - Reads are synchronous: the memory engine reads its `Map`, SQLite reads its file (better-sqlite3
 *   is synchronous), PostgreSQL reads its local replica, which follows the database's change log.
 * - Writes return {@link Pending}: they resolve once the change is durable (committed) and visible
 *   to this instance's reads, and reject with {@link StoreUnavailableError} when the database is
 *   unreachable, having changed nothing.
 * - Every change is published on the sink's `EventBus` (`message.received` once facts are known,
 *   `message.updated`, `message.deleted`, `store.cleared`), whichever instance made it.
 * - Messages handed out are snapshots for SQLite and PostgreSQL: after a write, use the message the
 *   write returns, or `get` it again.
 */
export interface Store {
  /** Which engine this is. */
  readonly engine: 'memory' | 'sqlite' | 'postgres';
  /** Number of stored messages (over the whole cluster for PostgreSQL). */
  readonly size: number;
  /** Sum of `sizeBytes` over stored messages. */
  readonly totalBytes: number;
  /** Stored messages not marked read. */
  readonly unreadCount: number;
  /** `seq` of the newest message ever added (0 before the first), even if since deleted. */
  readonly lastSeq: number;
  /** Stores a message (evicting the oldest to stay within the limits); resolves once durable. */
  add(input: NewMessage): Pending<StoredMessage>;
  /** Gives a pending message its facts (publishes `message.received`); a no-op when it already has them or is gone. */
  complete(message: StoredMessage, facts: MessageFacts): Pending<void>;
  /** The message with this id, or `undefined`. */
  get(id: string): StoredMessage | undefined;
  /** The newest message, or `undefined` when empty. */
  latest(): StoredMessage | undefined;
  /** Messages with `seq > after`, oldest first. */
  since(after: number): StoredMessage[];
  /** All messages, newest first (a full scan: searches use it; lists without a query use {@link page}). */
  newestFirst(): StoredMessage[];
  /** `limit` messages, newest first, skipping the `offset` newest. */
  page(offset: number, limit: number): StoredMessage[];
  /** Messages stored without facts (their parse has not ended, or the instance that took them died), oldest first. */
  pending(): StoredMessage[];
  /** Sets the read flag; publishes `message.updated` when it changed. Resolves to the message after the change, or `undefined` for an unknown id. */
  setRead(id: string, read: boolean): Pending<StoredMessage | undefined>;
  /** Replaces a message's tags (see `normaliseTags`); resolves to the message after the change, or `undefined`. */
  setTags(id: string, tags: Iterable<string>): Pending<StoredMessage | undefined>;
  /** Deletes the given messages (unknown ids are ignored); publishes one `message.deleted`. Resolves to how many went. */
  delete(ids: readonly string[], reason?: 'api' | 'evicted'): Pending<number>;
  /** Deletes every message; publishes `store.cleared`. */
  clear(): Pending<void>;
  /** Releases the engine's connections and files; the store is unusable afterwards. Idempotent. */
  close(): Pending<void>;
  /**
   * Shares the fault rules through the engine (PostgreSQL: every instance checks the same rules);
   * absent for engines of one process.
   */
  attachFaults?(faults: FaultEngine): Pending<void>;
  /**
   * The relay's deliveries kept in this engine (SQLite, PostgreSQL), so that the outbound queue
   * survives a restart; absent for memory (the relay then keeps them in memory).
   */
  openDeliveries?(): Pending<DeliveryStore>;
  /**
   * `true` when messages should come to {@link add} with their facts (parsed before the ack): the
   * PostgreSQL engine, where instances learn of a message from the database's change log, so that
   * `message.received` follows the global arrival order on every instance and no message is left
   * unparsed by an instance that dies after its `250`.
   */
  readonly factsFirst?: boolean;
}

/**
 * Builds the {@link StoredMessage} for a new message: tags from the recipients' sub-addresses and
 * the known facts' `X-Tags`, unread. Shared by the engines so that every engine stores the same.
 */
export function newMessage(input: NewMessage, seq: number, id: string, receivedAt: string): StoredMessage {
  return {
    id,
    seq,
    receivedAt,
    envelope: input.envelope,
    raw: input.raw,
    sizeBytes: input.raw.length,
    facts: input.facts ?? null,
    read: false,
    tags: normaliseTags([...plusTags(input.envelope.rcptTo), ...(input.facts?.tags ?? [])]),
  };
}

/** A new message id: 16 characters of base64url (URL-safe). */
export { newId as newMessageId };

/** Bounds of the store; the oldest messages are evicted to stay within both. */
export interface StoreLimits {
  /** Most messages kept. */
  maxMessages: number;
  /** Most raw bytes kept, summed over messages. */
  maxStoreBytes: number;
}

/**
 * Bounded, insertion-ordered in-memory message store. `add`, `get` and eviction of the oldest are
 * O(1) (a `Map` keeps insertion order). Every change is published on the {@link EventBus}:
 * `message.received` (once the message's facts are known, so the event's summary is complete),
 * `message.updated`, `message.deleted` (`reason: "api" | "evicted"`) and `store.cleared`.
 */
export class MessageStore implements Store {
  readonly engine = 'memory' as const;
  readonly #messages = new Map<string, StoredMessage>();
  readonly #limits: StoreLimits;
  readonly #events: EventBus;
  #seq = 0;
  #totalBytes = 0;
  #unread = 0;

  constructor(limits: StoreLimits, events: EventBus) {
    this.#limits = limits;
    this.#events = events;
  }

  /** Number of stored messages. */
  get size(): number {
    return this.#messages.size;
  }

  /** Sum of `sizeBytes` over stored messages. */
  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** Stored messages not marked read (kept as a count: O(1)). */
  get unreadCount(): number {
    return this.#unread;
  }

  /** `seq` of the newest message ever added (0 before the first), even if since deleted. */
  get lastSeq(): number {
    return this.#seq;
  }

  /**
   * Stores a message, first evicting the oldest ones so that both limits hold afterwards (a single
   * message larger than `maxStoreBytes` is still kept, alone). Publishes `message.deleted` for the
   * evicted ones, then, when `input.facts` is given, `message.received`, before returning; a message
   * stored without facts is pending until {@link complete}.
   */
  add(input: NewMessage): StoredMessage {
    return this.insert(newMessage(input, this.#seq + 1, newId(), new Date().toISOString()));
  }

  /**
   * Stores a message whose id, `seq` and arrival time were decided elsewhere (a replica following a
   * database, see `server/storage/postgres.ts`): evicts for it when over the limits, publishes as
   * {@link add} does. `message.seq` must be above {@link lastSeq}.
   *
   * @throws RangeError when `message.seq` is not above {@link lastSeq}.
   */
  insert(message: StoredMessage): StoredMessage {
    if (message.seq <= this.#seq) throw new RangeError(`seq ${message.seq} is not above the last (${this.#seq})`);
    this.#evictFor(message.sizeBytes);
    this.#seq = message.seq;
    this.#messages.set(message.id, message);
    this.#totalBytes += message.sizeBytes;
    if (!message.read) this.#unread += 1;
    if (message.facts) this.#events.publish({ type: 'message.received', message: toSummary(message) });
    return message;
  }

  /**
   * Gives a pending message its facts and publishes `message.received` for it; does nothing for a
   * message that already has facts or is no longer stored (deleted or evicted while pending).
   */
  complete(message: StoredMessage, facts: MessageFacts): void {
    if (message.facts !== null) return;
    message.facts = facts;
    if (facts.tags.length > 0) message.tags = normaliseTags([...message.tags, ...facts.tags]);
    if (this.#messages.get(message.id) === message) this.#events.publish({ type: 'message.received', message: toSummary(message) });
  }

  /** The message with this id, or `undefined`. Has no side effects. */
  get(id: string): StoredMessage | undefined {
    return this.#messages.get(id);
  }

  /** The newest message, or `undefined` when empty. */
  latest(): StoredMessage | undefined {
    let last: StoredMessage | undefined;
    for (const message of this.#messages.values()) last = message;
    return last;
  }

  /** Messages with `seq > after`, oldest first (walks the store once; allocates only for those). */
  since(after: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const message of this.#messages.values()) if (message.seq > after) out.push(message);
    return out;
  }

  /** All messages, newest first. */
  newestFirst(): StoredMessage[] {
    return Array.from(this.#messages.values()).reverse();
  }

  /** `limit` messages, newest first, skipping the `offset` newest. */
  page(offset: number, limit: number): StoredMessage[] {
    const all = Array.from(this.#messages.values());
    const end = Math.max(0, all.length - offset);
    return all.slice(Math.max(0, end - limit), end).reverse();
  }

  /** Messages still without facts, oldest first. */
  pending(): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const message of this.#messages.values()) if (message.facts === null) out.push(message);
    return out;
  }

  /** Nothing to release: the memory engine holds no connection or file. */
  close(): void {}

  /** Sets the read flag; publishes `message.updated` when it changed. */
  setRead(id: string, read: boolean): StoredMessage | undefined {
    const message = this.#messages.get(id);
    if (message && message.read !== read) {
      message.read = read;
      this.#unread += read ? -1 : 1;
      this.#events.publish({ type: 'message.updated', message: toSummary(message) });
    }
    return message;
  }

  /**
   * Replaces a message's tags (cleaned, deduplicated and sorted, see `normaliseTags`); publishes
   * `message.updated` when they changed. Returns the message, or `undefined` for an unknown id.
   */
  setTags(id: string, tags: Iterable<string>): StoredMessage | undefined {
    const message = this.#messages.get(id);
    if (!message) return undefined;
    const next = normaliseTags(tags);
    if (next.length !== message.tags.length || next.some((tag, i) => tag !== message.tags[i])) {
      message.tags = next;
      this.#events.publish({ type: 'message.updated', message: toSummary(message) });
    }
    return message;
  }

  /** Deletes the given messages (unknown ids are ignored); publishes one `message.deleted`. Returns how many went. */
  delete(ids: readonly string[], reason: 'api' | 'evicted' = 'api'): number {
    const gone = ids.filter((id) => this.#remove(id));
    if (gone.length > 0) this.#events.publish({ type: 'message.deleted', ids: gone, reason });
    return gone.length;
  }

  /** Deletes every message; publishes `store.cleared`. */
  clear(): void {
    this.#messages.clear();
    this.#totalBytes = 0;
    this.#unread = 0;
    this.#events.publish({ type: 'store.cleared' });
  }

  #remove(id: string): boolean {
    const message = this.#messages.get(id);
    if (!message) return false;
    this.#messages.delete(id);
    this.#totalBytes -= message.sizeBytes;
    if (!message.read) this.#unread -= 1;
    return true;
  }

  #evictFor(incomingBytes: number): void {
    const { maxMessages, maxStoreBytes } = this.#limits;
    const evicted: string[] = [];
    for (const [id, message] of this.#messages) {
      const overCount = this.#messages.size - evicted.length >= maxMessages;
      const overBytes = this.#totalBytes + incomingBytes > maxStoreBytes;
      if (!overCount && !overBytes) break;
      evicted.push(id);
      this.#totalBytes -= message.sizeBytes;
      if (!message.read) this.#unread -= 1;
    }
    for (const id of evicted) this.#messages.delete(id);
    if (evicted.length > 0) this.#events.publish({ type: 'message.deleted', ids: evicted, reason: 'evicted' });
  }
}
