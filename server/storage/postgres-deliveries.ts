/**
 * The relay's deliveries in PostgreSQL (`mailsink.deliveries`, schema v3), shared by every instance
 * on the database, so that the outbound queue survives a restart. A row is a snapshot of the
 * delivery (JSON) with the bytes it sends, keyed by message id; it outlives its message on purpose
 * (as in the memory engine: deleting or evicting a message does not stop its delivery). Ended rows
 * beyond `maxRecords` are dropped, oldest change first.
 *
 * The relay reads synchronously, so each instance keeps the deliveries it knows in a
 * {@link MemoryDeliveryStore}, loaded at open (every active one and the newest ended ones), and
 * writes each change through to the database; writes, claims and inserts run one after the other,
 * in call order. A write that fails is logged (`warn`) and the instance goes on.
 *
 * Several instances: an attempt is made under a lease (`lease_owner`, `lease_until`) taken by one
 * `UPDATE … WHERE` the lease is free or expired and the attempt count is the one expected (row
 * locks make concurrent claims wait and re-check), and released by the write of its outcome; an
 * instance that dies mid-attempt leaves the lease to expire. Auto-relay inserts with
 * `ON CONFLICT DO NOTHING`, so a message is queued once cluster-wide. An instance learns of
 * deliveries queued by others only at its next start.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { MemoryDeliveryStore } from '../relay/delivery-store.js';
import type { Claim, DeliveryRecord, DeliveryStore } from '../relay/delivery-store.js';
import type { Delivery } from '../relay/types.js';
import { SCHEMA } from './postgres-schema.js';

const T = `${SCHEMA}.deliveries`;
const ACTIVE = `state IN ('queued', 'retrying')`;
const ENDED = `state NOT IN ('queued', 'retrying')`;
const INSERT = `INSERT INTO ${T} (message_id, state, next_attempt_at, delivery, raw) VALUES ($1, $2, $3, $4, $5)`;
const UPSERT = `${INSERT} ON CONFLICT (message_id) DO UPDATE SET state = excluded.state, next_attempt_at = excluded.next_attempt_at,
  changed = nextval(pg_get_serial_sequence('${T}', 'changed')), delivery = excluded.delivery, raw = excluded.raw, lease_owner = NULL, lease_until = NULL`;
const PRUNE = `DELETE FROM ${T} WHERE ${ENDED} AND changed <= (SELECT changed FROM ${T} WHERE ${ENDED} ORDER BY changed DESC OFFSET $1 LIMIT 1)`;
const LOAD = `SELECT delivery::text AS delivery, raw FROM (
    SELECT * FROM ${T} WHERE ${ACTIVE}
    UNION ALL (SELECT * FROM ${T} WHERE ${ENDED} ORDER BY changed DESC LIMIT $1)
  ) AS kept ORDER BY changed`;
const CLAIM = `UPDATE ${T} SET lease_owner = $2, lease_until = clock_timestamp() + $4 * interval '1 millisecond'
  WHERE message_id = $1 AND ${ACTIVE} AND json_array_length(delivery->'attempts') = $3
    AND (lease_until IS NULL OR lease_until < clock_timestamp() OR lease_owner = $2)
  RETURNING delivery::text AS delivery, raw`;
const LOOK = `SELECT delivery::text AS delivery, raw, ${ACTIVE} AS active, json_array_length(delivery->'attempts') AS attempts,
    greatest(0, ceil(extract(epoch FROM lease_until - clock_timestamp()) * 1000))::float8 AS lease_left_ms
  FROM ${T} WHERE message_id = $1`;

interface Row {
  delivery: string;
  raw: Buffer;
}

/**
 * Loads this database's deliveries and returns the store the relay uses.
 * @throws the pool's error when the database cannot be read.
 */
export async function openPostgresDeliveries(pool: pg.Pool, warn: (message: string) => void, maxRecords = 5000): Promise<DeliveryStore> {
  const { rows } = await pool.query<Row>(LOAD, [maxRecords]);
  const cache = new MemoryDeliveryStore(maxRecords);
  for (const row of rows) cache.put(toRecord(row));
  return new PostgresDeliveryStore(pool, cache, warn, maxRecords);
}

/** See the module comment; made by {@link openPostgresDeliveries}. */
class PostgresDeliveryStore implements DeliveryStore {
  readonly #pool: pg.Pool;
  readonly #cache: MemoryDeliveryStore;
  readonly #warn: (message: string) => void;
  readonly #maxRecords: number;
  /** This instance's name in `lease_owner`. */
  readonly #owner = randomUUID();
  /** The chain of database operations, in call order. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(pool: pg.Pool, cache: MemoryDeliveryStore, warn: (message: string) => void, maxRecords: number) {
    this.#pool = pool;
    this.#cache = cache;
    this.#warn = warn;
    this.#maxRecords = maxRecords;
  }

  get(messageId: string): DeliveryRecord | undefined {
    return this.#cache.get(messageId);
  }

  put(record: DeliveryRecord): void {
    this.#cache.put(record);
    const { delivery } = record;
    void this.#run(async () => {
      await this.#pool.query(UPSERT, params(record));
      if (delivery.state === 'delivered' || delivery.state === 'failed') await this.#pool.query(PRUNE, [this.#maxRecords]);
    }).catch((error: unknown) => this.#warn(`delivery of ${delivery.messageId} not saved: ${(error as Error).message}`));
  }

  putNew(record: DeliveryRecord): Promise<boolean> {
    return this.#run(async () => {
      const { rowCount } = await this.#pool.query(`${INSERT} ON CONFLICT (message_id) DO NOTHING`, params(record));
      if (rowCount === 1) this.#cache.put(record);
      return rowCount === 1;
    });
  }

  claim(messageId: string, attempts: number, leaseMs: number): Promise<Claim> {
    return this.#run(async (): Promise<Claim> => {
      const claimed = await this.#pool.query<Row>(CLAIM, [messageId, this.#owner, attempts, leaseMs]);
      if (claimed.rows[0]) return { kind: 'claimed', record: this.#keep(claimed.rows[0]) };
      const { rows } = await this.#pool.query<Row & { active: boolean; attempts: number; lease_left_ms: number | null }>(LOOK, [messageId]);
      const row = rows[0];
      if (!row) return { kind: 'gone' };
      if (!row.active || row.attempts !== attempts) return { kind: 'moved', record: this.#keep(row) };
      return { kind: 'busy', retryInMs: Math.max(1, row.lease_left_ms ?? 0) };
    });
  }

  unclaim(messageId: string): Promise<void> {
    return this.#run(async () => {
      await this.#pool.query(`UPDATE ${T} SET lease_owner = NULL, lease_until = NULL WHERE message_id = $1 AND lease_owner = $2`, [messageId, this.#owner]);
    });
  }

  active(): DeliveryRecord[] {
    return this.#cache.active();
  }

  recent(limit: number): Delivery[] {
    return this.#cache.recent(limit);
  }

  /** Waits for the operations made so far (the pool is the store's, ended with it). */
  async close(): Promise<void> {
    await this.#chain.catch(() => undefined);
    this.#cache.close();
  }

  /** Runs `op` after every operation queued before it. */
  #run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.#chain.catch(() => undefined).then(op);
    this.#chain = result;
    return result;
  }

  #keep(row: Row): DeliveryRecord {
    const record = toRecord(row);
    this.#cache.put(record);
    return record;
  }
}

function params({ delivery, raw }: DeliveryRecord): unknown[] {
  return [delivery.messageId, delivery.state, delivery.nextAttemptAt, JSON.stringify(delivery), raw];
}

function toRecord(row: Row): DeliveryRecord {
  return { delivery: JSON.parse(row.delivery) as Delivery, raw: row.raw };
}
