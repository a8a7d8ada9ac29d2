/**
 * Schema of the PostgreSQL engine, in its own schema `mailsink`, with versioned migrations.
 *
 * - `messages`: one row a message; `seq` is the global arrival order (given under the write lock,
 *   so it rises in commit order). `envelope`, `facts` and `tags` are `json`, not `jsonb`: `json`
 *   keeps the text as written (key order, `\u0000` in header values), so a replica reads back what
 *   was stored.
 * - `changes`: the change log every instance's replica follows (`cseq` gap-free, in commit order).
 * - `totals`: one row with the cluster's count, bytes, last `seq` and last `cseq`, so that a write
 *   checks the limits without a scan.
 * - `faults`: the shared fault rules (one row).
 * - `deliveries` (v3): the relay's outbound queue (see `postgres-deliveries.ts`).
 * - `meta`: `schema_version`.
 */
import type pg from 'pg';
import { StorageOpenError } from './index.js';
import { ADD_BATCH } from './postgres-add-batch.js';

/** The schema (namespace) every table lives in. */
export const SCHEMA = 'mailsink';
/** `NOTIFY` channel: the payload is the new `cseq` (a decimal number, far below the 8000-byte cap). */
export const CHANNEL = 'mailsink_changes';
/** `pg_advisory_xact_lock` key of every write transaction: serialises writes cluster-wide, so `seq` and `cseq` follow commit order. */
export const WRITE_LOCK = 0x6d61696c; // "mail"
/** Advisory lock key held while migrating (two instances starting at once migrate one after the other). */
const MIGRATE_LOCK = 0x6d696772; // "migr"

/** The schema version this build writes. A database with a higher one is refused. */
export const SCHEMA_VERSION = 3;

/** Migration to v3: the relay's deliveries (`postgres-deliveries.ts`), with an index of active rows and one of change order. */
export const DELIVERIES_DDL = `
  CREATE TABLE ${SCHEMA}.deliveries (
    message_id text PRIMARY KEY,
    state text NOT NULL,
    next_attempt_at timestamptz,
    changed bigserial NOT NULL,
    delivery json NOT NULL,
    raw bytea NOT NULL,
    lease_owner text,
    lease_until timestamptz
  );
  CREATE INDEX deliveries_active ON ${SCHEMA}.deliveries (changed) WHERE state IN ('queued', 'retrying');
  CREATE INDEX deliveries_changed ON ${SCHEMA}.deliveries (changed);
`;

/** Migrations by target version: `MIGRATIONS[n - 1]` takes a database from version `n - 1` to `n`. */
const MIGRATIONS: readonly string[] = [
  `CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
   CREATE TABLE ${SCHEMA}.meta (key text PRIMARY KEY, value text NOT NULL);
   CREATE TABLE ${SCHEMA}.messages (
     seq bigint PRIMARY KEY,
     id text NOT NULL UNIQUE,
     received_at text NOT NULL,
     envelope json NOT NULL,
     raw bytea NOT NULL,
     size_bytes integer NOT NULL,
     facts json,
     read boolean NOT NULL DEFAULT false,
     tags json NOT NULL
   );
   CREATE TABLE ${SCHEMA}.changes (
     cseq bigint PRIMARY KEY,
     kind text NOT NULL CHECK (kind IN ('add', 'complete', 'read', 'tags', 'delete', 'clear', 'faults')),
     ids text[] NOT NULL,
     data json
   );
   CREATE TABLE ${SCHEMA}.totals (
     one boolean PRIMARY KEY DEFAULT true CHECK (one),
     count bigint NOT NULL, bytes bigint NOT NULL, last_seq bigint NOT NULL, last_cseq bigint NOT NULL
   );
   INSERT INTO ${SCHEMA}.totals VALUES (true, 0, 0, 0, 0);
   CREATE TABLE ${SCHEMA}.faults (one boolean PRIMARY KEY DEFAULT true CHECK (one), rules json NOT NULL);
   INSERT INTO ${SCHEMA}.faults VALUES (true, '[]');
   INSERT INTO ${SCHEMA}.meta VALUES ('schema_version', '0');`,
  ADD_BATCH,
  DELIVERIES_DDL,
];

/**
 * The version of the mailsink schema in this database: 0 when there is none yet.
 * @throws StorageOpenError when schema `mailsink` exists but is not mailsink's (no `meta` table or no version).
 */
async function schemaVersion(client: pg.ClientBase, label: string): Promise<number> {
  const { rows } = await client.query<{ ns: string | null; meta: string | null }>(
    `SELECT to_regnamespace($1)::text AS ns, to_regclass($2)::text AS meta`,
    [SCHEMA, `${SCHEMA}.meta`],
  );
  if (rows[0]?.ns == null) return 0;
  if (rows[0].meta == null) throw new StorageOpenError(`--storage: ${label} has a schema "${SCHEMA}" that is not mailsink's (no meta table); not touched`);
  const version = await client.query<{ value: string }>(`SELECT value FROM ${SCHEMA}.meta WHERE key = 'schema_version'`);
  const value = Number(version.rows[0]?.value);
  if (!Number.isInteger(value)) throw new StorageOpenError(`--storage: ${label} has a schema "${SCHEMA}" without a schema version; not touched`);
  return value;
}

/**
 * Brings the database to {@link SCHEMA_VERSION} in one transaction (a fresh database gets every
 * table). Checks the version before writing anything.
 *
 * @param label - The redacted URL, for messages.
 * @returns The version found before migrating (0 for a fresh database).
 * @throws StorageOpenError naming `--storage` for a newer schema or a foreign `mailsink` schema; nothing is written then.
 */
export async function migrate(client: pg.ClientBase, label: string, log?: (message: string) => void): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
    const found = await schemaVersion(client, label);
    if (found > SCHEMA_VERSION) {
      throw new StorageOpenError(`--storage: ${label} holds mailsink schema version ${found}, newer than this mailsink's (${SCHEMA_VERSION}); upgrade mailsink`);
    }
    for (let version = found + 1; version <= SCHEMA_VERSION; version += 1) {
      await client.query(MIGRATIONS[version - 1]!);
      await client.query(`UPDATE ${SCHEMA}.meta SET value = $1 WHERE key = 'schema_version'`, [String(version)]);
      log?.(`postgres schema migrated to version ${version}`);
    }
    await client.query('COMMIT');
    return found;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
