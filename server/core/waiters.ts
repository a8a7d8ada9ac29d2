/**
 * Long-poll waits: "the next `count` messages matching a query with `seq > after`". A wait first
 * looks at what is stored, then is woken by the store's events; nothing polls. All waits of a sink
 * share one event subscription and each holds only a predicate, a timer and its matches, so
 * hundreds of idle waits cost a few hundred bytes each and no CPU.
 */
import type { SinkEvent } from '../contract.js';
import type { EventBus } from './events.js';
import type { MessagePredicate } from './query.js';
import type { MessageStore, StoredMessage } from './store.js';

/** What to wait for. */
export interface WaitRequest {
  predicate: MessagePredicate;
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
  settle(outcome: WaitOutcome): void;
}

/** The pending waits of one sink. Made in `sink.ts`; `close()` cancels them all. */
export class WaitRegistry {
  readonly #store: MessageStore;
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<(size: number) => void>();
  readonly #unsubscribe: () => void;

  constructor(store: MessageStore, events: EventBus) {
    this.#store = store;
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
    const matched = new Map<string, StoredMessage>();
    for (const message of this.#store.newestFirst().reverse()) {
      if (message.seq > request.after && request.predicate(message)) matched.set(message.id, message);
      if (matched.size === request.count) return Promise.resolve({ kind: 'matched', messages: [...matched.values()] });
    }
    if (request.signal?.aborted) return Promise.resolve({ kind: 'cancelled' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter.settle({ kind: 'timeout', messages: [...matched.values()] }), request.timeoutMs);
      const onAbort = () => waiter.settle({ kind: 'cancelled' });
      const waiter: Waiter = {
        request,
        matched,
        settle: (outcome) => {
          if (!this.#waiters.delete(waiter)) return;
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
          this.#changed();
        },
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
      this.#changed();
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
      const { request, matched } = waiter;
      if (message.seq <= request.after || matched.has(message.id) || !request.predicate(message)) continue;
      matched.set(message.id, message);
      if (matched.size >= request.count) waiter.settle({ kind: 'matched', messages: [...matched.values()].sort((a, b) => a.seq - b.seq) });
    }
  }

  #changed(): void {
    for (const listener of this.#listeners) listener(this.#waiters.size);
  }
}
