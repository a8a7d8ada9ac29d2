/**
 * Schema migrations of the SQLite engine, from the previous version: a database built with
 * schema v1's own DDL (copied here as v1 shipped it, not imported, so that the test keeps
 * checking v1 whatever later code does), holding rows, opened by the current code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { SinkEvent } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { factsOf } from '../../server/core/parse.js';
import { openSqliteStore } from '../../server/storage/sqlite.js';

const V1 = `
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

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const envelope = (rcptTo: string[]) => ({ mailFrom: 'a@example.com', rcptTo, mailParams: {}, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null });
const RAW = Buffer.concat([Buffer.from('Subject: caf\xe9\r\nX-Tags: Billing, urgent\r\n\r\n', 'latin1'), Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a])]);

interface V1Row {
  seq: number;
  id: string;
  rcptTo: string[];
  raw: Buffer;
  read: boolean;
  xTags: string[] | null;
}
const ROWS: V1Row[] = [
  { seq: 2, id: 'AAAAAAAAAAAAAAA2', rcptTo: ['alice+signup@example.org'], raw: RAW, read: true, xTags: ['Billing', ' urgent'] },
  { seq: 5, id: 'AAAAAAAAAAAAAAA5', rcptTo: ['bob@example.org'], raw: Buffer.from('plain'), read: false, xTags: [] },
  { seq: 6, id: 'AAAAAAAAAAAAAAA6', rcptTo: ['carol+later@example.org'], raw: Buffer.from('pending'), read: false, xTags: null },
];

function buildV1(file: string): void {
  const db = new Database(file);
  db.pragma('application_id = 1297305163');
  db.pragma('journal_mode = WAL');
  db.exec(V1);
  const insert = db.prepare('INSERT INTO messages (seq, id, received_at, envelope, size_bytes, read, facts) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const body = db.prepare('INSERT INTO bodies (seq, raw) VALUES (?, ?)');
  for (const row of ROWS) {
    const facts = row.xTags === null ? null : JSON.stringify({ ...factsOf({ parsed: null, parseError: null }), subject: `s${row.seq}`, tags: row.xTags });
    insert.run(row.seq, row.id, '2026-12-01T10:00:00.000Z', JSON.stringify(envelope(row.rcptTo)), row.raw.length, row.read ? 1 : 0, facts);
    body.run(row.seq, row.raw);
  }
  db.prepare('UPDATE sink_state SET last_seq = 7').run();
  db.pragma('user_version = 1');
  db.close();
}

describe('sqlite engine: migration from schema v1', () => {
  it('opens a v1 database with rows, migrates it to v2 then v3 and finds everything intact', async () => {
    const file = path.join(dir, 'v1.db');
    buildV1(file);
    const logged: string[] = [];
    const events = new EventBus();
    const seen: SinkEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const store = await openSqliteStore(file, { limits: { maxMessages: 3, maxStoreBytes: 1_000_000 }, events, log: { info: (m) => logged.push(m), warn: (m) => logged.push(m) } });
    expect(logged).toEqual([`migrated ${file} to schema v2: message tags, pending and totals indexes`, `migrated ${file} to schema v3: relay deliveries`]);
    expect([store.size, store.totalBytes, store.unreadCount, store.lastSeq]).toEqual([3, RAW.length + 5 + 7, 2, 7]);
    expect(store.newestFirst().map((m) => [m.id, m.seq, m.read, m.tags, m.facts?.subject ?? null])).toEqual([
      ['AAAAAAAAAAAAAAA6', 6, false, ['later'], null],
      ['AAAAAAAAAAAAAAA5', 5, false, [], 's5'],
      ['AAAAAAAAAAAAAAA2', 2, true, ['Billing', 'signup', 'urgent'], 's2'],
    ]);
    for (const row of ROWS) expect(store.get(row.id)!.raw.equals(row.raw)).toBe(true);
    expect(store.get('AAAAAAAAAAAAAAA2')!.envelope).toEqual(envelope(['alice+signup@example.org']));
    expect(store.pending().map((m) => m.id)).toEqual(['AAAAAAAAAAAAAAA6']);
    const next = await store.add({ envelope: envelope(['dave@example.org']), raw: Buffer.from('new'), facts: factsOf({ parsed: null, parseError: null }) });
    expect(next.seq).toBe(8);
    expect(seen.map((e) => e.type)).toEqual(['message.deleted', 'message.received']);
    expect(seen[0]).toMatchObject({ ids: ['AAAAAAAAAAAAAAA2'], reason: 'evicted' });
    await store.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'messages_%' ORDER BY name").pluck().all()).toEqual(['messages_pending', 'messages_totals']);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'deliveries%' ORDER BY name").pluck().all()).toEqual(['deliveries', 'deliveries_active', 'deliveries_changed']);
    expect(db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(0);
    db.close();
    const logged2: string[] = [];
    const again = await openSqliteStore(file, { limits: { maxMessages: 3, maxStoreBytes: 1_000_000 }, events: new EventBus(), log: { info: (m) => logged2.push(m), warn: (m) => logged2.push(m) } });
    expect([logged2, again.lastSeq, again.size]).toEqual([[], 8, 3]);
    await again.close();
  });
});
