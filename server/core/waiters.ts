/**
 * Long-poll waits: "the next `count` messages matching a query with `seq > after`". A wait first
 * looks at what is stored, then is woken by the store's events; nothing polls. All waits of a sink
 * share one event subscription and each holds only a query, a timer and its matches, so hundreds
 * of idle waits cost a few hundred bytes each and no CPU. A message still waiting for its parse is
 * judged on its `message.received`; a bare word the headers leave open parses the body.
 */
import type { SinkEvent } from '../contract.js';
import type { EventBus } from './events.js';
import type { MessageParsing } from './message-parsing.js';
import type { MessageQuery } from './query.js';
import type { Store, StoredMessage } from './store.js';

/** What to wait for. */
export interface WaitRequest {
  query: MessageQuery;
  /** Only messages with `seq > after` count. */
  after: number;
  /** How many matching messages to wait for (≥ 1). */
  count: number;
  /** Give up after this many ms. */
  timeoutMs: number;
  /** Aborting forgets the wait (resolves `cancelled`), e.g. when the HTTP client hangs up. */
  signal?: AbortSignal;
}

/** How a wait ended. `messages` are oldest first (by `seq`); on timeout, those that matched so far. */
export type WaitOutcome =
  | { kind: 'matched'; messages: StoredMessage[] }
  | { kind: 'timeout'; messages: StoredMessage[] }
  | { kind: 'cancelled' };

interface Waiter {
  readonly request: WaitRequest;
  readonly matched: Map<string, StoredMessage>;
  /** Ids of messages being judged (body parse in flight); a match waits for them, being possibly older. */
  readonly judging: Set<string>;
  settled: boolean;
  settle(outcome: WaitOutcome): void;
}

/** The pending waits of one sink. Made in `sink.ts`; `close()` cancels them all. */
export class WaitRegistry {
  readonly #store: Store;
  readonly #parsing: MessageParsing;
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<(size: number) => void>();
  readonly #unsubscribe: () => void;

  constructor(store: Store, events: EventBus, parsing: MessageParsing) {
    this.#store = store;
    this.#parsing = parsing;
    this.#unsubscribe = events.subscribe((event) => this.#onEvent(event));
  }

  /** Number of pending waits. */
  get size(): number {
    return this.#waiters.size;
  }

  /** Calls `listener(size)` whenever a wait starts or ends; returns the unsubscribe function. */
  onSizeChange(listener: (size: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves as soon as `count` messages match (at once if they are already stored), on timeout, or on abort. */
  wait(request: WaitRequest): Promise<WaitOutcome> {
    if (request.signal?.aborted) return Promise.resolve({ kind: 'cancelled' });
    return new Promise((resolve) => {
      const matched = new Map<string, StoredMessage>();
      const timer = setTimeout(() => waiter.settle({ kind: 'timeout', messages: bySeq(matched) }), request.timeoutMs);
      const onAbort = () => waiter.settle({ kind: 'cancelled' });
      const waiter: Waiter = {
        request,
        matched,
        judging: new Set(),
        settled: false,
        settle: (outcome) => {
          if (waiter.settled) return;
          waiter.settled = true;
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
          this.#changed();
        },
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
      this.#changed();
      // What is stored and parsed now; messages still pending are judged on their message.received.
      for (const message of this.#store.since(request.after)) {
        if (message.facts !== null) this.#judge(waiter, message);
        if (waiter.settled) break;
      }
    });
  }

  /** Cancels every pending wait and stops listening to the store. */
  close(): void {
    this.#unsubscribe();
    for (const waiter of [...this.#waiters]) waiter.settle({ kind: 'cancelled' });
  }

  #onEvent(event: SinkEvent): void {
    if ((event.type !== 'message.received' && event.type !== 'message.updated') || this.#waiters.size === 0) return;
    const message = this.#store.get(event.message.id);
    if (!message) return;
    for (const waiter of [...this.#waiters]) {
      if (message.seq > waiter.request.after) this.#judge(waiter, message);
    }
  }

  /** Decides whether `message` matches the wait, parsing its body when a bare word needs it. */
  #judge(waiter: Waiter, message: StoredMessage): void {
    const { matched, judging, request } = waiter;
    if (matched.has(message.id) || judging.has(message.id)) return;
    const verdict = request.query.test(message);
    if (verdict === false) return;
    if (verdict === true) {
      matched.set(message.id, message);
      this.#check(waiter);
      return;
    }
    judging.add(message.id);
    void this.#parsing.bodyText(message).then(
      (body) => {
        judging.delete(message.id);
        if (waiter.settled) return;
        if (request.query.test(message, body) === true) matched.set(message.id, message);
        this.#check(waiter);
      },
      () => {
        judging.delete(message.id);
        if (!waiter.settled) this.#check(waiter);
      },
    );
  }

  /** Settles a wait that has its `count` matches, once no older message is still being judged. */
  #check(waiter: Waiter): void {
    const { matched, judging, request } = waiter;
    if (matched.size < request.count) return;
    const messages = bySeq(matched).slice(0, request.count);
    const last = messages[messages.length - 1]!.seq;
    for (const id of judging) {
      const pending = this.#store.get(id);
      if (pending && pending.seq < last) return;
    }
    waiter.settle({ kind: 'matched', messages });
  }

  #changed(): void {
    for (const listener of this.#listeners) listener(this.#waiters.size);
  }
}

function bySeq(matched: Map<string, StoredMessage>): StoredMessage[] {
  return [...matched.values()].sort((a, b) => a.seq - b.seq);
}
