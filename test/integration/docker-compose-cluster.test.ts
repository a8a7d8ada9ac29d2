/**
 * The `cluster` profile of docker-compose.yml: PostgreSQL 18 and two mailsink instances on it.
 * No Docker engine runs here, so the file is parsed and checked, the PostgreSQL healthcheck runs
 * (Debian's `pg_isready`) against a real server, and the two instances' environments are run as
 * they are, with only what Docker provides swapped in (the database's address, ports 0).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startCli, type CliSink } from '../helpers/cli.js';
import { rawMessage, send } from '../helpers/cluster.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

interface ComposeService {
  build?: string;
  image?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const run = promisify(execFile);
const NODES = ['mailsink-a', 'mailsink-b'] as const;
const service = (name: string) => compose.services[name]!;

/** Body of `GET path` on 127.0.0.1:`port` sent with this `Host` header. */
function getWithHost(port: number, urlPath: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('docker-compose.yml cluster profile', () => {
  it('puts postgres, mailsink-a and mailsink-b in the cluster profile only', () => {
    for (const name of ['postgres', ...NODES]) expect(service(name).profiles, name).toEqual(['cluster']);
  });

  it('runs postgres:18 with its data in a named volume at /var/lib/postgresql (the image\'s 18+ layout)', () => {
    const postgres = service('postgres');
    expect(postgres.image).toBe('postgres:18');
    expect(postgres.volumes).toEqual(['mailsink-postgres:/var/lib/postgresql']);
    expect(Object.keys(compose.volumes ?? {})).toEqual(['mailsink-postgres']);
  });

  it('builds both instances like the default service, starting them once postgres is healthy', () => {
    for (const name of NODES) {
      expect([service(name).build, service(name).image], name).toEqual([service('mailsink').build, service('mailsink').image]);
      expect(service(name).depends_on, name).toEqual({ postgres: { condition: 'service_healthy' } });
      expect(service(name).healthcheck, name).toEqual(service('mailsink').healthcheck);
    }
  });

  it('gives both instances one storage URL naming the postgres service, its user, password and database', () => {
    const db = service('postgres').environment!;
    const urls = NODES.map((name) => service(name).environment!.MAILSINK_STORAGE!);
    expect(urls[1]).toBe(urls[0]);
    const url = new URL(urls[0]!);
    expect([url.protocol, url.hostname, url.port]).toEqual(['postgres:', 'postgres', '5432']);
    expect([url.username, url.password, url.pathname]).toEqual([db.POSTGRES_USER, db.POSTGRES_PASSWORD, `/${db.POSTGRES_DB}`]);
  });

  it('gives both instances the same limits, their own host ports and their service name as allowed host', () => {
    const [a, b] = NODES.map((name) => service(name).environment!);
    expect(a!.MAILSINK_MAX_MESSAGES).toBe(b!.MAILSINK_MAX_MESSAGES);
    expect(a!.MAILSINK_MAX_STORE_BYTES).toBe(b!.MAILSINK_MAX_STORE_BYTES);
    for (const name of NODES) expect(service(name).environment!.MAILSINK_ALLOWED_HOSTS, name).toBe(name);
    const hostPorts = Object.values(compose.services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':').slice(0, 2).join(':')));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    expect(service('mailsink-a').ports).toEqual(['127.0.0.1:1026:1025', '127.0.0.1:8026:8025']);
    expect(service('mailsink-b').ports).toEqual(['127.0.0.1:1027:1025', '127.0.0.1:8027:8025']);
  });
});

describe('docker-compose.yml cluster profile, run', () => {
  let postgres: TestPostgres;
  const nodes: CliSink[] = [];
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await postgres?.close();
  });

  it('the postgres healthcheck (pg_isready over TCP) passes against a running server and fails without one', async () => {
    const [cmd, bin, ...args] = service('postgres').healthcheck!.test;
    expect([cmd, bin]).toEqual(['CMD', 'pg_isready']);
    const port = new URL(postgres.url()).port;
    await expect(run(bin!, [...args, '-p', port], { timeout: 10_000 })).resolves.toMatchObject({ stdout: expect.stringContaining('accepting connections') });
    // Port 1 on loopback: nothing listens there.
    await expect(run(bin!, [...args, '-p', '1'], { timeout: 10_000 })).rejects.toMatchObject({ code: 2 });
  });

  it('both instances run with their compose environment on one database: mail sent to A is read on B as http://mailsink-b', async () => {
    // What Docker provides: the database at its address (here the test server's), ports and loopback.
    const storage = postgres.url();
    for (const name of NODES) nodes.push(await startCli(['--host', '127.0.0.1'], { ...service(name).environment!, MAILSINK_STORAGE: storage }));
    const [a, b] = nodes as [CliSink, CliSink];
    const raw = rawMessage({ from: 'app@example.com', to: 'user@example.org', subject: 'Compose cluster' });
    const sent = await send(a, { from: 'app@example.com', to: ['user@example.org'] }, raw);
    expect(sent.code, sent.response).toBe(250);
    const id = /queued as (\S+)/.exec(sent.response)![1]!;
    const wait = await getWithHost(Number(new URL(b.httpUrl).port), '/api/messages/wait?query=subject:%22Compose%20cluster%22&timeoutMs=20000', 'mailsink-b:8027');
    expect(wait.status).toBe(200);
    expect((JSON.parse(wait.body) as { messages: { id: string; sizeBytes: number }[] }).messages).toMatchObject([{ id, sizeBytes: raw.length }]);
    // A's own name is not one of B's: the DNS-rebinding check still applies per instance.
    expect((await getWithHost(Number(new URL(b.httpUrl).port), '/api/messages', 'mailsink-a:8027')).status).toBe(403);
  });
});
