/**
 * Where deliveries live: a small contract so a persistent engine keeps the queue across restarts
 * (`storage/sqlite-deliveries.ts`, `storage/postgres-deliveries.ts`, opened by `Store.openDeliveries`);
 * {@link MemoryDeliveryStore} is the engine of `--storage memory` (gone on exit).
 */
import type { Delivery } from './types.js';

/** A delivery with the bytes it sends (a snapshot taken when queued: deleting the message does not stop it). */
export interface DeliveryRecord {
  delivery: Delivery;
  /** The message's raw bytes, sent unchanged. */
  raw: Buffer;
}

/** Storage of deliveries, one per message id. Synchronous for the memory engine; others may queue writes. */
export interface DeliveryStore {
  /** The delivery of a message (the latest, when it was released again after it ended). */
  get(messageId: string): DeliveryRecord | undefined;
  /** Inserts or replaces the delivery of `record.delivery.messageId`. */
  put(record: DeliveryRecord): void;
  /** Deliveries still `queued` or `retrying`, oldest first (what a restart resumes). */
  active(): DeliveryRecord[];
  /** Ended deliveries (`delivered`, `failed`), most recently ended first, at most `limit`. */
  recent(limit: number): Delivery[];
  /** Releases the engine's resources (memory: drops everything); resolves once pending writes are done. */
  close(): void | Promise<void>;
}

/**
 * In-memory deliveries, in a Map ordered by last change. Keeps at most `maxRecords` (oldest ended
 * ones are dropped first; active ones are never dropped).
 */
export class MemoryDeliveryStore implements DeliveryStore {
  readonly #records = new Map<string, DeliveryRecord>();
  readonly #maxRecords: number;

  constructor(maxRecords = 5000) {
    this.#maxRecords = maxRecords;
  }

  get(messageId: string): DeliveryRecord | undefined {
    return this.#records.get(messageId);
  }

  put(record: DeliveryRecord): void {
    const id = record.delivery.messageId;
    this.#records.delete(id); // re-insert: Map order is order of last change
    this.#records.set(id, record);
    if (this.#records.size <= this.#maxRecords) return;
    for (const [key, old] of this.#records) {
      if (this.#records.size <= this.#maxRecords) break;
      if (!isActive(old.delivery)) this.#records.delete(key);
    }
  }

  active(): DeliveryRecord[] {
    return [...this.#records.values()].filter((record) => isActive(record.delivery));
  }

  recent(limit: number): Delivery[] {
    const out: Delivery[] = [];
    const all = [...this.#records.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) if (!isActive(all[i]!.delivery)) out.push(all[i]!.delivery);
    return out;
  }

  close(): void {
    this.#records.clear();
  }
}

/** Whether a delivery still has attempts to come. */
export function isActive(delivery: Delivery): boolean {
  return delivery.state === 'queued' || delivery.state === 'retrying';
}
