/**
 * Parsing after the SMTP ack, and on demand. A message is stored with its raw bytes only and
 * acknowledged; its parse then runs on the parse pool and gives it its {@link MessageFacts}
 * (headers, snippet, attachment list, parse error: about 1 KiB), upon which the store publishes
 * `message.received`. Bodies, HTML and the header list are not kept per message: they are parsed
 * again when asked for, through a small cache bounded in bytes. Readers that need facts wait for
 * them ({@link MessageParsing.ready}, {@link MessageParsing.settled}), so the REST API never shows
 * a half-known message.
 */
import type { EventBus } from './events.js';
import { factsOf } from './parse.js';
import type { MessageFacts, ParseResult } from './parse.js';
import type { ParsePool } from './parse-pool.js';
import { bodySearchText } from './query.js';
import type { MessageQuery } from './query.js';
import type { Store, StoredMessage } from './store.js';

/** Bounds of the cache of full parses. */
export interface ParseCacheLimits {
  /** Most parses kept (default 200). */
  maxEntries: number;
  /** Most UTF-16 bytes of text, HTML and headers kept, summed (default 32 MiB). */
  maxBytes: number;
}

export const DEFAULT_PARSE_CACHE: ParseCacheLimits = { maxEntries: 200, maxBytes: 32 * 1024 * 1024 };

/** Bare-word queries parse at most this many uncached bodies at a time. */
const BODY_SCAN_BATCH = 64;

interface CacheEntry {
  result: Promise<ParseResult>;
  /** Estimated bytes held; 0 until the parse is done. */
  cost: number;
}

/** Deferred and on-demand parsing of stored messages; one per sink (made in `sink.ts`). */
export class MessageParsing {
  readonly #pool: ParsePool;
  readonly #store: Store;
  readonly #limits: ParseCacheLimits;
  /** Parses in flight, by message id; each promise always resolves (a failed hand-over leaves the message pending). */
  readonly #pending = new Map<string, Promise<void>>();
  /** Full parses by message id, least recently used first. */
  readonly #cache = new Map<string, CacheEntry>();
  readonly #unsubscribe: () => void;
  #cacheBytes = 0;
  /** The last admitted message's completion: facts are handed over in arrival order. */
  #tail: Promise<void> = Promise.resolve();

  constructor(pool: ParsePool, store: Store, events: EventBus, limits: ParseCacheLimits = DEFAULT_PARSE_CACHE) {
    this.#pool = pool;
    this.#store = store;
    this.#limits = limits;
    this.#unsubscribe = events.subscribe((event) => {
      if (event.type === 'message.deleted') for (const id of event.ids) this.#forget(id);
      else if (event.type === 'store.cleared') for (const id of [...this.#cache.keys()]) this.#forget(id);
    });
  }

  /** Messages stored but not parsed yet. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Starts the parse of a message stored without facts; when it ends the store gets the facts and
   * publishes `message.received` (see `Store.complete`). Facts are handed over in the order
   * messages were admitted, so `message.received` events keep arrival order even when a small
   * message's parse ends before a large one's. A parser failure never rejects: it becomes the
   * message's `parseError`.
   *
   * @param known - Facts already parsed (imports, data-stage fault checks): no second parse, but
   *   the message still waits its turn to be announced.
   */
  admit(message: StoredMessage, known?: MessageFacts): void {
    if (message.facts !== null || this.#pending.has(message.id)) return;
    const facts = known ? Promise.resolve(known) : this.#pool.facts(message.raw).catch((err: unknown) => factsOf({ parsed: null, parseError: err instanceof Error ? err.message : String(err) }));
    const done = Promise.all([facts, this.#tail])
      .then(([ready]) => this.#store.complete(message, ready))
      .catch(() => undefined) // the store refused (database down): the message stays pending; the next reader admits it again
      .finally(() => this.#pending.delete(message.id));
    this.#tail = done;
    this.#pending.set(message.id, done);
  }

  /**
   * Resolves once every one of `messages` has its facts (at once when all have them). A message
   * without facts that no parse here is working on (taken by another instance sharing the store, or
   * by one that died before its parse ended) is admitted now. The given objects are then brought up
   * to date from the store (facts, tags, read), since a database engine hands out snapshots.
   */
  async ready(messages: Iterable<StoredMessage>): Promise<void> {
    const open: StoredMessage[] = [];
    for (const message of messages) if (message.facts === null) open.push(message);
    if (open.length === 0) return;
    const waits: Promise<void>[] = [];
    for (const message of open) {
      if (!this.#pending.has(message.id) && this.#store.get(message.id)?.facts === null) this.admit(message);
      const pending = this.#pending.get(message.id);
      if (pending) waits.push(pending);
    }
    if (waits.length > 0) await Promise.all(waits);
    for (const message of open) {
      const current = this.#store.get(message.id);
      if (!current || current === message) continue;
      message.facts = current.facts;
      message.tags = current.tags;
      message.read = current.read;
    }
  }

  /** Resolves once every message pending now has its facts. */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending.values()]);
  }

  /**
   * The full parse of a message (text, HTML, header list, parts), from the cache or the parse pool.
   * @param cache - Keep the result for the next reader (default); `false` for one-off scans.
   */
  parsed(message: StoredMessage, cache = true): Promise<ParseResult> {
    const hit = this.#cache.get(message.id);
    if (hit) {
      this.#cache.delete(message.id);
      this.#cache.set(message.id, hit);
      return hit.result;
    }
    const result = this.#pool.parse(message.raw);
    if (!cache) return result;
    const entry: CacheEntry = { result, cost: 0 };
    this.#cache.set(message.id, entry);
    void result.then((done) => {
      if (this.#cache.get(message.id) !== entry) return;
      entry.cost = costOf(done);
      this.#cacheBytes += entry.cost;
      this.#trim();
    });
    this.#trim();
    return result;
  }

  /**
   * The messages matching a query, in the order given (`messages` itself when the query is empty).
   * Waits for pending facts first; bodies are
   * parsed (uncached, {@link BODY_SCAN_BATCH} at a time) only for messages a bare word leaves open.
   */
  async filter(messages: StoredMessage[], query: MessageQuery): Promise<StoredMessage[]> {
    if (query.matchesAll) return messages;
    await this.ready(messages);
    const verdicts = messages.map((message) => query.test(message));
    const open = verdicts.flatMap((verdict, index) => (verdict === undefined ? [index] : []));
    for (let start = 0; start < open.length; start += BODY_SCAN_BATCH) {
      await Promise.all(
        open.slice(start, start + BODY_SCAN_BATCH).map(async (index) => {
          const message = messages[index]!;
          verdicts[index] = query.test(message, await this.bodyText(message, false)) === true;
        }),
      );
    }
    return messages.filter((_message, index) => verdicts[index] === true);
  }

  /** Lowercased body text for bare-word search (see `bodySearchText`). */
  async bodyText(message: StoredMessage, cache = true): Promise<string> {
    return bodySearchText(await this.parsed(message, cache));
  }

  /** Stops listening to the store; pending parses still finish. */
  close(): void {
    this.#unsubscribe();
  }

  #forget(id: string): void {
    const entry = this.#cache.get(id);
    if (!entry) return;
    this.#cache.delete(id);
    this.#cacheBytes -= entry.cost;
  }

  #trim(): void {
    const { maxEntries, maxBytes } = this.#limits;
    for (const [id, entry] of this.#cache) {
      if (this.#cache.size <= maxEntries && this.#cacheBytes <= maxBytes) break;
      if (entry.cost === 0 && this.#cache.size <= maxEntries) continue; // still parsing, costs nothing yet
      this.#forget(id);
    }
  }
}

/** Rough bytes a parse result holds: strings count two bytes per character. */
function costOf({ parsed }: ParseResult): number {
  if (!parsed) return 256;
  let chars = (parsed.text?.length ?? 0) + (parsed.html?.length ?? 0);
  for (const header of parsed.headers) chars += header.name.length + header.value.length + header.decoded.length + 16;
  return 2 * chars + 1024;
}
