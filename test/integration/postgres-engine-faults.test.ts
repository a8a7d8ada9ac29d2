/**
 * The PostgreSQL engine when the database misbehaves: a write while the server is down rejects
 * with StoreUnavailableError and stores nothing, and once the server is back writes succeed and
 * reach the other instance without reopening; a bad URL, password, newer or foreign schema at
 * open give one StorageOpenError line naming --storage, and nothing is written.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, SinkEvent } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { factsOf } from '../../server/core/facts.js';
import type { Store } from '../../server/core/store.js';
import { StoreUnavailableError } from '../../server/core/store.js';
import { StorageOpenError } from '../../server/storage/index.js';
import { openPostgresStore } from '../../server/storage/postgres.js';
import { SCHEMA_VERSION } from '../../server/storage/postgres-schema.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

const envelope: Envelope = { mailFrom: 'a@example.com', rcptTo: ['b@example.org'], mailParams: {}, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };
const limits = { maxMessages: 100, maxStoreBytes: 1 << 20 };

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** The StorageOpenError an open rejects with (fails the test when it opens). */
async function openError(url: string): Promise<StorageOpenError> {
  const error: unknown = await openPostgresStore(url, { limits, events: new EventBus() }).then(
    async (store) => {
      await store.close();
      return new Error('opened');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StorageOpenError);
  return error as StorageOpenError;
}

describe('PostgreSQL store engine, failures', () => {
  let server: TestPostgres;
  const opened: Store[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    for (const store of opened) await store.close();
    await server?.close();
  });

  it('a newer schema version, a foreign schema, a wrong password or database: one line naming --storage, nothing written', async () => {
    const url = await server.createDatabase('open_errors');
    const store = await openPostgresStore(url, { limits, events: new EventBus() });
    await store.add({ envelope, raw: Buffer.from('kept') });
    await store.close();
    await sql(url, "UPDATE mailsink.meta SET value = '99' WHERE key = 'schema_version'");
    const newer = await openError(url);
    expect(newer.message).toBe(`--storage: ${url.replace(/:[^:@/]*@/, ':***@')} holds mailsink schema version 99, newer than this mailsink's (${SCHEMA_VERSION}); upgrade mailsink`);
    expect(await sql(url, 'SELECT (SELECT value FROM mailsink.meta) AS version, (SELECT count(*)::int FROM mailsink.messages) AS messages, (SELECT last_cseq::int FROM mailsink.totals) AS cseq')).toEqual([
      { version: '99', messages: 1, cseq: 1 },
    ]);

    const foreign = await server.createDatabase('foreign_schema');
    await sql(foreign, 'CREATE SCHEMA mailsink; CREATE TABLE mailsink.other (x int)');
    expect((await openError(foreign)).message).toMatch(/^--storage: postgres:\/\/postgres:\*\*\*@.* has a schema "mailsink" that is not mailsink's \(no meta table\); not touched$/);
    expect(await sql(foreign, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'mailsink'")).toEqual([{ n: 1 }]);

    const password = decodeURIComponent(new URL(url).password);
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const denied = await openError(wrong.toString());
    expect(denied.message).toMatch(/^--storage: cannot open postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/open_errors: password authentication failed for user "postgres"$/);
    expect(denied.message).not.toContain('not-the-password');
    expect(denied.message).not.toContain(password);
    const missing = new URL(url);
    missing.pathname = '/no_such_db';
    expect((await openError(missing.toString())).message).toMatch(/^--storage: cannot open .*: database "no_such_db" does not exist$/);
  });

  it('migrates a version 1 database to version 2 (add_batch) and 3 (deliveries), keeping its messages', async () => {
    const url = await server.createDatabase('from_v1');
    const first = await openPostgresStore(url, { limits, events: new EventBus() });
    const kept = await first.add({ envelope, raw: Buffer.from('from v1') });
    await first.close();
    // Version 1 is exactly version 3 without the function and the deliveries table.
    await sql(url, "DROP FUNCTION mailsink.add_batch; DROP TABLE mailsink.deliveries; UPDATE mailsink.meta SET value = '1' WHERE key = 'schema_version'");
    const info: string[] = [];
    const store = await openPostgresStore(url, { limits, events: new EventBus(), log: { info: (m) => info.push(m), warn: () => undefined } });
    opened.push(store);
    expect(info).toEqual(['postgres schema migrated to version 2', 'postgres schema migrated to version 3']);
    expect(store.get(kept.id)?.raw.toString()).toBe('from v1');
    expect((await store.add({ envelope, raw: Buffer.from('on v2') })).seq).toBe(2);
    expect(await sql(url, "SELECT value, (SELECT count(*)::int FROM pg_proc WHERE proname = 'add_batch') AS fn FROM mailsink.meta")).toEqual([{ value: '3', fn: 1 }]);
    expect(await sql(url, 'SELECT count(*)::int AS n FROM mailsink.deliveries')).toEqual([{ n: 0 }]);
  });

  it('a write whose connection is killed mid-transaction rejects with StoreUnavailableError without crashing the process', async () => {
    const url = await server.createDatabase('killed');
    const store = await openPostgresStore(url, { limits, events: new EventBus() });
    opened.push(store);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [0x6d61696c]); // the engine's write lock
    const blocked = Promise.resolve(store.add({ envelope, raw: Buffer.from('blocked') })).then(() => 'stored', (error: unknown) => error);
    const waiting = async () =>
      (await holder.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'mailsink' AND wait_event_type = 'Lock'")).rows;
    await expect.poll(async () => (await waiting()).length).toBe(1);
    await holder.query('SELECT pg_terminate_backend($1)', [(await waiting())[0]!.pid]);
    expect(await blocked).toBeInstanceOf(StoreUnavailableError);
    await holder.query('SELECT pg_advisory_unlock($1)', [0x6d61696c]);
    await holder.end();
    expect((await store.add({ envelope, raw: Buffer.from('next') })).seq).toBe(1);
    expect(store.newestFirst().map((m) => m.raw.toString())).toEqual(['next']);
  });

  it('a write while the database is down rejects with StoreUnavailableError, stores nothing, and works again once it is back', async () => {
    if (!server.embedded) return expect(server.embedded).toBe(false); // a shared server cannot be stopped
    const url = await server.createDatabase('outage');
    const events = new EventBus();
    const a = await openPostgresStore(url, { limits, events });
    const bEvents = new EventBus();
    const b = await openPostgresStore(url, { limits, events: bEvents });
    opened.push(a, b);
    const before = await a.add({ envelope, raw: Buffer.from('before') });
    await server.stop();
    const failed = await Promise.allSettled([a.add({ envelope, raw: Buffer.from('during') }), a.setRead(before.id, true), a.delete([before.id])]);
    for (const result of failed) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    expect([a.size, a.get(before.id)?.read]).toEqual([1, false]);
    await server.start();
    // B hears of it through its reconnected LISTEN connection: message.received, then message.updated
    // (or one message.received already read, when B catches up after both changes)
    const heard = new Promise<SinkEvent>((resolve) =>
      bEvents.subscribe((event) => 'message' in event && event.message.read && resolve(event)),
    );
    const after = await a.add({ envelope, raw: Buffer.from('after'), facts: factsOf({ parsed: null, parseError: null }) });
    expect(after.seq).toBe(2);
    await a.setRead(after.id, true);
    expect(await heard).toMatchObject({ message: { id: after.id, read: true, sizeBytes: 5 } });
    expect(b.newestFirst().map((m) => m.raw.toString())).toEqual(['after', 'before']);
    expect(await sql(url, 'SELECT convert_from(raw, \'UTF8\') AS raw FROM mailsink.messages ORDER BY seq')).toEqual([{ raw: 'before' }, { raw: 'after' }]);
  });
});
