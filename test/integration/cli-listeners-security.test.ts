/**
 * The `mailsink` command with the new listeners and the security banner: several `--smtp-port`s
 * and `--smtps-port` in one banner line; a wildcard `--host` shows a usable 127.0.0.1 URL, and
 * without `--ui-auth-file` a warning; the new options work from `MAILSINK_*` variables and a bad
 * one exits 1 with one line naming it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Health, MessageDetail } from '../../server/contract.js';
import { MAIN, runCli } from '../helpers/cli.js';
import { swaks } from '../helpers/swaks.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

interface Started {
  /** stdout so far (the banner, and the warning line when there is one). */
  stdout(): string;
  httpUrl: string;
  stop(): Promise<number | null>;
}

/** Starts mailsink and resolves once its banner line is out (plus one more line, when `lines` is 2). */
function start(args: string[], env: Record<string, string> = {}, lines = 1): Promise<Started> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [MAIN, '--http-port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.split('\n').length <= lines) return;
      const httpUrl = /web inbox (http:\/\/[^/]+)\//.exec(stdout)?.[1] ?? '';
      resolve({ stdout: () => stdout, httpUrl, stop: () => (child.kill('SIGTERM'), exited) });
    });
    child.on('exit', (code) => reject(new Error(`mailsink exited ${code}: ${stderr}`)));
  });
}

describe('mailsink CLI: listeners and the security banner', () => {
  const write = useTmpFiles();

  it('several --smtp-port and --smtps-port: one banner line naming each; every port takes mail', async () => {
    const cli = await start(['--smtp-port', '0', '--smtp-port', '0', '--smtps-port', '0']);
    try {
      const health = (await (await fetch(`${cli.httpUrl}/api/health`)).json()) as Health;
      expect(health.smtpPorts).toHaveLength(2);
      expect(health.smtpsPort).toEqual(expect.any(Number));
      const [first, second] = health.smtpPorts;
      expect(cli.stdout()).toBe(`mailsink 0.1.0: SMTP smtp://127.0.0.1:${first} · web inbox ${cli.httpUrl}/ · more SMTP ports ${second} · SMTPS smtps://127.0.0.1:${health.smtpsPort}\n`);
      for (const [port, tls] of [[first, []], [second, ['--tls']], [health.smtpsPort, ['--tlsc']]] as const) {
        const result = await swaks(port!, [...tls, '--to', `p${port}@example.org`]);
        expect(result.exitCode, result.output).toBe(0);
      }
      const list = (await (await fetch(`${cli.httpUrl}/api/messages`)).json()) as { total: number };
      expect(list.total).toBe(3);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('--host 0.0.0.0 without --ui-auth-file: a 127.0.0.1 URL, "listening on all interfaces", and a warning line', async () => {
    const cli = await start(['--smtp-port', '0', '--host', '0.0.0.0'], {}, 2);
    try {
      const [banner, warning] = cli.stdout().trimEnd().split('\n');
      expect(banner).toMatch(/^mailsink 0\.1\.0: SMTP smtp:\/\/127\.0\.0\.1:\d+ · web inbox http:\/\/127\.0\.0\.1:\d+\/ · listening on all interfaces$/);
      expect(warning).toBe('mailsink: WARNING: listening on 0.0.0.0, beyond loopback, without --ui-auth-file: anyone who can reach this machine can read every message and use the API');
      expect((await fetch(`${cli.httpUrl}/api/health`)).status).toBe(200);
    } finally {
      await cli.stop();
    }
  });

  it('--host 0.0.0.0 with --ui-auth-file (from its variable): no warning', async () => {
    const users = write('ui-users', 'admin:pw\n');
    const cli = await start(['--smtp-port', '0', '--host', '0.0.0.0'], { MAILSINK_UI_AUTH_FILE: users });
    try {
      expect((await fetch(`${cli.httpUrl}/api/messages`)).status).toBe(401);
      // The warning would have been written before the sink served any request.
      expect(cli.stdout()).toMatch(/^mailsink .* · listening on all interfaces\n$/);
    } finally {
      await cli.stop();
    }
  });

  it('the new options from MAILSINK_* variables', async () => {
    const users = write('smtp-users', 'app:pw\n');
    const env = { MAILSINK_SMTP_PORT: '0,0', MAILSINK_SMTPS_PORT: '0', MAILSINK_AUTH_USERS: users, MAILSINK_AUTH_REQUIRED: 'true', MAILSINK_MAX_RECIPIENTS: '1' };
    const cli = await start([], env);
    try {
      const health = (await (await fetch(`${cli.httpUrl}/api/health`)).json()) as Health;
      expect(health.smtpPorts).toHaveLength(2);
      expect(health.smtpsPort).not.toBeNull();
      expect((await swaks(health.smtpPort, ['--to', 'a@example.org'])).errorLines).toEqual(['530 5.7.0 Authentication required']);
      const result = await swaks(health.smtpPort, ['--auth', 'PLAIN', '--auth-user', 'app', '--auth-password', 'pw', '--to', 'a@example.org,b@example.org']);
      expect(result.errorLines).toEqual(['452 4.5.3 Too many recipients']);
      const message = (await (await fetch(`${cli.httpUrl}/api/messages/latest`)).json()) as MessageDetail;
      expect(message.envelope).toMatchObject({ authUser: 'app', rcptTo: ['a@example.org'] });
    } finally {
      await cli.stop();
    }
  });

  it('a bad new option exits 1 with one line naming it', async () => {
    for (const [args, env, pattern] of [
      [['--idle-timeout', 'soon'], {}, /^mailsink: invalid --idle-timeout: expected a duration/],
      [[], { MAILSINK_REQUIRE_TLS: 'perhaps' }, /^mailsink: invalid MAILSINK_REQUIRE_TLS: expected true or false/],
      [['--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'], {}, /^mailsink: invalid --tls-cert: cannot read \/nonexistent\/cert\.pem: ENOENT$/],
      [['--cors-origin', 'not an origin'], {}, /^mailsink: invalid --cors-origin: /],
    ] as const) {
      const result = await runCli([...args], env);
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr.trimEnd().split('\n'), result.stderr).toEqual([expect.stringMatching(pattern)]);
    }
  });
});
