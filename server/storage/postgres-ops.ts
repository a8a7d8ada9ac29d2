/**
 * The statements of each write, run inside the writer's transaction (which holds the write lock,
 * so the totals read at its start stay true while it runs). Each pushes its change-log rows.
 */
import type pg from 'pg';
import type { MessageFacts } from '../core/facts.js';
import { newMessage } from '../core/store.js';
import type { StoredMessage, StoreLimits } from '../core/store.js';
import { normaliseTags } from '../core/tags.js';
import { sameTags } from './postgres-rows.js';
import { SCHEMA } from './postgres-schema.js';
import type { WriteOp } from './postgres-writer.js';

/** The cluster's totals, kept up to date by the transaction. */
export interface Totals {
  count: number;
  bytes: number;
  lastSeq: number;
  lastCseq: number;
}

/** A change-log row to insert. */
export interface Change {
  kind: 'add' | 'complete' | 'read' | 'tags' | 'delete' | 'clear' | 'faults';
  ids: string[];
  data?: unknown;
}

/** The state of one write transaction. */
export interface Batch {
  client: pg.PoolClient;
  totals: Totals;
  limits: StoreLimits;
  changes: Change[];
  /** Messages this transaction inserts (the local replica takes them as they are instead of reading them back). */
  added: StoredMessage[];
  /** Writes of the last add group not sent yet (see {@link takeDeferred}). */
  deferred: { evicted: string[]; inserts: StoredMessage[] };
}

const T = SCHEMA;

function log(batch: Batch, change: Change): void {
  batch.changes.push(change);
  batch.totals.lastCseq += 1;
}

/** Numbered parameters of one statement: `add(value)` gives its `$n`. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The deferred writes of an add group (eviction `DELETE`, multi-row `INSERT`) as `WITH` parts, so
 * that the common transaction sends them with its change-log rows in one statement; clears them.
 */
export function takeDeferred(batch: Batch, p: Params): string[] {
  const parts: string[] = [];
  const { evicted, inserts } = batch.deferred;
  if (evicted.length > 0) parts.push(`evict AS (DELETE FROM ${T}.messages WHERE id = ANY(${p.add(evicted)}::text[]))`);
  if (inserts.length > 0) {
    const tuples = inserts.map(
      (m) =>
        `(${p.add(m.seq)}::bigint, ${p.add(m.id)}, ${p.add(m.receivedAt)}, ${p.add(JSON.stringify(m.envelope))}::json, ${p.add(m.raw)}::bytea, ` +
        `${p.add(m.sizeBytes)}::integer, ${p.add(m.facts ? JSON.stringify(m.facts) : null)}::json, ${p.add(JSON.stringify(m.tags))}::json)`,
    );
    parts.push(`ins AS (INSERT INTO ${T}.messages (seq, id, received_at, envelope, raw, size_bytes, facts, tags) VALUES ${tuples.join(', ')})`);
  }
  batch.deferred = { evicted: [], inserts: [] };
  return parts;
}

/** Runs deferred writes now (before a statement that must see them). */
export async function flush(batch: Batch): Promise<void> {
  const p = new Params();
  const parts = takeDeferred(batch, p);
  if (parts.length > 0) await batch.client.query(`WITH ${parts.join(', ')} SELECT 1`, p.values);
}

/** Runs a group of consecutive adds (one multi-row `INSERT`, deferred to the end of the transaction) or completes; returns each op's result. */
export async function runAdds(batch: Batch, ops: Extract<WriteOp, { kind: 'add' | 'complete' }>[]): Promise<number[]> {
  await flush(batch);
  if (ops[0]!.kind === 'complete') return runCompletes(batch, ops as Extract<WriteOp, { kind: 'complete' }>[]);
  const adds = ops as Extract<WriteOp, { kind: 'add' }>[];
  const messages = adds.map((op) => newMessage(op.input, ++batch.totals.lastSeq, op.id, op.receivedAt));
  const keptFrom = await evictFor(batch, messages.map((message) => message.sizeBytes));
  const kept = messages.slice(keptFrom);
  batch.deferred.inserts = kept;
  batch.added.push(...kept);
  log(batch, { kind: 'add', ids: kept.map((message) => message.id), data: { lastSeq: batch.totals.lastSeq } });
  return messages.map((message) => message.seq);
}

/**
 * Evicts the oldest messages of the cluster so that, adding the incoming sizes one by one, both
 * limits hold after each (as the memory engine does; a message larger than `maxStoreBytes` is kept
 * alone). Returns how many of the incoming ones are themselves evicted by later ones of the batch.
 */
async function evictFor(batch: Batch, incoming: number[]): Promise<number> {
  const { totals, limits } = batch;
  const evicted: string[] = [];
  const oldest: { id: string; size_bytes: number; seq: string }[] = [];
  let after = '0';
  let existing = totals.count;
  let keptFrom = 0;
  for (const size of incoming) {
    while (totals.count > 0 && (totals.count >= limits.maxMessages || totals.bytes + size > limits.maxStoreBytes)) {
      if (existing > 0) {
        if (oldest.length === 0) {
          const { rows } = await batch.client.query<{ id: string; size_bytes: number; seq: string }>(
            `SELECT id, size_bytes, seq FROM ${T}.messages WHERE seq > $1 ORDER BY seq LIMIT $2`,
            [after, Math.max(64, incoming.length)],
          );
          oldest.push(...rows);
          after = rows[rows.length - 1]!.seq;
        }
        const row = oldest.shift()!;
        evicted.push(row.id);
        existing -= 1;
        totals.bytes -= row.size_bytes;
      } else {
        totals.bytes -= incoming[keptFrom]!;
        keptFrom += 1;
      }
      totals.count -= 1;
    }
    totals.count += 1;
    totals.bytes += size;
  }
  if (evicted.length > 0) {
    batch.deferred.evicted = evicted;
    log(batch, { kind: 'delete', ids: evicted, data: 'evicted' });
  }
  return keptFrom;
}

async function runCompletes(batch: Batch, ops: Extract<WriteOp, { kind: 'complete' }>[]): Promise<number[]> {
  const facts = new Map<string, MessageFacts>();
  for (const op of ops) if (!facts.has(op.id)) facts.set(op.id, op.facts);
  const { rows } = await batch.client.query<{ id: string; tags: string[] }>(
    `SELECT id, tags FROM ${T}.messages WHERE id = ANY($1::text[]) AND facts IS NULL ORDER BY seq`,
    [[...facts.keys()]],
  );
  if (rows.length > 0) {
    const values: unknown[] = [];
    const tuples = rows.map((row, i) => {
      const done = facts.get(row.id)!;
      values.push(row.id, JSON.stringify(done), JSON.stringify(normaliseTags([...row.tags, ...done.tags])));
      return `($${i * 3 + 1}, $${i * 3 + 2}::json, $${i * 3 + 3}::json)`;
    });
    await batch.client.query(
      `UPDATE ${T}.messages AS m SET facts = u.facts, tags = u.tags FROM (VALUES ${tuples.join(', ')}) AS u(id, facts, tags) WHERE m.id = u.id`,
      values,
    );
    log(batch, { kind: 'complete', ids: rows.map((row) => row.id) });
  }
  return ops.map(() => 0);
}

/** Runs one write that is not an add or complete; see {@link WriteOp} for the results. */
export async function runOne(batch: Batch, op: Exclude<WriteOp, { kind: 'add' | 'complete' }>): Promise<number> {
  await flush(batch);
  const { client, totals } = batch;
  switch (op.kind) {
    case 'read': {
      const { rows } = await client.query<{ read: boolean }>(`SELECT read FROM ${T}.messages WHERE id = $1`, [op.id]);
      if (rows.length === 0) return 0;
      if (rows[0]!.read !== op.read) {
        await client.query(`UPDATE ${T}.messages SET read = $2 WHERE id = $1`, [op.id, op.read]);
        log(batch, { kind: 'read', ids: [op.id], data: op.read });
      }
      return 1;
    }
    case 'tags': {
      const { rows } = await client.query<{ tags: string[] }>(`SELECT tags FROM ${T}.messages WHERE id = $1`, [op.id]);
      if (rows.length === 0) return 0;
      if (!sameTags(rows[0]!.tags, op.tags)) {
        await client.query(`UPDATE ${T}.messages SET tags = $2::json WHERE id = $1`, [op.id, JSON.stringify(op.tags)]);
        log(batch, { kind: 'tags', ids: [op.id], data: op.tags });
      }
      return 1;
    }
    case 'delete': {
      const { rows } = await client.query<{ id: string; size_bytes: number }>(
        `DELETE FROM ${T}.messages WHERE id = ANY($1::text[]) RETURNING id, size_bytes`,
        [op.ids],
      );
      if (rows.length === 0) return 0;
      const sizes = new Map(rows.map((row) => [row.id, row.size_bytes]));
      const gone = [...new Set(op.ids)].filter((id) => sizes.has(id));
      totals.count -= gone.length;
      totals.bytes -= gone.reduce((sum, id) => sum + sizes.get(id)!, 0);
      log(batch, { kind: 'delete', ids: gone, data: op.reason });
      return gone.length;
    }
    case 'clear':
      await client.query(`DELETE FROM ${T}.messages`);
      totals.count = 0;
      totals.bytes = 0;
      log(batch, { kind: 'clear', ids: [] });
      return 0;
    case 'faults':
      await client.query(`UPDATE ${T}.faults SET rules = $1::json`, [JSON.stringify(op.rules)]);
      log(batch, { kind: 'faults', ids: [] });
      return 0;
  }
}
