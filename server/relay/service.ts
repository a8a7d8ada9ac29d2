/**
 * The relay of one sink: the {@link DeliveryQueue}, releases (`POST /api/messages/:id/release`,
 * Mailpit's release) and auto-relay (every stored message whose envelope recipients match
 * `--relay-allow` and not `--relay-deny` is queued to those recipients only). Every change of a
 * delivery is published as a `message.delivery` event and logged in one line without secrets.
 */
import type { Config } from '../config.js';
import type { EventBus } from '../core/events.js';
import type { Store, StoredMessage } from '../core/store.js';
import type { Logger } from '../log.js';
import { MemoryDeliveryStore } from './delivery-store.js';
import type { DeliveryStore } from './delivery-store.js';
import { DeliveryQueue, RelayError } from './queue.js';
import type { RelaySettings } from './queue.js';
import { RecipientRules } from './recipients.js';
import { systemScheduler } from './scheduler.js';
import type { Scheduler } from './scheduler.js';
import type { Delivery, RelayStatus } from './types.js';

/** The relay options of a configuration. */
export function relaySettings(config: Config): RelaySettings {
  return { upstream: config.relayUrl, tlsVerify: config.relayTlsVerify, ca: config.files.relayCa, allow: config.relayAllow, deny: config.relayDeny, retryInitialMs: config.relayRetryInitialMs, maxAttempts: config.relayMaxAttempts, maxAgeMs: config.relayMaxAgeMs };
}

/**
 * What the relay needs; `storage` (the store's `openDeliveries()` for SQLite and PostgreSQL) and
 * `scheduler` default to memory and the wall clock. Every `queued`/`retrying` delivery in `storage`
 * is resumed at once: attempted at its `nextAttemptAt`, or now when that has passed.
 */
export interface RelayServiceDeps {
  settings: RelaySettings;
  store: Store;
  events: EventBus;
  log: Logger;
  storage?: DeliveryStore;
  scheduler?: Scheduler;
}

/** Release, auto-relay and delivery state of one sink. */
export class RelayService {
  readonly #queue: DeliveryQueue;
  readonly #storage: DeliveryStore;
  readonly #unsubscribe: () => void;
  readonly #events: EventBus;

  constructor(deps: RelayServiceDeps) {
    const { settings, store, events, log } = deps;
    this.#events = events;
    this.#storage = deps.storage ?? new MemoryDeliveryStore();
    this.#queue = new DeliveryQueue({
      settings,
      storage: this.#storage,
      scheduler: deps.scheduler ?? systemScheduler,
      publish: (delivery) => {
        log.info(describe(delivery));
        events.publish({ type: 'message.delivery', delivery });
      },
    });
    const rules = new RecipientRules(settings.allow, settings.deny);
    this.#unsubscribe = settings.upstream && rules.enabled ? events.subscribe((event) => {
      if (event.type !== 'message.received') return;
      const message = store.get(event.message.id);
      const rcptTo = message ? rules.select(message.envelope.rcptTo) : [];
      if (!message || rcptTo.length === 0) return;
      // once per message (cluster-wide on PostgreSQL): a message that already has a delivery is not queued again
      this.#queue.enqueueOnce({ messageId: message.id, reason: 'auto-relay', mailFrom: message.envelope.mailFrom, rcptTo, raw: message.raw }).catch((error: unknown) => log.warn(`auto-relay of ${message.id} not queued: ${(error as Error).message}`));
    }) : () => undefined;
  }

  /**
   * Queues `message` for the upstream, to `to` or else its envelope recipients.
   * @throws RelayError `relay_not_configured` or `delivery_in_progress`.
   */
  release(message: StoredMessage, to?: readonly string[]): Delivery {
    const rcptTo = to && to.length > 0 ? to : message.envelope.rcptTo;
    return this.#queue.enqueue({ messageId: message.id, reason: 'release', mailFrom: message.envelope.mailFrom, rcptTo, raw: message.raw });
  }

  /**
   * Resolves with the delivery once it has at least `attempts` attempts (or has ended), as published;
   * never rejects (a sink that stops first leaves it pending, and its HTTP connections are closed).
   */
  afterAttempts(messageId: string, attempts = 1): Promise<Delivery> {
    const done = (delivery: Delivery | undefined) => delivery !== undefined && (delivery.attempts.length >= attempts || delivery.nextAttemptAt === null);
    const now = this.delivery(messageId);
    if (done(now)) return Promise.resolve(now!);
    return new Promise((resolve) => {
      const stop = this.#events.subscribe((event) => {
        if (event.type !== 'message.delivery' || event.delivery.messageId !== messageId || !done(event.delivery)) return;
        stop();
        resolve(event.delivery);
      });
    });
  }

  /** The message's delivery, or `undefined` when none was ever queued. */
  delivery(messageId: string): Delivery | undefined {
    return this.#queue.get(messageId);
  }

  /** `GET /api/relay`. */
  status(): RelayStatus {
    return this.#queue.status();
  }

  /** Stops auto-relay and the queue (attempts under way finish). */
  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#queue.close();
    await this.#storage.close();
  }
}

export { RelayError };

function describe(delivery: Delivery): string {
  const last = delivery.attempts.at(-1);
  const refused = last && last.refused.length > 0 ? ` (refused: ${last.refused.map((r) => `${r.recipient} ${r.code ?? ''}`.trim()).join(', ')})` : '';
  const outcome = last ? ` after attempt ${last.number}: ${last.reply ?? last.error ?? ''}${refused}` : '';
  const next = delivery.nextAttemptAt ? `, next attempt ${delivery.nextAttemptAt}` : '';
  return `delivery of ${delivery.messageId} to ${delivery.upstream} (${delivery.rcptTo.length} recipients, ${delivery.reason}): ${delivery.state}${outcome}${next}`;
}
