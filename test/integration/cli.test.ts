/**
 * The `mailsink` command as a user runs it: the built `dist/server/main.js` in a child process
 * (`npm test` builds first). Ports are 0 so the OS picks free ones; the banner tells which.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Health } from '../../server/contract.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'dist/server/main.js');

function run(args: string[], env: Record<string, string> = {}) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 10_000 });
}

/** Starts mailsink, resolves with the banner's URLs; the caller stops it with a signal. */
function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const banner = new Promise<{ smtpPort: number; httpUrl: string; line: string }>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /SMTP smtp:\/\/127\.0\.0\.1:(\d+) · web inbox (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
      if (match) resolve({ smtpPort: Number(match[1]), httpUrl: match[2]!, line: stdout.trim() });
    });
    child.on('exit', (code) => reject(new Error(`mailsink exited ${code} before its banner: ${stderr}`)));
  });
  return { child, banner, exited, output: () => ({ stdout, stderr }) };
}

describe('mailsink CLI', () => {
  it('a bad --smtp-port exits 1 with one line naming the option', () => {
    const result = run(['--smtp-port', 'abc']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mailsink: invalid --smtp-port: /);
    expect(run(['--smtp-port', '70000']).stderr).toMatch(/^mailsink: invalid --smtp-port: .*65535/);
  });

  it('names the environment variable when it is the source of a bad value', () => {
    const result = run([], { MAILSINK_MAX_MESSAGE_SIZE: 'lots' });
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd()).toMatch(/^mailsink: invalid MAILSINK_MAX_MESSAGE_SIZE: expected a byte count/);
  });

  it('a negative --smtp-port is an invalid value (not "argument is ambiguous"), in one line', () => {
    for (const args of [['--smtp-port', '-5'], ['--smtp-port=-5']]) {
      const result = run(args);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('mailsink: invalid --smtp-port: "-5": expected a port number from 0 to 65535 (0 picks a free port)\n');
    }
    expect(run(['--smtp-port', '--http-port', '0']).stderr).toBe('mailsink: invalid --smtp-port: it needs a value (mailsink --help lists every option)\n');
  });

  it('rejects an unknown flag in one line, with the nearest known flag and a pointer to --help', () => {
    const result = run(['--smtp-prot', '25']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('mailsink: unknown option --smtp-prot; did you mean --smtp-port? (mailsink --help lists every option)\n');
    expect(run(['--max-mesage-size', '1M']).stderr).toBe('mailsink: unknown option --max-mesage-size; did you mean --max-message-size? (mailsink --help lists every option)\n');
    expect(run(['--xyzzy']).stderr).toBe('mailsink: unknown option --xyzzy (mailsink --help lists every option)\n');
  });

  it('warns in one line about an unknown MAILSINK_* variable and starts anyway', async () => {
    const cli = startCli(['--smtp-port', '0', '--http-port', '0'], { MAILSINK_SMTP_PROT: '2525' });
    const closed = new Promise((resolve) => cli.child.on('close', resolve));
    await cli.banner;
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    await closed;
    const warnings = cli.output().stderr.split('\n').filter((line) => line.startsWith('mailsink: '));
    expect(warnings).toEqual(['mailsink: warning: ignoring unknown environment variable MAILSINK_SMTP_PROT; did you mean MAILSINK_SMTP_PORT? (mailsink --help lists every option)']);
  });

  it('--help says what mailsink is, lists every flag with its variable and default (sizes as 50M), the fault syntax and examples', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('mailsink: a local fake SMTP server for development and tests: it accepts every message, keeps it, and shows it in a web inbox and over a REST API.');
    for (const flag of ['--smtp-port', '--http-port', '--host', '--max-messages', '--max-message-size', '--max-store-bytes']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain('env MAILSINK_SMTP_PORT, default 1025');
    expect(result.stdout).toContain('env MAILSINK_MAX_MESSAGE_SIZE, default 50M\n');
    expect(result.stdout).toContain('env MAILSINK_MAX_STORE_BYTES, default 512M\n');
    expect(result.stdout).not.toContain('52428800');
    expect(result.stdout).toContain('  STAGE:PATTERN:ACTION[:ENHANCED[:TEXT]][;times=N][;nth=N][;delayMs=MS][;probability=P]\n');
    expect(result.stdout).toContain('\nExamples:\n  mailsink ');
  });

  it('starts on port 0, prints one banner with the real ports, serves the API, exits 0 on SIGTERM', async () => {
    const cli = startCli(['--smtp-port', '0', '--http-port', '0']);
    const { smtpPort, httpUrl, line } = await cli.banner;
    expect(line.split('\n')).toHaveLength(1);
    expect(smtpPort).toBeGreaterThan(0);
    const health = (await (await fetch(`${httpUrl}/api/health`)).json()) as Health;
    expect(health).toMatchObject({ status: 'ok', smtpPort, messages: 0 });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('flags win over MAILSINK_* variables; SIGINT exits 0', async () => {
    // MAILSINK_HTTP_PORT is invalid: mailsink only starts if the flag wins over it.
    const cli = startCli(['--http-port', '0'], { MAILSINK_SMTP_PORT: '0', MAILSINK_HTTP_PORT: 'not-a-port' });
    const { httpUrl } = await cli.banner;
    expect((await fetch(`${httpUrl}/api/health`)).status).toBe(200);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('a port in use exits 1 with one line', async () => {
    const first = startCli(['--smtp-port', '0', '--http-port', '0']);
    const { smtpPort } = await first.banner;
    try {
      const second = run(['--smtp-port', String(smtpPort), '--http-port', '0']);
      expect(second.status).toBe(1);
      expect(second.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^mailsink: cannot listen: .*EADDRINUSE/)]);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});

describe('npm start passes flags through', () => {
  it('package.json start script ends with the entry point, so `npm start -- --flag v` reaches it', () => {
    const pkg = JSON.parse(spawnSync('cat', [path.join(ROOT, 'package.json')], { encoding: 'utf8' }).stdout) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts.start).toMatch(/node dist\/server\/main\.js$/);
    expect(pkg.bin.mailsink).toBe('dist/server/main.js');
  });
});
