/**
 * Opening the SQLite file safely: what is checked before anything is written, the exclusive lock
 * that keeps a second mailsink off the file, and the pragmas the engine relies on.
 *
 * Checks, in order, each failing with a {@link StorageOpenError} that names `--storage`, and none
 * writing a byte: the parent directory exists (a missing file is then created); an existing file
 * starts with the SQLite header (read with `fs`, not SQLite); its `application_id` is mailsink's, or
 * it is an empty database; once opened with `locking_mode=EXCLUSIVE`, nobody else holds it; its
 * `user_version` is not newer than this mailsink's schema.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StorageOpenError } from './index.js';
import { APPLICATION_ID, SCHEMA_VERSION, migrate } from './sqlite-schema.js';
import type { Migration } from './sqlite-schema.js';

const SQLITE_MAGIC = 'SQLite format 3\0';
/** Largest WAL file kept on disk after a checkpoint, in bytes. */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** An opened, locked, current mailsink database. */
export interface OpenedDatabase {
  db: Database.Database;
  /** Absolute path of the database file (its WAL is this plus `-wal`). */
  file: string;
  /** Schema steps applied at this open. */
  migrated: Migration[];
}

/**
 * Opens (creating when missing) and locks the mailsink database at `target`, migrating it to the
 * current schema.
 * @throws StorageOpenError (one line naming `--storage`) for a missing directory, a file that is
 *   not SQLite or not mailsink's, a newer schema, or a file another process holds.
 */
export function openDatabase(target: string): OpenedDatabase {
  const file = path.resolve(target);
  checkFile(target, file);
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (err) {
    throw new StorageOpenError(`--storage: cannot open ${target}: ${errorText(err)}`);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    checkOwner(db, target);
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    // NORMAL: a commit writes the WAL without fsync; the engine fsyncs the WAL itself, off the event
    // loop, before it acknowledges (see sqlite.ts). Checkpoints still sync the database file.
    db.pragma('synchronous = NORMAL');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    const migrated = migrate(db);
    return { db, file, migrated };
  } catch (err) {
    db.close();
    if (err instanceof StorageOpenError) throw err;
    throw new StorageOpenError(`--storage: cannot open ${target}: ${errorText(err)}`);
  }
}

/** Checks with `fs` only. */
function checkFile(target: string, file: string): void {
  const stat = statOrNull(file);
  if (stat === null) {
    const dir = path.dirname(file);
    if (!statOrNull(dir)?.isDirectory()) throw new StorageOpenError(`--storage: cannot create ${target}: directory ${dir} does not exist`);
    return;
  }
  if (!stat.isFile()) throw new StorageOpenError(`--storage: ${target} is not a file`);
  if (stat.size === 0) return;
  const header = readHeader(file);
  if (header.length < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) throw new StorageOpenError(`--storage: ${target} is not an SQLite database`);
  const applicationId = header.readUInt32BE(68);
  if (applicationId !== APPLICATION_ID && applicationId !== 0) throw notOurs(target, `its application_id is 0x${applicationId.toString(16)}`);
  const schemaCookie = header.readUInt32BE(40);
  const wal = statOrNull(`${file}-wal`);
  if (applicationId === 0 && (schemaCookie !== 0 || (wal?.size ?? 0) > 0)) throw notOurs(target, 'it has content but no mailsink application_id');
}

/** Checks through SQLite (reads only): the lock, the owner, the version. */
function checkOwner(db: Database.Database, target: string): void {
  let applicationId: number;
  try {
    applicationId = db.pragma('application_id', { simple: true }) as number;
  } catch (err) {
    if (isBusy(err)) throw new StorageOpenError(`--storage: ${target} is in use by another process`);
    throw err;
  }
  const tables = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
  if (applicationId !== APPLICATION_ID && tables > 0) throw notOurs(target, 'it has tables but no mailsink application_id');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw new StorageOpenError(`--storage: ${target} has schema version ${version}, newer than this mailsink's (${SCHEMA_VERSION}); use a newer mailsink`);
}

function notOurs(target: string, why: string): StorageOpenError {
  return new StorageOpenError(`--storage: ${target} is an SQLite database that is not mailsink's (${why}); choose another file`);
}

function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(100);
    return header.subarray(0, readSync(fd, header, 0, 100, 0));
  } finally {
    closeSync(fd);
  }
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

function isBusy(err: unknown): boolean {
  return typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY');
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
