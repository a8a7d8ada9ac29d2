/**
 * `mailsink probe` as a command (usage errors: exit 1 with one line naming the option; secrets
 * masked; `--json` valid against the documented schema) and `POST /api/probe` (403 unless
 * `--enable-probe`, 400 naming the field, the same report as the CLI).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeReportSchema } from '../../server/http/probe-schemas.js';
import { runCli } from '../helpers/cli.js';
import { useSink } from '../helpers/sink.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

describe('mailsink probe usage errors', () => {
  it.each([
    [['probe'], 'mailsink: probe: target: expected one smtp://host:port or smtps://host:port (got 0)'],
    [['probe', 'http://x:25'], 'mailsink: probe: target: expected smtp://host:port or smtps://host:port (got "http://x:25")'],
    [['probe', 'smtp://bob:pw@x:25'], 'mailsink: probe: target: credentials do not belong in the target URL: use --auth user:pass or MAILSINK_PROBE_AUTH'],
    [['probe', 'smtp://x:25', '--starttls', 'maybe'], 'mailsink: probe: --starttls: expected require, try or never (got "maybe")'],
    [['probe', 'smtp://x:25', '--timeout', 'soon'], 'mailsink: probe: --timeout: expected a duration such as 10s, 500ms or 1m (a bare number is seconds)'],
    [['probe', 'smtp://x:25', '--auth', 'nocolon'], 'mailsink: probe: --auth: expected user:password'],
    [['probe', 'smtp://x:25', '--to', 'not-an-address'], 'mailsink: probe: --to: expected an address such as user@example.org (got "not-an-address")'],
    [['probe', 'smtp://x:25', '--dns-server', '127.0.0.1:53'], 'mailsink: probe: --dns-server: needs --dns <domain>'],
    [['probe', 'smtp://x:25', '--tls'], "mailsink: probe: invalid --tls: Unknown option '--tls'"],
  ])('%j → exit 1 and one line', async (args, line) => {
    const result = await runCli(args);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe('');
  });

  it('--help lists the options, the exit codes and examples', async () => {
    const result = await runCli(['probe', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: mailsink probe <smtp:\/\/host:port \| smtps:\/\/host:port> \[options\]/);
    for (const option of ['--starttls', '--auth', '--from', '--to', '--send', '--timeout', '--open-relay', '--dns', '--dns-server', '--json']) expect(result.stdout).toContain(`  ${option} `);
    expect(result.stdout).toContain('by the first failing stage: 10 connect, 11 banner, 12 tls, 13 ehlo, 14 starttls, 15 auth, 16 mailFrom, 17 rcptTo, 18 data, 19 quit.');
  });
});

describe('mailsink probe --json against a sink with users', () => {
  const write = useTmpFiles();
  const sink = useSink({ authUsers: write('users', 'carol:s3cr3t-Pa55\n') });

  it('MAILSINK_PROBE_AUTH authenticates, and the password appears nowhere in the output', async () => {
    const result = await runCli(['probe', `smtp://127.0.0.1:${sink().smtpPort}`, '--json'], { MAILSINK_PROBE_AUTH: 'carol:s3cr3t-Pa55' }, 30_000);
    expect(result.status).toBe(0);
    const report = probeReportSchema.parse(JSON.parse(result.stdout));
    expect(report.stages.find((stage) => stage.stage === 'auth')).toMatchObject({ ok: true, reply: { code: 235 } });
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-Pa55');
    expect(result.stdout).not.toContain(Buffer.from('\0carol\0s3cr3t-Pa55').toString('base64'));
  });
});

describe('POST /api/probe', () => {
  const off = useSink();
  const on = useSink({ enableProbe: true });
  const post = (base: string, body: unknown) => fetch(`${base}/api/probe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is off by default: 403 probe_disabled naming the option, and nothing is connected to', async () => {
    expect(await (await fetch(`${off().httpUrl}/api/probe`)).json()).toEqual({ enabled: false });
    let connections = 0;
    const target = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const res = await post(off().httpUrl, { target: `smtp://127.0.0.1:${(target.address() as net.AddressInfo).port}` });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'probe_disabled', message: expect.stringContaining('--enable-probe') } });
      // the same target is reachable: a probe that was run would have connected
      const enabled = await post(on().httpUrl, { target: `smtp://127.0.0.1:${(target.address() as net.AddressInfo).port}`, timeoutMs: 2_000 });
      expect(enabled.status).toBe(200);
      expect(connections).toBe(1);
    } finally {
      target.close();
    }
  });

  it('with --enable-probe runs the probe and answers its report', async () => {
    expect(await (await fetch(`${on().httpUrl}/api/probe`)).json()).toEqual({ enabled: true });
    const res = await post(on().httpUrl, { target: `smtp://127.0.0.1:${off().smtpPort}`, to: ['api@example.org'], send: true });
    expect(res.status).toBe(200);
    const report = probeReportSchema.parse(await res.json());
    expect(report.stages.map((stage) => stage.stage)).toEqual(['connect', 'banner', 'ehlo', 'starttls', 'ehlo', 'mailFrom', 'rcptTo', 'data', 'quit']);
    const stored = (await (await fetch(`${off().httpUrl}/api/messages/${report.queueId}`)).json()) as { envelope: { rcptTo: string[] } };
    expect(stored.envelope.rcptTo).toEqual(['api@example.org']);
  });

  it.each([
    [{}, 'target'],
    [{ target: 'smtp://u:p@127.0.0.1:25' }, 'target'],
    [{ target: 'smtp://127.0.0.1:25', starttls: 'sometimes' }, 'starttls'],
    [{ target: 'smtp://127.0.0.1:25', timeoutMs: 5 }, 'timeoutMs'],
    [{ target: 'smtp://127.0.0.1:25', to: ['nope'] }, 'to.0'],
    [{ target: 'smtp://127.0.0.1:25', extra: 1 }, 'body'],
  ])('%j → 400 naming %s', async (body, field) => {
    const res = await post(on().httpUrl, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
  });
});
