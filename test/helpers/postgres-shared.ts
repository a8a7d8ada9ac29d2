/**
 * The `MAILSINK_TEST_POSTGRES_URL` side of `postgres.ts`: a uniquely named database per test file on
 * a server someone else runs (which the tests must not stop), and the statements both sides share.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestPostgres } from './postgres.js';

/** Escapes a PostgreSQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs one statement on `url` with a short-lived client. */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database on the server `MAILSINK_TEST_POSTGRES_URL` names. */
export async function sharedServer(serverUrl: string): Promise<TestPostgres> {
  const suffix = randomBytes(5).toString('hex');
  const created: string[] = [];
  const url = (db: string) => {
    const u = new URL(serverUrl);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const createDatabase = async (name: string) => {
    const db = `${name}_${suffix}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${ident(db)}`);
    created.push(db);
    return url(db);
  };
  await createDatabase('mailsink_test');
  const database = created[0]!;
  const unavailable = (what: string) => () =>
    Promise.reject(new Error(`MAILSINK_TEST_POSTGRES_URL is set: this test needs to ${what} the PostgreSQL server, which a shared server does not allow; unset it to run the test on the embedded server`));
  let closing: Promise<void> | null = null;
  return {
    embedded: false,
    database,
    dataDir: null,
    url: (db = database) => url(db),
    createDatabase,
    stop: unavailable('stop'),
    start: unavailable('start'),
    close: () => (closing ??= (async () => {
      for (const db of created) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${ident(db)} WITH (FORCE)`);
    })()),
  };
}

