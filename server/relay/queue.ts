/**
 * The outbound queue: one delivery per message, attempted at once and then with exponential
 * backoff (`retryInitialMs × 2^(n−1)` after the n-th attempt) while the upstream answers 4xx or
 * cannot be reached; a 5xx ends it as `failed` with the reply kept, and so do `maxAttempts` and
 * `maxAgeMs` (counted from `queuedAt`). Every change is handed to `publish` (the sink turns it into
 * a `message.delivery` event).
 */
import type { DeliveryStore } from './delivery-store.js';
import { isActive } from './delivery-store.js';
import type { Scheduler } from './scheduler.js';
import { attemptDelivery } from './smtp-client.js';
import type { AttemptRequest, AttemptResult } from './smtp-client.js';
import type { Delivery, RelayStatus } from './types.js';
import type { RelayUpstream } from './upstream.js';

/** Relay options (`--relay-*`), resolved. Times in ms. */
export interface RelaySettings {
  upstream: RelayUpstream | null;
  tlsVerify: boolean;
  /** PEM CA certificates trusted for the upstream instead of the system's (`--relay-ca`); absent or `null`: the system's. */
  ca?: string | null;
  allow: readonly string[];
  deny: readonly string[];
  retryInitialMs: number;
  maxAttempts: number;
  maxAgeMs: number;
}

/** Thrown by {@link DeliveryQueue.enqueue}; `code` is the API error code. */
export class RelayError extends Error {
  readonly code: 'relay_not_configured' | 'delivery_in_progress';
  constructor(code: RelayError['code'], message: string) {
    super(message);
    this.name = 'RelayError';
    this.code = code;
  }
}

/** What the queue needs; `send` defaults to a real SMTP attempt. */
export interface DeliveryQueueDeps {
  settings: RelaySettings;
  storage: DeliveryStore;
  scheduler: Scheduler;
  publish: (delivery: Delivery) => void;
  send?: (request: AttemptRequest) => Promise<AttemptResult>;
}

/** What to queue. */
export interface DeliveryRequest {
  messageId: string;
  reason: Delivery['reason'];
  mailFrom: string;
  rcptTo: readonly string[];
  raw: Buffer;
}

/** The queue of one sink. */
export class DeliveryQueue {
  readonly #deps: DeliveryQueueDeps;
  readonly #send: (request: AttemptRequest) => Promise<AttemptResult>;
  readonly #timers = new Map<string, () => void>();
  readonly #running = new Set<Promise<void>>();
  /** Aborts attempts under way when the queue closes. */
  readonly #stopping = new AbortController();
  #closed = false;

  constructor(deps: DeliveryQueueDeps) {
    this.#deps = deps;
    this.#send = deps.send ?? attemptDelivery;
    for (const record of deps.storage.active()) this.#schedule(record.delivery); // resumed from a persistent store
  }

  /**
   * Queues a delivery; its first attempt starts at once (asynchronously).
   * @throws RelayError `relay_not_configured` without an upstream, `delivery_in_progress` while the message's delivery is active.
   */
  enqueue(request: DeliveryRequest): Delivery {
    const { upstream } = this.#deps.settings;
    if (!upstream) throw new RelayError('relay_not_configured', 'relaying is off: start mailsink with --relay-url smtp://host:port');
    const current = this.#deps.storage.get(request.messageId);
    if (current && isActive(current.delivery)) throw new RelayError('delivery_in_progress', `message ${request.messageId} is already ${current.delivery.state}`);
    const now = new Date(this.#deps.scheduler.now()).toISOString();
    const delivery: Delivery = { messageId: request.messageId, state: 'queued', reason: request.reason, mailFrom: request.mailFrom, rcptTo: [...request.rcptTo], upstream: upstream.url, queuedAt: now, nextAttemptAt: now, endReason: null, attempts: [] };
    this.#deps.storage.put({ delivery, raw: request.raw });
    this.#deps.publish(delivery);
    this.#schedule(delivery);
    return delivery;
  }

  /** The delivery of a message, if one was ever queued (and is still kept). */
  get(messageId: string): Delivery | undefined {
    return this.#deps.storage.get(messageId)?.delivery;
  }

  /** `GET /api/relay`: settings without secrets, queue counts and the last 20 ended deliveries. */
  status(): RelayStatus {
    const { upstream, tlsVerify, allow, deny, retryInitialMs, maxAttempts, maxAgeMs } = this.#deps.settings;
    const active = this.#deps.storage.active();
    return {
      upstream: upstream ? { url: upstream.url, host: upstream.host, port: upstream.port, secure: upstream.secure, starttls: upstream.starttls, tlsVerify, auth: upstream.auth !== null } : null,
      allow: [...allow],
      deny: [...deny],
      retry: { initialMs: retryInitialMs, maxAttempts, maxAgeMs },
      queue: { queued: active.filter((r) => r.delivery.state === 'queued').length, retrying: active.filter((r) => r.delivery.state === 'retrying').length },
      recent: this.#deps.storage.recent(20),
    };
  }

  /** Cancels pending timers, aborts attempts under way (they are not recorded: the delivery stays active) and waits for them. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopping.abort();
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    await Promise.all([...this.#running]);
  }

  #schedule(delivery: Delivery): void {
    if (this.#closed || delivery.nextAttemptAt === null) return;
    const delayMs = Date.parse(delivery.nextAttemptAt) - this.#deps.scheduler.now();
    this.#timers.set(delivery.messageId, this.#deps.scheduler.setTimer(delayMs, () => {
      this.#timers.delete(delivery.messageId);
      const run = this.#attempt(delivery.messageId).finally(() => this.#running.delete(run));
      this.#running.add(run);
    }));
  }

  async #attempt(messageId: string): Promise<void> {
    const record = this.#deps.storage.get(messageId);
    const upstream = this.#deps.settings.upstream;
    if (!record || !isActive(record.delivery) || !upstream) return;
    const { delivery, raw } = record;
    const started = this.#deps.scheduler.now();
    const result = await this.#send({ upstream, tlsVerify: this.#deps.settings.tlsVerify, ca: this.#deps.settings.ca ?? null, mailFrom: delivery.mailFrom, rcptTo: delivery.rcptTo, raw, signal: this.#stopping.signal });
    if (this.#closed) return;
    const ended = this.#deps.scheduler.now();
    const attempt = { number: delivery.attempts.length + 1, time: new Date(started).toISOString(), durationMs: Math.max(0, ended - started), ...result, refused: result.refused ?? [] };
    const next: Delivery = { ...delivery, attempts: [...delivery.attempts, attempt], ...this.#decide(delivery, attempt.number, result.outcome, ended) };
    this.#deps.storage.put({ delivery: next, raw });
    this.#deps.publish(next);
    this.#schedule(next);
  }

  /** The state after attempt `number` ended at `now` with `outcome`. */
  #decide(delivery: Delivery, number: number, outcome: AttemptResult['outcome'], now: number): Pick<Delivery, 'state' | 'nextAttemptAt' | 'endReason'> {
    if (outcome === 'delivered') return { state: 'delivered', nextAttemptAt: null, endReason: null };
    if (outcome === 'failed') return { state: 'failed', nextAttemptAt: null, endReason: 'reply' };
    const { retryInitialMs, maxAttempts, maxAgeMs } = this.#deps.settings;
    if (number >= maxAttempts) return { state: 'failed', nextAttemptAt: null, endReason: 'max-attempts' };
    const at = now + retryInitialMs * 2 ** (number - 1);
    if (at - Date.parse(delivery.queuedAt) > maxAgeMs) return { state: 'failed', nextAttemptAt: null, endReason: 'max-age' };
    return { state: 'retrying', nextAttemptAt: new Date(at).toISOString(), endReason: null };
  }
}
