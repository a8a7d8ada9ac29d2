import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import { formatByteSize } from '../../server/cli/help.js';
import { ConfigError, configFromCli, environmentWarnings, parseByteSize, resolveConfig } from '../../server/config.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

describe('config', () => {
  it('has the documented defaults', () => {
    expect(resolveConfig()).toEqual({
      smtpPort: 1025,
      smtpPorts: [1025],
      smtpsPort: null,
      httpPort: 8025,
      host: '127.0.0.1',
      maxMessages: 5000,
      maxMessageSize: 52_428_800,
      maxStoreBytes: 536_870_912,
      storage: { kind: 'memory' },
      faultSeed: expect.any(Number),
      tlsCert: null,
      tlsKey: null,
      requireTls: false,
      authUsers: null,
      authRequired: false,
      maxAuthFailures: 20,
      maxRecipients: 1000,
      maxConnections: 1000,
      maxConnectionsPerAddress: 750,
      idleTimeoutMs: 300_000,
      maxLineLength: 16_384,
      uiAuthFile: null,
      enableProbe: false,
      corsOrigins: [],
      allowedHosts: [],
      releaseAllow: [],
      dnsRecords: null,
      dnsLive: false,
      spfClientIp: null,
      spamassassin: null,
      enableLinkCheck: false,
      relayUrl: null,
      relayTlsVerify: true,
      relayCa: null,
      relayAllow: [],
      relayDeny: [],
      relayRetryInitialMs: 30_000,
      relayMaxAttempts: 5,
      relayMaxAgeMs: 3_600_000,
      faults: [],
      files: { tls: null, authUsers: null, uiUsers: null, dnsRecords: null, relayCa: null },
    });
    expect(resolveConfig({ faultSeed: 7 }).faultSeed).toBe(7);
    expect(Object.isFrozen(resolveConfig())).toBe(true);
  });

  it('reads MAILSINK_* variables; flags win', () => {
    const request = configFromCli(['--smtp-port', '2525'], { MAILSINK_SMTP_PORT: '1', MAILSINK_HTTP_PORT: '8026', MAILSINK_MAX_STORE_BYTES: '1G' });
    expect(request).toMatchObject({ kind: 'run', config: { smtpPort: 2525, httpPort: 8026, maxStoreBytes: 1_073_741_824 } });
  });

  it('names the option at fault', () => {
    const attempt = (argv: string[], env: Record<string, string> = {}) => {
      try {
        configFromCli(argv, env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).option;
      }
      throw new Error('no error');
    };
    expect(attempt(['--http-port', '-1'])).toBe('--http-port');
    expect(attempt(['--max-messages', '0'])).toBe('--max-messages');
    expect(attempt(['--host', ' '])).toBe('--host');
    expect(attempt([], { MAILSINK_MAX_MESSAGES: '2.5' })).toBe('MAILSINK_MAX_MESSAGES');
    expect(attempt(['--smtp-port'])).toBe('--smtp-port');
    expect(() => resolveConfig({ smtpPort: 'x' })).toThrow(/^invalid smtpPort: /);
  });

  it('a value starting with a dash is the value (checked by the schema); an unknown flag suggests the nearest', () => {
    const message = (argv: string[]) => {
      try {
        configFromCli(argv, {});
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    expect(message(['--http-port', '-1'])).toBe('invalid --http-port: expected a port number from 0 to 65535 (0 picks a free port) (got "-1")');
    expect(message(['--fault', '-x'])).toMatch(/^invalid --fault "-x": /);
    expect(message(['--http-port', '--host', 'x'])).toBe('invalid --http-port: it needs a value (mailsink --help lists every option)');
    expect(message(['--hots', 'x'])).toBe('unknown option --hots; did you mean --host? (mailsink --help lists every option)');
    expect(message(['--auth-requried'])).toBe('unknown option --auth-requried; did you mean --auth-required? (mailsink --help lists every option)');
    expect(message(['--require-tls=yes'])).toBe('invalid --require-tls: it is a switch and takes no value (mailsink --help lists every option)');
    expect(message(['8025'])).toBe('unexpected argument "8025": options take the form --name value (mailsink --help lists every option)');
  });

  it('names unknown MAILSINK_* variables in a warning, each on one line', () => {
    expect(environmentWarnings({ MAILSINK_SMTP_PORT: '1', MAILSINK_FAULT: 'x', MAILSINK_HTTP_URL: 'http://x', PATH: '/bin', MAILSINK_MAX_MESAGES: '5', MAILSINK_NOPE: '1' })).toEqual([
      'warning: ignoring unknown environment variable MAILSINK_MAX_MESAGES; did you mean MAILSINK_MAX_MESSAGES? (mailsink --help lists every option)',
      'warning: ignoring unknown environment variable MAILSINK_NOPE (mailsink --help lists every option)',
    ]);
  });

  it('shows byte sizes as the largest exact binary unit', () => {
    expect([52_428_800, 536_870_912, 1_073_741_824, 1536, 1024, 1000].map(formatByteSize)).toEqual(['50M', '512M', '1G', '1536', '1K', '1000']);
  });

  it('parses byte sizes with binary suffixes', () => {
    expect(parseByteSize('52428800')).toBe(52_428_800);
    expect(parseByteSize('50M')).toBe(52_428_800);
    expect(parseByteSize('50MiB')).toBe(52_428_800);
    expect(parseByteSize('512k')).toBe(524_288);
    expect(parseByteSize('2G')).toBe(2_147_483_648);
    expect(parseByteSize('10 b')).toBe(10);
    for (const bad of ['', '0', '-5', '1.5M', 'lots', '5T']) expect(parseByteSize(bad), bad).toBeNull();
  });

  describe('--relay-ca', () => {
    const write = useTmpFiles();
    it('reads PEM CA certificates into files.relayCa; a file without one, or unreadable, names the option', async () => {
      const { cert } = await generate([{ name: 'commonName', value: 'ca.test' }], { keySize: 2048, algorithm: 'sha256' });
      const file = write('ca.pem', `# the test upstream\n${cert}`);
      const request = configFromCli(['--relay-ca', file], {});
      expect(request.kind === 'run' && [request.config.relayCa, request.config.files.relayCa]).toEqual([file, `# the test upstream\n${cert}`]);
      const refused = (argv: string[], env: Record<string, string> = {}) => {
        try {
          configFromCli(argv, env);
        } catch (err) {
          return (err as ConfigError).message;
        }
        throw new Error('no error');
      };
      const empty = write('empty.pem', 'not a certificate\n');
      expect(refused(['--relay-ca', empty])).toBe(`invalid --relay-ca: ${empty} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
      const broken = write('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      expect(refused([], { MAILSINK_RELAY_CA: broken })).toMatch(new RegExp(`^invalid MAILSINK_RELAY_CA: ${broken} is not a PEM certificate: `));
      expect(refused(['--relay-ca', `${empty}.missing`])).toBe(`invalid --relay-ca: cannot read ${empty}.missing: ENOENT`);
    });
  });
});
