/**
 * The SQLite engine's schema, as versioned migrations. `PRAGMA user_version` holds the version a
 * file is at; `PRAGMA application_id` marks the file as mailsink's ({@link APPLICATION_ID}). Each
 * step runs in the transaction that opens the store, so a file is at one version or the next,
 * never between. A step, once released, is never edited: a change is a new step.
 */
import type Database from 'better-sqlite3';
import type { Envelope } from '../contract.js';
import type { MessageFacts } from '../core/parse.js';
import { normaliseTags, plusTags } from '../core/tags.js';
import { DELIVERIES_DDL } from './sqlite-deliveries.js';

/** `PRAGMA application_id` of a mailsink database: the ASCII bytes `MSNK` (0x4D534E4B). */
export const APPLICATION_ID = 0x4d534e4b;

/** One schema step: `up` turns a database at `version - 1` into one at `version`. */
export interface Migration {
  version: number;
  /** One line for the log (`store: migrated … to v2: …`). */
  description: string;
  up(db: Database.Database): void;
}

/**
 * v1: messages (metadata, facts as JSON, `NULL` while the parse is pending), their raw bytes in a
 * table of their own (lists never page through bodies), and the highest `seq` ever given, so that
 * `lastSeq` never goes back, also after deletions, a clear or a restart.
 */
export const V1_DDL = `
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    envelope TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    facts TEXT
  );
  CREATE TABLE bodies (seq INTEGER PRIMARY KEY, raw BLOB NOT NULL);
  CREATE TABLE sink_state (only INTEGER PRIMARY KEY CHECK (only = 1), last_seq INTEGER NOT NULL);
  INSERT INTO sink_state (only, last_seq) VALUES (1, 0);
`;

/**
 * v2: tags (a JSON array, see `tags.ts`), filled for existing messages with the tags they would have
 * got on arrival (recipients' sub-addresses, the `X-Tags` header); an index of pending messages, and
 * one that covers the counters read at open (count, bytes, unread) so that opening does not read
 * every row.
 */
function v2(db: Database.Database): void {
  db.exec(`ALTER TABLE messages ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'`);
  const rows = db.prepare('SELECT seq, envelope, facts FROM messages').all() as { seq: number; envelope: string; facts: string | null }[];
  const update = db.prepare('UPDATE messages SET tags = ? WHERE seq = ?');
  for (const row of rows) {
    const envelope = JSON.parse(row.envelope) as Envelope;
    const facts = row.facts === null ? null : (JSON.parse(row.facts) as MessageFacts);
    const tags = normaliseTags([...plusTags(envelope.rcptTo), ...(facts?.tags ?? [])]);
    if (tags.length > 0) update.run(JSON.stringify(tags), row.seq);
  }
  db.exec('CREATE INDEX messages_pending ON messages (seq) WHERE facts IS NULL');
  db.exec('CREATE INDEX messages_totals ON messages (read, size_bytes)');
}

/* v3: relay deliveries (`sqlite-deliveries.ts`): the outbound queue survives a restart. */

/** Every step, oldest first; `MIGRATIONS.at(-1).version` is {@link SCHEMA_VERSION}. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'messages, bodies and sink state', up: (db) => db.exec(V1_DDL) },
  { version: 2, description: 'message tags, pending and totals indexes', up: v2 },
  { version: 3, description: 'relay deliveries', up: (db) => db.exec(DELIVERIES_DDL) },
];

/** The schema version this mailsink writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/**
 * Brings a mailsink database (or an empty one) to {@link SCHEMA_VERSION}, in one transaction, and
 * stamps it with {@link APPLICATION_ID}. Returns the steps applied (empty when it was current).
 * The caller has checked that the file is mailsink's and not newer.
 */
export function migrate(db: Database.Database): Migration[] {
  const from = db.pragma('user_version', { simple: true }) as number;
  const steps = MIGRATIONS.filter((step) => step.version > from);
  db.transaction(() => {
    for (const step of steps) step.up(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
  return steps;
}
