/**
 * `mailsink probe` against a server that is neither mailsink nor Node: Debian's Postfix in a
 * throwaway configuration on a loopback port, with STARTTLS from a certificate made here. Every
 * stage, Postfix's own capabilities and replies, its queue id, and its refusal to relay.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { probeReportSchema } from '../../server/http/probe-schemas.js';
import { runProbe } from '../../server/probe/probe.js';
import { runCli } from '../helpers/cli.js';
import { startPostfix } from '../helpers/postfix.js';
import type { PostfixServer } from '../helpers/postfix.js';

const DAY_MS = 86_400_000;

describe('probe against Postfix with STARTTLS', () => {
  let postfix: PostfixServer;
  let fingerprint: string;

  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'mx.probe-test.example' }], {
      keyType: 'rsa',
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(Date.now() - DAY_MS),
      notAfterDate: new Date(Date.now() + 30 * DAY_MS),
      extensions: [{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: [{ type: 2, value: 'mx.probe-test.example' }, { type: 7, ip: '127.0.0.1' }] }],
    });
    fingerprint = new X509Certificate(pems.cert).fingerprint256;
    postfix = await startPostfix({ hostname: 'mx.probe-test.example', acceptDomains: ['accepted.example'], tls: { cert: pems.cert, key: pems.private } });
  }, 60_000);
  afterAll(() => postfix?.stop());

  it('reports every stage with Postfix’s replies, STARTTLS details and its queue id', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${postfix.port}`, from: 'probe@sender.example', to: ['someone@accepted.example'], send: true, openRelay: true, ehloName: 'client.example', timeoutMs: 8000 });
    expect(() => probeReportSchema.parse(report)).not.toThrow();
    expect(report.stages.map((stage) => `${stage.stage}:${stage.ok ? 'ok' : 'FAIL'}`)).toEqual(['connect:ok', 'banner:ok', 'ehlo:ok', 'starttls:ok', 'ehlo:ok', 'mailFrom:ok', 'rcptTo:ok', 'data:ok', 'quit:ok']);
    expect(report.banner).toBe('mx.probe-test.example ESMTP Postfix');
    expect(report.ehlo.beforeTls).toEqual({
      hostname: 'mx.probe-test.example',
      lines: ['PIPELINING', 'SIZE 10240000', 'VRFY', 'ETRN', 'STARTTLS', 'ENHANCEDSTATUSCODES', '8BITMIME', 'DSN', 'SMTPUTF8', 'CHUNKING'],
      sizeBytes: 10_240_000,
      pipelining: true,
      eightBitMime: true,
      smtpUtf8: true,
      enhancedStatusCodes: true,
      chunking: true,
      dsn: true,
      startTls: true,
      auth: [],
    });
    expect(report.ehlo.afterTls!.startTls).toBe(false);
    expect(report.tls).toMatchObject({ mode: 'starttls', matchesHost: true, trusted: false });
    expect(report.tls!.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(report.tls!.chain[0]).toMatchObject({ subject: 'mx.probe-test.example', selfSigned: true, daysToExpiry: 29, subjectAltNames: ['DNS:mx.probe-test.example', 'IP Address:127.0.0.1'] });
    expect(report.tls!.chain[0]!.fingerprint256).toBe(fingerprint);
    expect(report.stages.find((stage) => stage.stage === 'mailFrom')!.reply).toEqual({ code: 250, enhancedCode: '2.1.0', text: '2.1.0 Ok' });
    expect(report.stages.find((stage) => stage.stage === 'rcptTo')!.reply).toEqual({ code: 250, enhancedCode: '2.1.5', text: '2.1.5 Ok' });
    expect(report.queueId).toMatch(/^[0-9A-F]{8,}$/);
    expect(report.stages.find((stage) => stage.stage === 'data')!.reply!.text).toBe(`2.0.0 Ok: queued as ${report.queueId}`);
    expect(report.findings).toContainEqual({ level: 'warn', stage: 'banner', text: 'banner names its software (Postfix): attackers learn what to target; most servers can hide it' });
    expect(report.openRelay).toEqual({ tested: true, open: false, reply: { code: 554, enhancedCode: '5.7.1', text: '5.7.1 <relay-check@example.net>: Relay access denied' } });
    expect(report.findings).toContainEqual({ level: 'pass', stage: 'relay', text: 'relay refused without AUTH: 554 5.7.1 <relay-check@example.net>: Relay access denied' });
    expect(report.exitCode).toBe(0);
  });

  it('a recipient Postfix will not take fails at rcptTo with 554 5.7.1 explained, and the CLI exits 17', async () => {
    const result = await runCli(['probe', `smtp://127.0.0.1:${postfix.port}`, '--to', 'someone@elsewhere.example', '--json'], {}, 30_000);
    const report = probeReportSchema.parse(JSON.parse(result.stdout));
    expect(report.stages.find((stage) => stage.stage === 'rcptTo')).toMatchObject({ ok: false, reply: { code: 554, enhancedCode: '5.7.1', text: '5.7.1 <someone@elsewhere.example>: Relay access denied' } });
    const finding = report.findings.find((entry) => entry.level === 'fail')!;
    expect(finding.text).toBe('RCPT TO:<someone@elsewhere.example> refused: 554 5.7.1 <someone@elsewhere.example>: Relay access denied (Transaction failed)');
    expect(finding.explanation!.cause).toMatch(/relay denied/);
    expect(result.status).toBe(17);
  });

  it('the text report names each stage with its time, the certificate and the result line', async () => {
    const result = await runCli(['probe', `smtp://127.0.0.1:${postfix.port}`, '--to', 'someone@accepted.example', '--no-transcript'], {}, 30_000);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^mailsink probe smtp:\/\/127\.0\.0\.1:\d+ · \d{4}-\d\d-\d\dT[\d:.]+Z · [\d,]+ ms$/m);
    for (const stage of ['connect', 'banner', 'ehlo', 'starttls', 'mailFrom', 'rcptTo', 'quit']) expect(result.stdout).toMatch(new RegExp(`^  ✓ ${stage} +[\\d,]+ ms  `, 'm'));
    expect(result.stdout).toContain('  certificate  mx.probe-test.example · issued by mx.probe-test.example (self-signed)');
    expect(result.stdout).not.toContain('Transcript');
    expect(result.stdout).toMatch(/^RESULT {2}0 fail, \d+ warn, \d+ pass · exit 0 \(all stages passed\)$/m);
    expect(result.stdout).not.toContain('\x1b[');
  });
});
