/**
 * The write side of the PostgreSQL engine: every write of this instance is queued, and the queue
 * runs as one transaction at a time holding the cluster-wide write lock (group commit: the adds
 * waiting together become one multi-row `INSERT`). Each transaction logs its changes, keeps the
 * totals, evicts the oldest messages of the whole cluster for the limits, and `NOTIFY`s the new
 * `cseq` on commit. A write resolves once committed and applied to this instance's replica.
 */
import type pg from 'pg';
import type { MessageFacts } from '../core/facts.js';
import { newMessage } from '../core/store.js';
import type { NewMessage, StoredMessage, StoreLimits } from '../core/store.js';
import { StoreUnavailableError } from '../core/store.js';
import { Params, runAdds, runOne, takeDeferred } from './postgres-ops.js';
import type { Batch, Totals } from './postgres-ops.js';
import { checkout } from './postgres-pool.js';
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

/** What the writer needs of the local replica. */
export interface ReplicaHooks {
  /** Resolves once change `cseq` (and all before it) is applied locally. */
  waitFor(cseq: number): Promise<void>;
  /** Messages about to be committed by this instance: applied as they are, not read back. */
  expect(messages: readonly StoredMessage[]): void;
  /**
   * Applies this instance's own committed add batch at once when the replica stands right before it
   * (change `before`); `false` when it does not (a catch-up reads the changes then).
   */
  applyOwn(own: { before: number; evicted: string[]; added: StoredMessage[]; lastSeq: number }): boolean;
  /** Forgets {@link expect}ed messages whose transaction failed. */
  forget(messages: readonly StoredMessage[]): void;
}

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
  readonly #replica: ReplicaHooks;
  #queue: Queued[] = [];
  /** The running queue loop, while there is one. */
  #running: Promise<void> | undefined;

  constructor(pool: pg.Pool, limits: StoreLimits, replica: ReplicaHooks) {
    this.#pool = pool;
    this.#limits = limits;
    this.#replica = replica;
  }

  /**
   * Queues a write. Resolves to its result (add: the `seq`; read/tags: 1 when the message exists;
   * delete: how many went) once committed and applied locally.
   * @throws StoreUnavailableError (rejects) when the transaction fails; nothing of it was stored.
   */
  write(op: WriteOp): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      this.#kick();
    });
  }

  /** Starts the queue loop unless it runs (a write queued as it was ending starts the next one). */
  #kick(): void {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
      if (this.#queue.length > 0) this.#kick();
    });
  }

  /** Resolves once every queued write has settled. */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#take();
      try {
        const { results, cseq } = await this.#transaction(batch.map((queued) => queued.op));
        void this.#replica.waitFor(cseq).then(
          () => batch.forEach((queued, i) => queued.resolve(results[i]!)),
          (error: Error) => batch.forEach((queued) => queued.reject(error)),
        );
      } catch (error) {
        const failure = new StoreUnavailableError(`postgres write failed: ${(error as Error).message}`, { cause: error });
        for (const queued of batch) queued.reject(failure);
      }
    }
  }

  /** A batch of adds only: one statement, `mailsink.add_batch`, is the whole transaction. */
  async #addBatch(ops: Extract<WriteOp, { kind: 'add' }>[]): Promise<{ results: number[]; cseq: number }> {
    // seq is decided by the database; newMessage's own (0 here) is replaced below.
    const messages = ops.map((op) => newMessage(op.input, 0, op.id, op.receivedAt));
    const { client, done } = await checkout(this.#pool);
    try {
      const { rows } = await client.query<{ first_seq: string; kept_from: number; last_cseq: string; evicted: string[] }>(
        `SELECT first_seq, kept_from, last_cseq, evicted FROM ${SCHEMA}.add_batch($1::text[], $2::text[], $3::json[], $4::bytea[], $5::json[], $6::json[], $7, $8, $9)`,
        addBatchParams(messages, this.#limits),
      );
      done();
      const first = Number(rows[0]!.first_seq);
      const stored = messages.map((message, i) => ({ ...message, seq: first + i }));
      const { evicted } = rows[0]!;
      const cseq = Number(rows[0]!.last_cseq);
      const own = { before: cseq - (evicted.length > 0 ? 2 : 1), evicted, added: stored.slice(rows[0]!.kept_from - 1), lastSeq: first + stored.length - 1 };
      if (!this.#replica.applyOwn(own)) this.#replica.expect(own.added);
      return { results: stored.map((message) => message.seq), cseq };
    } catch (error) {
      done(error);
      throw error;
    }
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
    if (ops.every((op) => op.kind === 'add')) return this.#addBatch(ops as Extract<WriteOp, { kind: 'add' }>[]);
    const { client, done } = await checkout(this.#pool);
    let added: StoredMessage[] = [];
    try {
      const totals = await begin(client);
      const batch: Batch = { client, totals, limits: this.#limits, changes: [], added: [], deferred: { evicted: [], inserts: [] } };
      added = batch.added;
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
      this.#replica.expect(added);
      await client.query('COMMIT');
      done();
      return { results, cseq: totals.lastCseq };
    } catch (error) {
      this.#replica.forget(added);
      await client.query('ROLLBACK').catch(() => undefined);
      done(error);
      throw error;
    }
  }
}

/** Most a limit can be as a `bigint` parameter (the limits may be `Infinity`). */
const clamp = (limit: number) => Math.min(limit, Number.MAX_SAFE_INTEGER);

/** The messages of a group of adds, as `mailsink.add_batch` takes them (see `postgres-add-batch.ts`). */
function addBatchParams(messages: readonly StoredMessage[], limits: StoreLimits): unknown[] {
  return [
    messages.map((m) => m.id),
    messages.map((m) => m.receivedAt),
    messages.map((m) => JSON.stringify(m.envelope)),
    messages.map((m) => m.raw),
    messages.map((m) => (m.facts ? JSON.stringify(m.facts) : null)),
    messages.map((m) => JSON.stringify(m.tags)),
    clamp(limits.maxMessages),
    clamp(limits.maxStoreBytes),
    CHANNEL,
  ];
}

/** Starts the transaction, takes the write lock and reads the totals: one round trip (a simple-protocol multi-statement query). */
async function begin(client: pg.PoolClient): Promise<Totals> {
  const results = (await client.query(
    `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK}); SELECT count, bytes, last_seq, last_cseq FROM ${SCHEMA}.totals`,
  )) as unknown as pg.QueryResult<Record<'count' | 'bytes' | 'last_seq' | 'last_cseq', string>>[];
  const row = results[2]!.rows[0]!;
  return { count: Number(row.count), bytes: Number(row.bytes), lastSeq: Number(row.last_seq), lastCseq: Number(row.last_cseq) };
}

/**
 * Sends the deferred writes, the change-log rows, the new totals, a prune of the log now and then
 * and the `NOTIFY` (delivered on commit) as one statement.
 */
async function finish(batch: Batch, before: number): Promise<void> {
  const { client, totals, changes } = batch;
  const p = new Params();
  const parts = takeDeferred(batch, p);
  if (changes.length === 0) {
    if (parts.length > 0) await client.query(`WITH ${parts.join(', ')} SELECT 1`, p.values);
    return;
  }
  const tuples = changes.map(
    (change, i) =>
      `(${p.add(before + i + 1)}::bigint, ${p.add(change.kind)}, ${p.add(change.ids)}::text[], ${p.add(change.data === undefined ? null : JSON.stringify(change.data))}::json)`,
  );
  parts.push(`log AS (INSERT INTO ${SCHEMA}.changes (cseq, kind, ids, data) VALUES ${tuples.join(', ')})`);
  parts.push(
    `tot AS (UPDATE ${SCHEMA}.totals SET count = ${p.add(totals.count)}, bytes = ${p.add(totals.bytes)}, last_seq = ${p.add(totals.lastSeq)}, last_cseq = ${p.add(totals.lastCseq)})`,
  );
  if (Math.floor(before / PRUNE_EVERY) !== Math.floor(totals.lastCseq / PRUNE_EVERY)) {
    parts.push(`prune AS (DELETE FROM ${SCHEMA}.changes WHERE cseq <= ${p.add(totals.lastCseq - KEEP_CHANGES)})`);
  }
  await client.query(`WITH ${parts.join(', ')} SELECT pg_notify(${p.add(CHANNEL)}, ${p.add(String(totals.lastCseq))})`, p.values);
}
