/**
 * What only the SQLite engine has: refusing a file that is not its own (without writing a byte),
 * the exclusive lock, creating a missing file, and the migration from schema v1.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../server/core/events.js';
import { factsOf } from '../../server/core/parse.js';
import type { Store } from '../../server/core/store.js';
import { StorageOpenError, openStore, parseStorageSpec } from '../../server/storage/index.js';
import { openSqliteStore } from '../../server/storage/sqlite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = (name = 'mail.db') => path.join(dir, `${++counter}-${name}`);
const limits = { maxMessages: 100, maxStoreBytes: 1_000_000 };
const open = (file: string, log?: { info(m: string): void; warn(m: string): void }) => openSqliteStore(file, { limits, events: new EventBus(), log });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const siblings = (file: string) => readdirSync(path.dirname(file)).filter((name) => name.startsWith(path.basename(file)));
const envelope = { mailFrom: 'a@example.com', rcptTo: ['b@example.org'], mailParams: {}, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };

/** Expects opening `file` to fail with exactly `message`, leaving the file and its directory as they were. */
async function expectRefused(file: string, message: string): Promise<void> {
  const before = sha256(file);
  const names = siblings(file);
  const err = await open(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageOpenError);
  expect((err as Error).message).toBe(message);
  expect(sha256(file)).toBe(before);
  expect(siblings(file)).toEqual(names);
}

function sqliteFile(setup: (db: Database.Database) => void): string {
  const file = fresh();
  const db = new Database(file);
  setup(db);
  db.close();
  return file;
}

describe('sqlite engine: refuses what is not its own, touching nothing', () => {
  it('a file that is not SQLite', async () => {
    const file = fresh('notes.txt');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(10));
    await expectRefused(file, `--storage: ${file} is not an SQLite database`);
  });

  it('a file shorter than the SQLite header', async () => {
    const file = fresh();
    writeFileSync(file, 'SQLite format 3\0');
    await expectRefused(file, `--storage: ${file} is not an SQLite database`);
  });

  it("another application's SQLite database (tables, no application_id)", async () => {
    const file = sqliteFile((db) => db.exec("CREATE TABLE invoices (n INTEGER); INSERT INTO invoices VALUES (1)"));
    await expectRefused(file, `--storage: ${file} is an SQLite database that is not mailsink's (it has content but no mailsink application_id); choose another file`);
  });

  it("a database with another application's application_id", async () => {
    const file = sqliteFile((db) => db.pragma('application_id = 1234'));
    await expectRefused(file, `--storage: ${file} is an SQLite database that is not mailsink's (its application_id is 0x4d2); choose another file`);
  });

  it("another application's database in WAL mode", async () => {
    const file = sqliteFile((db) => {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (n INTEGER)');
    });
    await expectRefused(file, `--storage: ${file} is an SQLite database that is not mailsink's (it has content but no mailsink application_id); choose another file`);
  });

  it('a mailsink database with a newer schema', async () => {
    const file = fresh();
    await (await open(file)).close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    await expectRefused(file, `--storage: ${file} has schema version 99, newer than this mailsink's (3); use a newer mailsink`);
  });

  it('a file in a directory that does not exist, and a directory', async () => {
    const missing = path.join(dir, 'no-such-dir', 'mail.db');
    await expect(open(missing)).rejects.toThrow(new StorageOpenError(`--storage: cannot create ${missing}: directory ${path.dirname(missing)} does not exist`));
    expect(existsSync(path.dirname(missing))).toBe(false);
    await expect(open(dir)).rejects.toThrow(new StorageOpenError(`--storage: ${dir} is not a file`));
  });

  it('a file in use by another store', async () => {
    const file = fresh();
    const first = await open(file);
    await first.add({ envelope, raw: Buffer.from('kept'), facts: factsOf({ parsed: null, parseError: null }) });
    await expect(open(file)).rejects.toThrow(new StorageOpenError(`--storage: ${file} is in use by another process`));
    expect(first.size).toBe(1);
    await first.close();
    const second = await open(file);
    expect(second.size).toBe(1);
    await second.close();
  });
});

describe('sqlite engine: creates what is missing', () => {
  it('a missing file, an empty file and an empty SQLite database become mailsink stores', async () => {
    const empty = fresh();
    writeFileSync(empty, '');
    const bare = sqliteFile(() => undefined);
    for (const file of [fresh(), empty, bare]) {
      const store = await open(file);
      expect([store.engine, store.size, store.lastSeq]).toEqual(['sqlite', 0, 0]);
      await store.close();
      const db = new Database(file, { readonly: true });
      expect([db.pragma('application_id', { simple: true }), db.pragma('user_version', { simple: true }), db.pragma('journal_mode', { simple: true })]).toEqual([0x4d534e4b, 3, 'wal']);
      db.close();
    }
  });

  it('openStore picks it from a --storage value', async () => {
    const file = fresh();
    const store: Store = await openStore(parseStorageSpec(`sqlite:${file}`), { limits, events: new EventBus() });
    expect(store.engine).toBe('sqlite');
    await store.close();
    await store.close();
    await expect(store.add({ envelope, raw: Buffer.from('x') })).rejects.toMatchObject({ name: 'StoreUnavailableError' });
  });

  it('a message read from the file reads its raw bytes when asked, and has none once deleted', async () => {
    const store = await open(fresh());
    const added = await store.add({ envelope, raw: Buffer.from('Subject: s\r\n\r\nbody\r\n') });
    const snapshot = store.get(added.id)!;
    expect(snapshot.raw.toString()).toBe('Subject: s\r\n\r\nbody\r\n');
    await store.delete([added.id]);
    expect([snapshot.sizeBytes, snapshot.raw.length]).toEqual([20, 0]);
    await store.close();
  });
});
