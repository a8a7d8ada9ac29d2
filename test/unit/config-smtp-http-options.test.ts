/**
 * The options of TLS, AUTH, limits and the HTTP side: flags, `MAILSINK_*` variables (lists
 * comma-separated, switches true/false), and one-line errors naming the option, files included.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpText } from '../../server/cli/help.js';
import { ConfigError, configFromCli, OPTIONS, resolveConfig } from '../../server/config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-config-'));
const file = (name: string, text: string) => {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
};

/** The one-line message of the ConfigError `configFromCli` throws. */
function failure(argv: string[], env: Record<string, string> = {}): string {
  try {
    configFromCli(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message.split('\n')).toHaveLength(1);
    return (err as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

function run(argv: string[], env: Record<string, string> = {}) {
  const request = configFromCli(argv, env);
  if (request.kind !== 'run') throw new Error('not a run');
  return request.config;
}

describe('SMTP and HTTP options', () => {
  let pair: { cert: string; key: string; otherKey: string };
  beforeAll(async () => {
    const [a, b] = await Promise.all([generate([{ name: 'commonName', value: 'a.test' }], { keyType: 'ec' }), generate([{ name: 'commonName', value: 'b.test' }], { keyType: 'ec' })]);
    pair = { cert: file('cert.pem', a.cert), key: file('key.pem', a.private), otherKey: file('other-key.pem', b.private) };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--smtp-port repeats (the variable takes a list); smtpPort is the first; a port given twice is refused', () => {
    expect(run(['--smtp-port', '1025', '--smtp-port', '1587'])).toMatchObject({ smtpPort: 1025, smtpPorts: [1025, 1587] });
    expect(run([], { MAILSINK_SMTP_PORT: '2525, 2587' })).toMatchObject({ smtpPort: 2525, smtpPorts: [2525, 2587] });
    expect(run(['--smtp-port', '0', '--smtp-port', '0']).smtpPorts).toEqual([0, 0]);
    expect(resolveConfig({ smtpPort: 2000 }).smtpPorts).toEqual([2000]);
    expect(failure(['--smtp-port', '1025', '--smtp-port', '1025'])).toBe('invalid --smtp-port: a port is given twice (got ["1025","1025"])');
    expect(failure([], { MAILSINK_SMTP_PORT: '1025,x' })).toMatch(/^invalid MAILSINK_SMTP_PORT: "x": /);
  });

  it('--smtps-port, switches and numbers, from flags and variables', () => {
    const config = run(['--smtps-port', '1465', '--require-tls', '--auth-required', '--max-recipients', '10', '--max-connections', '5', '--max-line-length', '1000']);
    expect(config).toMatchObject({ smtpsPort: 1465, requireTls: true, authRequired: true, maxRecipients: 10, maxConnections: 5, maxLineLength: 1000 });
    const fromEnv = run([], { MAILSINK_SMTPS_PORT: '2465', MAILSINK_REQUIRE_TLS: 'true', MAILSINK_AUTH_REQUIRED: '0', MAILSINK_MAX_RECIPIENTS: '7' });
    expect(fromEnv).toMatchObject({ smtpsPort: 2465, requireTls: true, authRequired: false, maxRecipients: 7 });
    expect(failure([], { MAILSINK_REQUIRE_TLS: 'maybe' })).toBe('invalid MAILSINK_REQUIRE_TLS: expected true or false (got "maybe")');
    expect(failure(['--max-line-length', '100'])).toMatch(/^invalid --max-line-length: .*512/);
    expect(failure(['--max-recipients', '0'])).toMatch(/^invalid --max-recipients: /);
    expect(failure(['--smtps-port', '70000'])).toMatch(/^invalid --smtps-port: /);
    expect(failure(['--require-tls=yes'])).toMatch(/^invalid --require-tls: /);
  });

  it('--idle-timeout takes a duration; a bare number is seconds', () => {
    expect(run(['--idle-timeout', '5m']).idleTimeoutMs).toBe(300_000);
    expect(run(['--idle-timeout', '500ms']).idleTimeoutMs).toBe(500);
    expect(run([], { MAILSINK_IDLE_TIMEOUT: '30' }).idleTimeoutMs).toBe(30_000);
    expect(resolveConfig({ idleTimeoutMs: 250 }).idleTimeoutMs).toBe(250);
    expect(failure(['--idle-timeout', 'soon'])).toBe('invalid --idle-timeout: expected a duration such as 300s, 5m or 500ms (a bare number is seconds) (got "soon")');
    expect(failure(['--idle-timeout', '0'])).toMatch(/^invalid --idle-timeout: /);
  });

  it('--max-connections-per-address defaults to 3/4 of --max-connections (rounded up); --max-auth-failures to 20', () => {
    expect(run([]).maxConnectionsPerAddress).toBe(750);
    expect(run(['--max-connections', '50']).maxConnectionsPerAddress).toBe(38);
    expect(run(['--max-connections', '1']).maxConnectionsPerAddress).toBe(1);
    expect(run(['--max-connections-per-address', '5']).maxConnectionsPerAddress).toBe(5);
    expect(run([], { MAILSINK_MAX_CONNECTIONS_PER_ADDRESS: '7' }).maxConnectionsPerAddress).toBe(7);
    expect(run(['--max-auth-failures', '3']).maxAuthFailures).toBe(3);
    expect(failure(['--max-connections-per-address', '0'])).toMatch(/^invalid --max-connections-per-address: /);
    expect(failure(['--max-auth-failures', 'many'])).toMatch(/^invalid --max-auth-failures: /);
  });

  it('--cors-origin repeats and takes origins or *', () => {
    expect(run(['--cors-origin', 'http://localhost:3000', '--cors-origin', 'https://app.example']).corsOrigins).toEqual(['http://localhost:3000', 'https://app.example']);
    expect(run([], { MAILSINK_CORS_ORIGIN: '*' }).corsOrigins).toEqual(['*']);
    expect(failure(['--cors-origin', 'http://localhost:3000/path'])).toMatch(/^invalid --cors-origin: "http:\/\/localhost:3000\/path": expected an origin/);
    expect(failure([], { MAILSINK_CORS_ORIGIN: 'localhost:3000' })).toMatch(/^invalid MAILSINK_CORS_ORIGIN: /);
  });

  it('--tls-cert and --tls-key: read, checked as a matching pair, named when wrong', () => {
    const config = run(['--tls-cert', pair.cert, '--tls-key', pair.key]);
    expect(config.files.tls?.cert).toContain('BEGIN CERTIFICATE');
    expect(run(['--tls-key', pair.key], { MAILSINK_TLS_CERT: pair.cert }).files.tls?.key).toContain('PRIVATE KEY');
    expect(failure(['--tls-cert', pair.cert])).toBe('invalid --tls-cert: needs --tls-key too');
    expect(failure([], { MAILSINK_TLS_KEY: pair.key })).toBe('invalid MAILSINK_TLS_KEY: needs --tls-cert too');
    expect(() => resolveConfig({ tlsCert: pair.cert })).toThrow('invalid tlsCert: needs tlsKey too');
    expect(failure(['--tls-cert', pair.cert, '--tls-key', pair.otherKey])).toBe(`invalid --tls-key: ${pair.otherKey} is not the key of the certificate in ${pair.cert}`);
    expect(failure(['--tls-cert', pair.key, '--tls-key', pair.key])).toMatch(/^invalid --tls-cert: .* is not a PEM certificate: /);
    expect(failure(['--tls-cert', pair.cert, '--tls-key', path.join(dir, 'missing.pem')])).toBe(`invalid --tls-key: cannot read ${path.join(dir, 'missing.pem')}: ENOENT`);
  });

  it('--auth-users and --ui-auth-file: user files, a bad line named', () => {
    const users = file('users', 'alice:pa:ss\n');
    expect(run(['--auth-users', users, '--ui-auth-file', users]).files).toMatchObject({ authUsers: [{ user: 'alice', password: 'pa:ss' }], uiUsers: [{ user: 'alice' }] });
    const bad = file('bad-users', 'alice:x\nbob\n');
    expect(failure(['--auth-users', bad])).toBe(`invalid --auth-users: ${bad}: line 2: expected user:password`);
    expect(failure([], { MAILSINK_UI_AUTH_FILE: path.join(dir, 'none') })).toBe(`invalid MAILSINK_UI_AUTH_FILE: cannot read ${path.join(dir, 'none')}: ENOENT`);
  });

  it('--help lists every option with its variable', () => {
    const help = helpText();
    for (const option of OPTIONS) expect(help).toContain(`--${option.flag}`);
    for (const name of ['MAILSINK_SMTPS_PORT', 'MAILSINK_TLS_CERT', 'MAILSINK_TLS_KEY', 'MAILSINK_REQUIRE_TLS', 'MAILSINK_AUTH_USERS', 'MAILSINK_AUTH_REQUIRED', 'MAILSINK_MAX_RECIPIENTS', 'MAILSINK_MAX_CONNECTIONS', 'MAILSINK_IDLE_TIMEOUT', 'MAILSINK_MAX_LINE_LENGTH', 'MAILSINK_UI_AUTH_FILE', 'MAILSINK_CORS_ORIGIN']) {
      expect(help).toContain(`env ${name},`);
    }
  });
});
