/**
 * Outbound delivery in the inbox: which of two snapshots of a {@link Delivery} is newer, the
 * recipients typed in the release dialog, and a small feed that hands `message.delivery` events
 * (and resyncs) from the one WebSocket to the open message.
 */
import type { Delivery, DeliveryState } from '../../server/contract.js';

const ENDED: ReadonlySet<DeliveryState> = new Set(['delivered', 'failed']);

/**
 * Whether `next` is a later snapshot than `current`: a later release (`queuedAt`), then more
 * attempts, then an ended state over a waiting one. Events, the GET and the POST's answer may
 * arrive in any order; this keeps the newest.
 */
export function isNewerDelivery(next: Delivery, current: Delivery | null): boolean {
  if (current === null) return true;
  const queued = (Date.parse(next.queuedAt) || 0) - (Date.parse(current.queuedAt) || 0);
  if (queued !== 0) return queued > 0;
  if (next.attempts.length !== current.attempts.length) return next.attempts.length > current.attempts.length;
  return ENDED.has(next.state) || !ENDED.has(current.state);
}

/** Whether the delivery still waits for an attempt (`queued` or `retrying`). */
export function isDeliveryPending(delivery: Delivery): boolean {
  return !ENDED.has(delivery.state);
}

/** Addresses typed in the release dialog: separated by commas, semicolons or line breaks; blanks dropped. */
export function parseRecipients(text: string): string[] {
  return text
    .split(/[,;\r\n]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export type DeliveryListener = (delivery: Delivery | 'resync') => void;

/** Fan-out of delivery updates: `publish` each `message.delivery`, `resync` after a reconnect or gap. */
export interface DeliveryFeed {
  publish(delivery: Delivery): void;
  resync(): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: DeliveryListener): () => void;
}

export function createDeliveryFeed(): DeliveryFeed {
  const listeners = new Set<DeliveryListener>();
  return {
    publish: (delivery) => listeners.forEach((listener) => listener(delivery)),
    resync: () => listeners.forEach((listener) => listener('resync')),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
