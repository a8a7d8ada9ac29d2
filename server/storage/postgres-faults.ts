/**
 * Fault rules shared by the instances of a PostgreSQL cluster: the list lives in
 * `mailsink.faults`; a change made through any instance's engine (add, remove, update, enable or
 * disable, reorder: each publishes `faults.changed`)
 * is written there and logged, and every instance's replica applies it with `FaultEngine.replace`.
 * Hit counts (and so `times`) stay per instance: counting each hit in the database would put a
 * write on every SMTP command a rule checks.
 */
import type pg from 'pg';
import type { FaultRule } from '../contract.js';
import type { EventBus } from '../core/events.js';
import { sameRules } from '../core/fault-rules.js';
import type { FaultEngine } from '../core/faults.js';
import type { Replica } from './postgres-replica.js';
import { SCHEMA } from './postgres-schema.js';
import type { Writer } from './postgres-writer.js';

/** What {@link shareFaults} works with. */
export interface FaultSharing {
  pool: pg.Pool;
  replica: Replica;
  writer: Writer;
  events: EventBus;
  faults: FaultEngine;
  warn(message: string): void;
}

/**
 * Loads the shared list into `faults` (or stores the engine's own rules when the database holds
 * none), then keeps both in step. Returns the function that stops sharing.
 * @throws StoreUnavailableError-like `pg` errors when the first read or write fails.
 */
export async function shareFaults({ pool, replica, writer, events, faults, warn }: FaultSharing): Promise<() => void> {
  let applying = false;
  // A read that overlaps a change of this instance's own (still being written, or made while the
  // read ran) may return the list from before it: not applied, or the engine would flip back to
  // the old list for a moment. Once the own writes have landed, one more read picks up the rest.
  let writing = 0;
  let version = 0;
  const pull = async () => {
    const started = version;
    const { rows } = await pool.query<{ rules: FaultRule[] }>(`SELECT rules FROM ${SCHEMA}.faults`);
    const rules = rows[0]?.rules ?? [];
    if (writing > 0 || started !== version || sameRules(rules, faults.list())) return;
    applying = true;
    try {
      faults.replace(rules);
    } finally {
      applying = false;
    }
  };
  const { rows } = await pool.query<{ rules: FaultRule[] }>(`SELECT rules FROM ${SCHEMA}.faults`);
  if ((rows[0]?.rules ?? []).length > 0) await pull();
  else if (faults.list().length > 0) await writer.write({ kind: 'faults', rules: faults.list() });
  replica.onFaults = pull;
  return events.subscribe((event) => {
    if (event.type !== 'faults.changed' || applying) return;
    version += 1;
    writing += 1;
    writer
      .write({ kind: 'faults', rules: event.rules })
      .catch((error: Error) => warn(`fault rules not shared: ${error.message}`))
      .finally(() => {
        writing -= 1;
        if (writing === 0) pull().catch((error: Error) => warn(`fault rules not read back: ${error.message}`));
      });
  });
}
