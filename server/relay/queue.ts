/**
 * The outbound queue: one delivery per message, attempted at once and then with exponential
 * backoff (`retryInitialMs × 2^(n−1)` after the n-th attempt) while the upstream answers 4xx or
 * cannot be reached; a 5xx ends it as `failed` with the reply kept, and so do `maxAttempts` and
 * `maxAgeMs` (counted from `queuedAt`). Every change is handed to `publish` (the sink turns it into
 * a `message.delivery` event).
 */
import type { DeliveryRecord, DeliveryStore } from './delivery-store.js';
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

/**
 * How long an instance holds a delivery on a shared store while it attempts it, in ms: longer than
 * an attempt can take (connection, greeting and socket timeouts); an instance that dies
 * mid-attempt leaves it to another one after this.
 */
export const LEASE_MS = 5 * 60_000;

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
    const delivery = this.#newDelivery(request);
    const current = this.#deps.storage.get(request.messageId);
    if (current && isActive(current.delivery)) throw new RelayError('delivery_in_progress', `message ${request.messageId} is already ${current.delivery.state}`);
    this.#deps.storage.put({ delivery, raw: request.raw });
    this.#started(delivery);
    return delivery;
  }

  /**
   * Queues a delivery unless the message already has one (auto-relay: once per message, and once
   * cluster-wide on a shared store). Resolves with the new delivery, or `undefined` when it had one.
   * @throws RelayError `relay_not_configured` without an upstream; the store's error when it cannot insert.
   */
  async enqueueOnce(request: DeliveryRequest): Promise<Delivery | undefined> {
    const delivery = this.#newDelivery(request);
    if (this.#deps.storage.get(request.messageId)) return undefined;
    const record = { delivery, raw: request.raw };
    if (!this.#deps.storage.putNew) this.#deps.storage.put(record);
    else if (!(await this.#deps.storage.putNew(record))) return undefined;
    this.#started(delivery);
    return delivery;
  }

  #newDelivery(request: DeliveryRequest): Delivery {
    const { upstream } = this.#deps.settings;
    if (!upstream) throw new RelayError('relay_not_configured', 'relaying is off: start mailsink with --relay-url smtp://host:port');
    const now = new Date(this.#deps.scheduler.now()).toISOString();
    return { messageId: request.messageId, state: 'queued', reason: request.reason, mailFrom: request.mailFrom, rcptTo: [...request.rcptTo], upstream: upstream.url, queuedAt: now, nextAttemptAt: now, endReason: null, attempts: [] };
  }

  #started(delivery: Delivery): void {
    this.#deps.publish(delivery);
    this.#schedule(delivery);
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
    if (delivery.nextAttemptAt !== null) this.#scheduleIn(delivery.messageId, Date.parse(delivery.nextAttemptAt) - this.#deps.scheduler.now());
  }

  #scheduleIn(messageId: string, delayMs: number): void {
    if (this.#closed) return;
    this.#timers.set(messageId, this.#deps.scheduler.setTimer(delayMs, () => {
      this.#timers.delete(messageId);
      // a claim that fails (the database is unreachable) is tried again after the initial backoff
      const run = this.#attempt(messageId).catch(() => this.#scheduleIn(messageId, this.#deps.settings.retryInitialMs)).finally(() => this.#running.delete(run));
      this.#running.add(run);
    }));
  }

  async #attempt(messageId: string): Promise<void> {
    const record = await this.#claim(messageId);
    const upstream = this.#deps.settings.upstream;
    if (!record || !upstream) return;
    const { delivery, raw } = record;
    const started = this.#deps.scheduler.now();
    const result = await this.#send({ upstream, tlsVerify: this.#deps.settings.tlsVerify, ca: this.#deps.settings.ca ?? null, mailFrom: delivery.mailFrom, rcptTo: delivery.rcptTo, raw, signal: this.#stopping.signal });
    if (this.#closed) return void (await this.#deps.storage.unclaim?.(messageId));
    const ended = this.#deps.scheduler.now();
    const attempt = { number: delivery.attempts.length + 1, time: new Date(started).toISOString(), durationMs: Math.max(0, ended - started), ...result, refused: result.refused ?? [] };
    const next: Delivery = { ...delivery, attempts: [...delivery.attempts, attempt], ...this.#decide(delivery, attempt.number, result.outcome, ended) };
    this.#deps.storage.put({ delivery: next, raw });
    this.#deps.publish(next);
    this.#schedule(next);
  }

  /**
   * The record to attempt now, or `undefined`. On a shared store the attempt is claimed first: when
   * another instance moved the delivery on, it is scheduled from the stored state; when another
   * holds the lease, it is looked at again once the lease ends.
   */
  async #claim(messageId: string): Promise<DeliveryRecord | undefined> {
    const { storage, settings } = this.#deps;
    const record = storage.get(messageId);
    if (!record || !isActive(record.delivery) || !settings.upstream) return undefined;
    if (!storage.claim) return record;
    const found = await storage.claim(messageId, record.delivery.attempts.length, LEASE_MS);
    if (found.kind === 'claimed' && this.#closed) await storage.unclaim?.(messageId);
    else if (found.kind === 'claimed') return found.record;
    else if (found.kind === 'moved') this.#started(found.record.delivery);
    else if (found.kind === 'busy') this.#scheduleIn(messageId, found.retryInMs);
    return undefined;
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
