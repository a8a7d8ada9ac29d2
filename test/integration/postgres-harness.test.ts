/**
 * The test PostgreSQL harness (`test/helpers/postgres.ts`) itself, checked with Debian's `psql`:
 * its URL reaches a fresh database, `createDatabase` makes another, `stop()`/`start()` keep the data
 * on the same URL, `close()` leaves no server process and no files behind.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

/** Runs one SQL statement with psql; resolves stdout (unaligned, tuples only) or the failure's stderr. */
function psql(url: string, sql: string): { ok: boolean; out: string } {
  const run = spawnSync('psql', [url, '-X', '-v', 'ON_ERROR_STOP=1', '-tA', '-c', sql], { encoding: 'utf8', timeout: 30_000 });
  return { ok: run.status === 0, out: (run.status === 0 ? run.stdout : run.stderr).trim() };
}

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('test PostgreSQL harness', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.close());

  it('hands out a URL to a fresh, empty database on 127.0.0.1', () => {
    const url = new URL(server.url());
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toBe(`/${server.database}`);
    expect(psql(server.url(), 'SELECT current_database(), count(*) FROM pg_tables WHERE schemaname = \'public\'')).toEqual({ ok: true, out: `${server.database}|0` });
  });

  it('creates further databases and resolves with their URLs', async () => {
    const url = await server.createDatabase('harness_second');
    const name = new URL(url).pathname.slice(1);
    expect(name.startsWith('harness_second')).toBe(true);
    expect(psql(url, 'SELECT current_database()')).toEqual({ ok: true, out: name });
  });

  it('stop() refuses connections, start() serves the same data on the same URL', async () => {
    expect(psql(server.url(), 'CREATE TABLE kept (word text); INSERT INTO kept VALUES (\'persisted\')').ok).toBe(true);
    await server.stop();
    const refused = psql(server.url(), 'SELECT 1');
    expect(refused.ok).toBe(false);
    expect(refused.out).toMatch(/Connection refused/);
    await server.start();
    expect(psql(server.url(), 'SELECT word FROM kept')).toEqual({ ok: true, out: 'persisted' });
  });
});

describe('test PostgreSQL harness close()', () => {
  it('stops the server process and removes its data directory', async () => {
    const server = await startPostgres();
    if (!server.dataDir) throw new Error('MAILSINK_TEST_POSTGRES_URL is set: a shared server has no process for this test to check; unset it to run the test');
    const pid = Number(readFileSync(path.join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(alive(pid)).toBe(true);
    await server.close();
    expect(alive(pid)).toBe(false);
    expect(existsSync(server.dataDir)).toBe(false);
    expect(psql(server.url(), 'SELECT 1').ok).toBe(false);
  });
});

describe('test PostgreSQL harness when the test process is killed outright', () => {
  const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const run = promisify(execFile);

  it('its watchdog stops the server and removes its directory after a SIGKILL (no exit handler runs)', async () => {
    if (process.env.MAILSINK_TEST_POSTGRES_URL) throw new Error('MAILSINK_TEST_POSTGRES_URL is set: a shared server has no process for this test to check; unset it to run the test');
    // The harness compiled as it is, inside the repository so that its packages resolve.
    const out = mkdtempSync(path.join(ROOT, 'node_modules/.cache-mailsink-harness-'));
    try {
      await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--outDir', out, '--module', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--ignoreConfig', path.join(ROOT, 'test/helpers/postgres.ts')], { timeout: 60_000 });
      writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }');
      const script = `import { startPostgres } from ${JSON.stringify(path.join(out, 'postgres.js'))};
        const s = await startPostgres(); console.log(s.dataDir); process.kill(process.pid, 'SIGKILL');`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect(child.signal).toBe('SIGKILL');
      const dataDir = child.stdout.trim();
      expect(dataDir).toMatch(/mailsink-pg-.*\/data$/);
      await expect.poll(() => existsSync(dataDir), { timeout: 30_000 }).toBe(false);
      expect(ps('postgres -D ' + dataDir)).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/** Whether a process whose command line contains `text` runs. */
function ps(text: string): boolean {
  return spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n').some((line) => line.includes(text));
}

describe('test PostgreSQL harness with MAILSINK_TEST_POSTGRES_URL', () => {
  it('makes a uniquely named database on that server, refuses stop/start loudly, drops the database on close()', async () => {
    const server = await startPostgres();
    const saved = process.env.MAILSINK_TEST_POSTGRES_URL;
    try {
      if (!server.embedded) throw new Error('MAILSINK_TEST_POSTGRES_URL is already set: this test points it at an embedded server of its own; unset it to run the test');
      process.env.MAILSINK_TEST_POSTGRES_URL = server.url('postgres');
      const [first, second] = [await startPostgres(), await startPostgres()];
      expect([first.embedded, first.dataDir]).toEqual([false, null]);
      expect(first.database).toMatch(/^mailsink_test_[0-9a-f]{10}$/);
      expect(second.database).not.toBe(first.database);
      expect(psql(first.url(), 'SELECT current_database()')).toEqual({ ok: true, out: first.database });
      await expect(first.stop()).rejects.toThrow(/MAILSINK_TEST_POSTGRES_URL is set: this test needs to stop the PostgreSQL server/);
      await expect(first.start()).rejects.toThrow(/MAILSINK_TEST_POSTGRES_URL is set: this test needs to start the PostgreSQL server/);
      const extra = new URL(await first.createDatabase('harness_extra')).pathname.slice(1);
      await first.close();
      await second.close();
      const left = psql(server.url('postgres'), `SELECT count(*) FROM pg_database WHERE datname IN ('${first.database}', '${second.database}', '${extra}')`);
      expect(left).toEqual({ ok: true, out: '0' });
    } finally {
      if (saved === undefined) delete process.env.MAILSINK_TEST_POSTGRES_URL;
      else process.env.MAILSINK_TEST_POSTGRES_URL = saved;
      await server.close();
    }
  });
});
