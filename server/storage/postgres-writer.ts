/**
 * The write side of the PostgreSQL engine: every write of this instance is queued, and the queue
 * runs as one transaction at a time holding the cluster-wide write lock (group commit: the adds
 * waiting together become one multi-row `INSERT`). Each transaction logs its changes, keeps the
 * totals, evicts the oldest messages of the whole cluster for the limits, and `NOTIFY`s the new
 * `cseq` on commit. A write resolves once committed and applied to this instance's replica.
 */
import type pg from 'pg';
import type { MessageFacts } from '../core/facts.js';
import type { NewMessage, StoreLimits } from '../core/store.js';
import { StoreUnavailableError } from '../core/store.js';
import { runAdds, runOne } from './postgres-ops.js';
import type { Batch, Totals } from './postgres-ops.js';
import { CHANNEL, SCHEMA, WRITE_LOCK } from './postgres-schema.js';

/** One queued write. `result` is what its transaction found (see `postgres-ops.ts`). */
export type WriteOp =
  | { kind: 'add'; id: string; receivedAt: string; input: NewMessage }
  | { kind: 'complete'; id: string; facts: MessageFacts }
  | { kind: 'read'; id: string; read: boolean }
  | { kind: 'tags'; id: string; tags: string[] }
  | { kind: 'delete'; ids: readonly string[]; reason: 'api' | 'evicted' }
  | { kind: 'clear' }
  | { kind: 'faults'; rules: unknown };

interface Queued {
  op: WriteOp;
  resolve(result: number): void;
  reject(error: Error): void;
}

/** Most writes in one transaction. */
const MAX_BATCH = 256;
/** Most raw bytes of adds in one transaction. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Change-log rows kept; a replica further behind reloads in full. Pruned every {@link PRUNE_EVERY} changes. */
const KEEP_CHANGES = 100_000;
const PRUNE_EVERY = 1000;

/** Queues writes and runs them in group-committed transactions; see the module comment. */
export class Writer {
  readonly #pool: pg.Pool;
  readonly #limits: StoreLimits;
  readonly #applied: (cseq: number) => Promise<void>;
  #queue: Queued[] = [];
  #running = false;

  /** @param applied - Resolves once the local replica has applied change `cseq`. */
  constructor(pool: pg.Pool, limits: StoreLimits, applied: (cseq: number) => Promise<void>) {
    this.#pool = pool;
    this.#limits = limits;
    this.#applied = applied;
  }

  /**
   * Queues a write. Resolves to its result (add: the `seq`; read/tags: 1 when the message exists;
   * delete: how many went) once committed and applied locally.
   * @throws StoreUnavailableError (rejects) when the transaction fails; nothing of it was stored.
   */
  write(op: WriteOp): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      if (!this.#running) void this.#run();
    });
  }

  /** Resolves once every queued write has settled. */
  async drain(): Promise<void> {
    while (this.#running || this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  async #run(): Promise<void> {
    this.#running = true;
    while (this.#queue.length > 0) {
      const batch = this.#take();
      try {
        const { results, cseq } = await this.#transaction(batch.map((queued) => queued.op));
        void this.#applied(cseq).then(
          () => batch.forEach((queued, i) => queued.resolve(results[i]!)),
          (error: Error) => batch.forEach((queued) => queued.reject(error)),
        );
      } catch (error) {
        const failure = new StoreUnavailableError(`postgres write failed: ${(error as Error).message}`, { cause: error });
        for (const queued of batch) queued.reject(failure);
      }
    }
    this.#running = false;
  }

  #take(): Queued[] {
    let bytes = 0;
    let count = 0;
    while (count < this.#queue.length && count < MAX_BATCH) {
      const op = this.#queue[count]!.op;
      if (op.kind === 'add') bytes += op.input.raw.length;
      if (count > 0 && bytes > MAX_BATCH_BYTES) break;
      count += 1;
    }
    return this.#queue.splice(0, count);
  }

  async #transaction(ops: WriteOp[]): Promise<{ results: number[]; cseq: number }> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      const totals = await readTotals(client);
      const batch: Batch = { client, totals, limits: this.#limits, changes: [] };
      const results: number[] = [];
      for (let i = 0; i < ops.length; ) {
        const op = ops[i]!;
        if (op.kind === 'add' || op.kind === 'complete') {
          let end = i + 1;
          while (end < ops.length && ops[end]!.kind === op.kind) end += 1;
          results.push(...(await runAdds(batch, ops.slice(i, end) as Extract<WriteOp, { kind: 'add' | 'complete' }>[])));
          i = end;
        } else {
          results.push(await runOne(batch, op));
          i += 1;
        }
      }
      const before = totals.lastCseq - batch.changes.length;
      await finish(batch, before);
      await client.query('COMMIT');
      client.release();
      return { results, cseq: totals.lastCseq };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(error as Error);
      throw error;
    }
  }
}

async function readTotals(client: pg.PoolClient): Promise<Totals> {
  const { rows } = await client.query<Record<keyof Totals | 'last_seq' | 'last_cseq', string>>(
    `SELECT count, bytes, last_seq, last_cseq FROM ${SCHEMA}.totals`,
  );
  const row = rows[0]!;
  return { count: Number(row.count), bytes: Number(row.bytes), lastSeq: Number(row.last_seq), lastCseq: Number(row.last_cseq) };
}

/** Logs the batch's changes, updates the totals, prunes the log now and then, and notifies (delivered on commit). */
async function finish({ client, totals, changes }: Batch, before: number): Promise<void> {
  if (changes.length === 0) return;
  const values: unknown[] = [];
  const tuples = changes.map((change, i) => {
    values.push(before + i + 1, change.kind, change.ids, change.data === undefined ? null : JSON.stringify(change.data));
    const n = i * 4;
    return `($${n + 1}::bigint, $${n + 2}, $${n + 3}::text[], $${n + 4}::json)`;
  });
  await client.query(`INSERT INTO ${SCHEMA}.changes (cseq, kind, ids, data) VALUES ${tuples.join(', ')}`, values);
  await client.query(`UPDATE ${SCHEMA}.totals SET count = $1, bytes = $2, last_seq = $3, last_cseq = $4`, [
    totals.count,
    totals.bytes,
    totals.lastSeq,
    totals.lastCseq,
  ]);
  if (Math.floor(before / PRUNE_EVERY) !== Math.floor(totals.lastCseq / PRUNE_EVERY)) {
    await client.query(`DELETE FROM ${SCHEMA}.changes WHERE cseq <= $1`, [totals.lastCseq - KEEP_CHANGES]);
  }
  await client.query('SELECT pg_notify($1, $2)', [CHANNEL, String(totals.lastCseq)]);
}
