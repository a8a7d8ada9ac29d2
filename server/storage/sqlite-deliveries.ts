/**
 * The relay's deliveries in the SQLite file (`deliveries`, schema v3), so that the outbound queue
 * survives a restart: a sink started on the same file resumes every `queued`/`retrying` delivery.
 *
 * A row is a snapshot of the delivery (JSON) with the bytes it sends, keyed by message id, and it
 * outlives its message on purpose (as in the memory engine: deleting or evicting a message does not
 * stop its delivery). Ended rows beyond `maxRecords` are dropped, oldest change first.
 *
 * Writes share the store's connection: a write made while the store's group commit has a
 * transaction open rides on that commit; otherwise it commits at once (WAL, no fsync of its own,
 * so a machine crash may lose the last change and repeat one attempt; a process crash loses nothing).
 */
import type Database from 'better-sqlite3';
import type { DeliveryRecord, DeliveryStore } from '../relay/delivery-store.js';
import type { Delivery } from '../relay/types.js';

/** v3 of the SQLite schema: deliveries, with an index of active ones and one of change order. */
export const DELIVERIES_DDL = `
  CREATE TABLE deliveries (
    message_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    next_attempt_at TEXT,
    changed INTEGER NOT NULL,
    delivery TEXT NOT NULL,
    raw BLOB NOT NULL
  );
  CREATE INDEX deliveries_active ON deliveries (changed) WHERE state IN ('queued', 'retrying');
  CREATE INDEX deliveries_changed ON deliveries (changed);
`;

const ENDED = `state NOT IN ('queued', 'retrying')`;

interface Row {
  delivery: string;
  raw: Buffer;
}

/** {@link DeliveryStore} on the store's better-sqlite3 connection (synchronous queries). */
export class SqliteDeliveryStore implements DeliveryStore {
  readonly #get: Database.Statement<[string], Row>;
  readonly #put: Database.Statement<[string, string, string | null, string, Buffer]>;
  readonly #prune: Database.Statement<[number]>;
  readonly #active: Database.Statement<[], Row>;
  readonly #recent: Database.Statement<[number], { delivery: string }>;
  readonly #maxRecords: number;

  /** `db`: the open store's connection (it stays the store's: {@link close} does not close it). */
  constructor(db: Database.Database, maxRecords = 5000) {
    this.#maxRecords = maxRecords;
    this.#get = db.prepare('SELECT delivery, raw FROM deliveries WHERE message_id = ?');
    this.#put = db.prepare(`INSERT INTO deliveries (message_id, state, next_attempt_at, changed, delivery, raw)
      VALUES (?, ?, ?, (SELECT coalesce(max(changed), 0) + 1 FROM deliveries), ?, ?)
      ON CONFLICT (message_id) DO UPDATE SET state = excluded.state, next_attempt_at = excluded.next_attempt_at,
        changed = excluded.changed, delivery = excluded.delivery, raw = excluded.raw`);
    this.#prune = db.prepare(`DELETE FROM deliveries WHERE ${ENDED} AND changed <= (SELECT changed FROM deliveries WHERE ${ENDED} ORDER BY changed DESC LIMIT 1 OFFSET ?)`);
    this.#active = db.prepare(`SELECT delivery, raw FROM deliveries WHERE state IN ('queued', 'retrying') ORDER BY changed`);
    this.#recent = db.prepare(`SELECT delivery FROM deliveries WHERE ${ENDED} ORDER BY changed DESC LIMIT ?`);
  }

  get(messageId: string): DeliveryRecord | undefined {
    const row = this.#get.get(messageId);
    return row ? toRecord(row) : undefined;
  }

  put(record: DeliveryRecord): void {
    const { delivery, raw } = record;
    this.#put.run(delivery.messageId, delivery.state, delivery.nextAttemptAt, JSON.stringify(delivery), raw);
    if (delivery.state === 'delivered' || delivery.state === 'failed') this.#prune.run(this.#maxRecords);
  }

  active(): DeliveryRecord[] {
    return this.#active.all().map(toRecord);
  }

  recent(limit: number): Delivery[] {
    return this.#recent.all(limit).map((row) => JSON.parse(row.delivery) as Delivery);
  }

  /** Nothing to release: the connection is the store's, closed with it. */
  close(): void {}
}

function toRecord(row: Row): DeliveryRecord {
  return { delivery: JSON.parse(row.delivery) as Delivery, raw: row.raw };
}
