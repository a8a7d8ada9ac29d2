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

/**
 * What {@link DeliveryStore.claim} found: `claimed` (this instance holds the lease and attempts with
 * `record`, the stored state); `moved` (another instance changed it since: `record` is the stored
 * state, now also this instance's; schedule from it); `busy` (another instance holds the lease:
 * look again after `retryInMs`); `gone` (no such delivery any more).
 */
export type Claim = { kind: 'claimed' | 'moved'; record: DeliveryRecord } | { kind: 'busy'; retryInMs: number } | { kind: 'gone' };

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
  /**
   * For a store shared by several instances (PostgreSQL): takes the lease on an active delivery
   * still at `attempts` attempts, for `leaseMs`, so that one instance only attempts it; a
   * {@link put} releases it. Absent for stores of one process.
   */
  claim?(messageId: string, attempts: number, leaseMs: number): Promise<Claim>;
  /** Gives up a lease taken by {@link claim} without a change (an attempt cut short by a stop). */
  unclaim?(messageId: string): Promise<void>;
  /**
   * For a shared store: inserts a new delivery unless the message already has one, cluster-wide.
   * Resolves `true` when this call inserted it (and keeps it as {@link put} does).
   */
  putNew?(record: DeliveryRecord): Promise<boolean>;
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
