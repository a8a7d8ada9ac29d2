/**
 * No Docker engine runs here, so the compose file and Dockerfile are checked by parsing them, and
 * the healthcheck command itself is run (with the port swapped for a test sink's) to prove it works.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configFromCli } from '../../server/config.js';
import { startTestSink } from '../helpers/sink.js';

/** Status of `GET /api/messages` on 127.0.0.1:`port` sent with this `Host` header. */
function hostStatus(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/messages', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

interface ComposeService {
  build?: string;
  image?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number };
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  const service = compose.services['mailsink']!;

  it('plain `docker compose up` starts one service built from the Dockerfile, publishing SMTP 1025, SMTPS 1465 and HTTP 8025 on loopback', () => {
    const withoutProfile = Object.entries(compose.services).filter(([, s]) => !s.profiles?.length).map(([name]) => name);
    expect(withoutProfile).toEqual(['mailsink']);
    expect(service.build).toBe('.');
    expect(service.ports).toEqual(['127.0.0.1:1025:1025', '127.0.0.1:1465:1465', '127.0.0.1:8025:8025']);
  });

  it('binds 0.0.0.0 inside the container on the ports it publishes', () => {
    expect(service.environment).toMatchObject({ MAILSINK_HOST: '0.0.0.0', MAILSINK_SMTP_PORT: '1025', MAILSINK_SMTPS_PORT: '1465', MAILSINK_HTTP_PORT: '8025' });
  });

  it('its environment is a valid mailsink configuration', () => {
    const request = configFromCli([], service.environment ?? {});
    expect(request).toMatchObject({ kind: 'run', config: { host: '0.0.0.0', smtpPorts: [1025], smtpsPort: 1465, httpPort: 8025, allowedHosts: ['mailsink'] } });
  });

  it('other containers reach it as http://mailsink:8025 (its service name passes the Host check)', async () => {
    const request = configFromCli([], { ...service.environment, MAILSINK_HOST: '127.0.0.1', MAILSINK_SMTP_PORT: '0', MAILSINK_SMTPS_PORT: '', MAILSINK_HTTP_PORT: '0' });
    if (request.kind !== 'run') throw new Error('expected a run configuration');
    const sink = await startTestSink({ ...request.config });
    try {
      const status = (host: string) => hostStatus(sink.httpPort, host);
      await expect(status('mailsink:8025')).resolves.toBe(200);
      await expect(status('127.0.0.1:8025')).resolves.toBe(200);
      await expect(status('evil.example:8025')).resolves.toBe(403);
    } finally {
      await sink.stop();
    }
  });

  it('has a healthcheck on /api/health that passes against a running sink and fails without one', async () => {
    const test = service.healthcheck!.test;
    expect(test[0]).toBe('CMD');
    expect(test.join(' ')).toContain("'http://127.0.0.1:' + (process.env.MAILSINK_HTTP_PORT || 8025) + '/api/health'");
    expect(test[1]).toBe('node');
    // The check follows MAILSINK_HTTP_PORT, as the container's mailsink does.
    const sink = await startTestSink();
    const env = { ...process.env, MAILSINK_HTTP_PORT: String(sink.httpPort) };
    try {
      await expect(run(process.execPath, test.slice(2), { timeout: 10_000, env })).resolves.toBeDefined();
    } finally {
      await sink.stop();
    }
    await expect(run(process.execPath, test.slice(2), { timeout: 10_000, env })).rejects.toMatchObject({ code: 1 });
  });
});

describe('Dockerfile', () => {
  it('builds with the lockfile, exposes both ports, runs the built entry point and checks health', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(dockerfile).toContain('RUN npm ci');
    expect(dockerfile).toMatch(/^EXPOSE 1025 8025$/m);
    expect(dockerfile).toMatch(/MAILSINK_HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/server\/main\.js"\]$/m);
    expect(dockerfile).toContain("'http://127.0.0.1:' + (process.env.MAILSINK_HTTP_PORT || 8025) + '/api/health'");
    expect(dockerfile).toMatch(/^USER node$/m);
    // npm ci --ignore-scripts skips native builds: better-sqlite3 (--storage sqlite:…) must be rebuilt, in the build stage
    expect(dockerfile).toMatch(/^RUN npm ci [^\n]*--ignore-scripts && npm rebuild better-sqlite3$/m);
    expect(dockerfile.indexOf('npm rebuild better-sqlite3')).toBeLessThan(dockerfile.indexOf('\nFROM node:20-bookworm-slim\n'));
    for (const file of ['package.json', 'package-lock.json', '.dockerignore']) expect(existsSync(path.join(ROOT, file)), file).toBe(true);
  });
});
