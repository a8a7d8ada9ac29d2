/** Row shapes of the PostgreSQL engine and their mapping to {@link StoredMessage}. */
import type pg from 'pg';
import type { Envelope } from '../contract.js';
import type { MessageFacts } from '../core/facts.js';
import type { StoredMessage } from '../core/store.js';
import { SCHEMA } from './postgres-schema.js';

/** A `messages` row as `pg` returns it (`bigint` as a string, `json` parsed, `bytea` as a Buffer). */
export interface MessageRow {
  seq: string;
  id: string;
  received_at: string;
  envelope: Envelope;
  raw: Buffer;
  size_bytes: number;
  facts: MessageFacts | null;
  read: boolean;
  tags: string[];
}

/** A `changes` row. */
export interface ChangeRow {
  cseq: string;
  kind: 'add' | 'complete' | 'read' | 'tags' | 'delete' | 'clear' | 'faults';
  ids: string[];
  data: unknown;
}

/** The columns of a {@link MessageRow}, for `SELECT`. */
export const MESSAGE_COLUMNS = 'seq, id, received_at, envelope, raw, size_bytes, facts, read, tags';

/** Change rows read at once while catching up. */
export const CHUNK = 500;

/**
 * The next {@link CHUNK} changes after `$1`, in order, each joined with the messages it adds or
 * completes (one row per message; adds of the ids in `$2`, which the instance holds already, left
 * out). Columns: those of {@link ChangeRow} and of {@link MessageRow} (`null` without a message).
 */
export const CATCH_UP = `WITH c AS (SELECT cseq, kind, ids, data FROM ${SCHEMA}.changes WHERE cseq > $1 ORDER BY cseq LIMIT ${CHUNK})
  SELECT c.cseq, c.kind, c.ids, c.data, ${MESSAGE_COLUMNS.split(', ').map((column) => `m.${column}`).join(', ')}
  FROM c LEFT JOIN ${SCHEMA}.messages m
    ON c.kind IN ('add', 'complete') AND m.id = ANY(c.ids) AND (c.kind = 'complete' OR NOT (m.id = ANY($2::text[])))
  ORDER BY c.cseq, m.seq`;

/** The {@link StoredMessage} of a row. */
export function toStored(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    seq: Number(row.seq),
    receivedAt: row.received_at,
    envelope: row.envelope,
    raw: row.raw,
    sizeBytes: row.size_bytes,
    facts: row.facts,
    read: row.read,
    tags: row.tags,
  };
}

/** Whether two tag lists are equal, element by element. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}

/** Message rows read at once during a full load. */
const LOAD_CHUNK = 2000;

/**
 * Every message with the last `seq` and `cseq`, from one consistent snapshot (a read-only
 * repeatable-read transaction), read in chunks of {@link LOAD_CHUNK} rows in `seq` order.
 */
export async function readSnapshot(client: pg.ClientBase): Promise<{ rows: MessageRow[]; lastSeq: number; lastCseq: number }> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const totals = await client.query<{ last_cseq: string; last_seq: string }>(`SELECT last_cseq, last_seq FROM ${SCHEMA}.totals`);
  const rows: MessageRow[] = [];
  for (let after = '0'; ; ) {
    const chunk = await client.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM ${SCHEMA}.messages WHERE seq > $1 ORDER BY seq LIMIT ${LOAD_CHUNK}`, [after]);
    rows.push(...chunk.rows);
    if (chunk.rows.length < LOAD_CHUNK) break;
    after = chunk.rows[chunk.rows.length - 1]!.seq;
  }
  await client.query('COMMIT');
  return { rows, lastSeq: Number(totals.rows[0]!.last_seq), lastCseq: Number(totals.rows[0]!.last_cseq) };
}
