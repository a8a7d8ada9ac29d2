/**
 * The relay's deliveries in PostgreSQL (`mailsink.deliveries`, schema v3), so that the outbound
 * queue survives a restart: a sink started on the same database resumes every `queued`/`retrying`
 * delivery. A row is a snapshot of the delivery (JSON) with the bytes it sends, keyed by message
 * id; it outlives its message on purpose (as in the memory engine: deleting or evicting a message
 * does not stop its delivery). Ended rows beyond `maxRecords` are dropped, oldest change first.
 *
 * The relay reads synchronously, so this instance keeps its deliveries in a
 * {@link MemoryDeliveryStore} loaded at open (active ones and the newest ended ones), and writes
 * each change through to the database in call order; {@link close} waits for those writes. A write
 * that fails is logged (`warn`) and the in-memory state goes on: the row then lags until the next
 * change of that delivery.
 *
 * One instance per database for the relay: the rows are not yet claimed per instance, so several
 * instances on one database would each resume (and attempt) the same active deliveries.
 */
import type pg from 'pg';
import { MemoryDeliveryStore } from '../relay/delivery-store.js';
import type { DeliveryRecord, DeliveryStore } from '../relay/delivery-store.js';
import type { Delivery } from '../relay/types.js';
import { SCHEMA } from './postgres-schema.js';


const ENDED = `state NOT IN ('queued', 'retrying')`;
const UPSERT = `INSERT INTO ${SCHEMA}.deliveries AS d (message_id, state, next_attempt_at, delivery, raw) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (message_id) DO UPDATE SET state = excluded.state, next_attempt_at = excluded.next_attempt_at,
    changed = nextval(pg_get_serial_sequence('${SCHEMA}.deliveries', 'changed')), delivery = excluded.delivery, raw = excluded.raw`;
const PRUNE = `DELETE FROM ${SCHEMA}.deliveries WHERE ${ENDED} AND changed <= (SELECT changed FROM ${SCHEMA}.deliveries WHERE ${ENDED} ORDER BY changed DESC OFFSET $1 LIMIT 1)`;
const LOAD = `SELECT delivery::text AS delivery, raw FROM (
    SELECT * FROM ${SCHEMA}.deliveries WHERE state IN ('queued', 'retrying')
    UNION ALL (SELECT * FROM ${SCHEMA}.deliveries WHERE ${ENDED} ORDER BY changed DESC LIMIT $1)
  ) AS kept ORDER BY changed`;

/**
 * Loads this database's deliveries and returns the store the relay uses.
 * @throws the pool's error when the database cannot be read.
 */
export async function openPostgresDeliveries(pool: pg.Pool, warn: (message: string) => void, maxRecords = 5000): Promise<DeliveryStore> {
  const { rows } = await pool.query<{ delivery: string; raw: Buffer }>(LOAD, [maxRecords]);
  const cache = new MemoryDeliveryStore(maxRecords);
  for (const row of rows) cache.put({ delivery: JSON.parse(row.delivery) as Delivery, raw: row.raw });
  return new PostgresDeliveryStore(pool, cache, warn, maxRecords);
}

/** See the module comment; made by {@link openPostgresDeliveries}. */
class PostgresDeliveryStore implements DeliveryStore {
  readonly #pool: pg.Pool;
  readonly #cache: MemoryDeliveryStore;
  readonly #warn: (message: string) => void;
  readonly #maxRecords: number;
  /** The chain of writes, in call order. */
  #writes: Promise<void> = Promise.resolve();

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
    const { delivery, raw } = record;
    const ended = delivery.state === 'delivered' || delivery.state === 'failed';
    this.#writes = this.#writes.then(async () => {
      try {
        await this.#pool.query(UPSERT, [delivery.messageId, delivery.state, delivery.nextAttemptAt, JSON.stringify(delivery), raw]);
        if (ended) await this.#pool.query(PRUNE, [this.#maxRecords]);
      } catch (error) {
        this.#warn(`delivery of ${delivery.messageId} not saved: ${(error as Error).message}`);
      }
    });
  }

  active(): DeliveryRecord[] {
    return this.#cache.active();
  }

  recent(limit: number): Delivery[] {
    return this.#cache.recent(limit);
  }

  /** Waits for the writes made so far (the pool is the store's, ended with it). */
  async close(): Promise<void> {
    await this.#writes;
    this.#cache.close();
  }
}
