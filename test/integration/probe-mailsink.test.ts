/**
 * `mailsink probe` (runProbe over real sockets) against mailsink itself in every shape: plain,
 * STARTTLS, implicit TLS, `--auth-users`, `--require-tls`, and fault rules that refuse at connect
 * (421), AUTH (535) and RCPT TO (550) or delay MAIL FROM. Each shows up at its stage with its
 * reply, explanation and exit code; secrets never reach the report.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeReportSchema } from '../../server/http/probe-schemas.js';
import { runProbe } from '../../server/probe/probe.js';
import type { ProbeReport } from '../../server/probe/report.js';
import { api, useSink } from '../helpers/sink.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const stageNames = (report: ProbeReport) => report.stages.map((stage) => `${stage.stage}:${stage.ok ? 'ok' : 'FAIL'}`);
const stage = (report: ProbeReport, name: string) => report.stages.find((entry) => entry.stage === name);
const fails = (report: ProbeReport) => report.findings.filter((finding) => finding.level === 'fail');

describe('probe against a plain mailsink', () => {
  const sink = useSink();

  it('walks connect, banner, EHLO, STARTTLS, EHLO, MAIL FROM, RCPT TO, QUIT with timings and a valid report', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, to: ['someone@example.org'], ehloName: 'probe.example' });
    expect(() => probeReportSchema.parse(report)).not.toThrow();
    expect(report.target).toBe(`smtp://127.0.0.1:${sink().smtpPort}`);
    expect(stageNames(report)).toEqual(['connect:ok', 'banner:ok', 'ehlo:ok', 'starttls:ok', 'ehlo:ok', 'mailFrom:ok', 'rcptTo:ok', 'quit:ok']);
    for (const entry of report.stages) expect(Number.isInteger(entry.ms) && entry.ms >= 0).toBe(true);
    expect(stage(report, 'banner')!.reply).toEqual({ code: 220, enhancedCode: null, text: 'mailsink ESMTP ready' });
    expect(report.ehlo.beforeTls).toMatchObject({ hostname: 'mailsink', startTls: true, pipelining: true, eightBitMime: true, smtpUtf8: true, sizeBytes: 52_428_800, auth: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] });
    expect(report.ehlo.afterTls).toMatchObject({ startTls: false, sizeBytes: 52_428_800 });
    expect(report.tls).toMatchObject({ mode: 'starttls', protocol: 'TLSv1.3', matchesHost: true, trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(report.tls!.chain[0]).toMatchObject({ subject: 'mailsink', issuer: 'mailsink', selfSigned: true, fingerprint256: sink().tls.fingerprint256 });
    expect(report.findings).toContainEqual({ level: 'warn', stage: 'ehlo', text: 'AUTH offered before TLS (PLAIN LOGIN CRAM-MD5 XOAUTH2): credentials can travel in clear text' });
    expect(report.findings).toContainEqual({ level: 'warn', stage: 'starttls', text: 'certificate is self-signed: clients that verify will refuse it' });
    expect(report.findings).toContainEqual({ level: 'warn', stage: 'banner', text: 'banner names its software (mailsink): attackers learn what to target; most servers can hide it' });
    expect(report.transcript.filter((line) => line.direction === 'client').map((line) => line.text)).toEqual(['EHLO probe.example', 'STARTTLS', 'EHLO probe.example', 'MAIL FROM:<probe@example.com>', 'RCPT TO:<someone@example.org>', 'RSET', 'QUIT']);
    expect(fails(report)).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  it('--send delivers one message, and the queue id is the stored message id', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, from: 'probe-sender@example.org', to: ['inbox@example.org'], send: true });
    expect(stage(report, 'data')).toMatchObject({ ok: true, reply: { code: 250, enhancedCode: '2.0.0' } });
    expect(report.queueId).toMatch(/^[\w-]{8,}$/);
    const stored = await api<{ id: string; subject: string; envelope: { mailFrom: string; rcptTo: string[] } }>(sink(), `/api/messages/${report.queueId}`);
    expect(stored.subject).toMatch(/^mailsink probe test message [0-9a-f]{16}$/);
    expect(stored.envelope).toMatchObject({ mailFrom: 'probe-sender@example.org', rcptTo: ['inbox@example.org'] });
  });

  it('--starttls never stays in clear text; implicit TLS is not tried', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, starttls: 'never' });
    expect(stageNames(report)).toEqual(['connect:ok', 'banner:ok', 'ehlo:ok', 'mailFrom:ok', 'rcptTo:ok', 'quit:ok']);
    expect(report.tls).toBeNull();
    expect(stage(report, 'rcptTo')!.detail).toBe('postmaster@example.com');
  });

  it('--open-relay: a sink accepts any recipient, which is an open relay, exit 2', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, openRelay: true });
    expect(report.openRelay).toEqual({ tested: true, open: true, reply: { code: 250, enhancedCode: expect.toSatisfy((v: unknown) => v === null || v === '2.1.5'), text: expect.stringContaining('Accepted') } });
    expect(fails(report).map((finding) => finding.stage)).toEqual(['relay']);
    expect(report.exitCode).toBe(2);
  });
});

describe('probe against implicit TLS (SMTPS)', () => {
  const sink = useSink({ smtpsPort: 0 });

  it('reports a tls stage before the banner and EHLO inside TLS', async () => {
    const report = await runProbe({ target: `smtps://127.0.0.1:${sink().smtpsPort}` });
    expect(stageNames(report)).toEqual(['connect:ok', 'tls:ok', 'banner:ok', 'ehlo:ok', 'mailFrom:ok', 'rcptTo:ok', 'quit:ok']);
    expect(report.tls).toMatchObject({ mode: 'implicit', protocol: 'TLSv1.3' });
    expect(report.ehlo).toMatchObject({ beforeTls: null, afterTls: { startTls: false } });
    expect(report.findings.some((finding) => finding.text.startsWith('AUTH offered before TLS'))).toBe(false);
  });
});

describe('probe with --auth-users', () => {
  const write = useTmpFiles();
  const sink = useSink({ authUsers: write('users', 'alice:wonderland-42\n') });

  it('AUTH PLAIN accepted over STARTTLS, and the password is nowhere in the report', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, auth: { user: 'alice', pass: 'wonderland-42' } });
    expect(stage(report, 'auth')).toMatchObject({ ok: true, reply: { code: 235 }, detail: 'AUTH PLAIN as alice' });
    const json = JSON.stringify(report);
    expect(json).not.toContain('wonderland-42');
    expect(json).not.toContain(Buffer.from('\0alice\0wonderland-42').toString('base64'));
    expect(report.transcript.map((line) => line.text)).toContain('AUTH PLAIN ********');
    expect(report.exitCode).toBe(0);
  });

  it('a wrong password fails at auth with 535 5.7.8 explained, exit 15', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, auth: { user: 'alice', pass: 'wrong' } });
    expect(stageNames(report)).toEqual(['connect:ok', 'banner:ok', 'ehlo:ok', 'starttls:ok', 'ehlo:ok', 'auth:FAIL', 'quit:ok']);
    expect(stage(report, 'auth')!.reply).toMatchObject({ code: 535, enhancedCode: '5.7.8' });
    const [finding] = fails(report);
    expect(finding).toMatchObject({ stage: 'auth', text: expect.stringMatching(/^AUTH PLAIN as alice refused: 535 5\.7\.8 .*\(Authentication failed\)$/) });
    expect(finding!.explanation!.cause).toMatch(/user name or password is wrong/);
    expect(report.exitCode).toBe(15);
  });
});

describe('probe against --require-tls without STARTTLS', () => {
  const sink = useSink({ requireTls: true });

  it('MAIL FROM gets 530 5.7.0, explained, exit 16', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, starttls: 'never' });
    expect(stage(report, 'mailFrom')).toMatchObject({ ok: false, reply: { code: 530, enhancedCode: '5.7.0' } });
    expect(fails(report)[0]!.explanation!.action).toMatch(/Enable STARTTLS/);
    expect(report.exitCode).toBe(16);
  });

  it('--starttls require passes here', async () => {
    const ok = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, starttls: 'require' });
    expect(ok.stages.map((entry) => entry.stage)).toContain('starttls');
    expect(ok.exitCode).toBe(0);
  });
});

describe('probe against a 421 at connect', () => {
  const sink = useSink({ faults: [{ stage: 'connect', reply: { code: 421, enhancedCode: '4.3.2', text: 'Too busy, try later' } }] });

  it('421 at connect fails the banner stage, exit 11, without a QUIT after the close', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}` });
    expect(stageNames(report)).toEqual(['connect:ok', 'banner:FAIL']);
    expect(stage(report, 'banner')!.reply).toEqual({ code: 421, enhancedCode: '4.3.2', text: '4.3.2 Too busy, try later' });
    expect(fails(report)[0]!.explanation!.action).toMatch(/^Retry later with backoff/);
    expect(report.exitCode).toBe(11);
  });
});

describe('probe against fault rules', () => {
  const sink = useSink({
    faults: [
      { stage: 'auth', match: { authUser: 'locked' }, reply: { code: 535, enhancedCode: '5.7.8', text: 'Account locked' } },
      { stage: 'rcptTo', match: { rcptTo: '*@gone.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user here' } },
      { stage: 'mailFrom', match: { mailFrom: 'slow@example.org' }, delayMs: 250 },
    ],
  });

  it('535 at AUTH fails the auth stage, exit 15', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, auth: { user: 'locked', pass: 'x' } });
    expect(stage(report, 'auth')!.reply).toEqual({ code: 535, enhancedCode: '5.7.8', text: '5.7.8 Account locked' });
    expect(report.exitCode).toBe(15);
  });

  it('550 at RCPT TO fails the rcptTo stage with the mailbox explanation, exit 17', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, to: ['x@gone.example'] });
    expect(stage(report, 'rcptTo')).toMatchObject({ ok: false, reply: { code: 550, enhancedCode: '5.1.1', text: '5.1.1 No such user here' } });
    expect(fails(report)[0]).toMatchObject({ stage: 'rcptTo', text: 'RCPT TO:<x@gone.example> refused: 550 5.1.1 No such user here (Mailbox unavailable)' });
    expect(fails(report)[0]!.explanation!.cause).toMatch(/recipient does not exist/);
    expect(report.exitCode).toBe(17);
  });

  it('a delay at MAIL FROM shows in that stage’s time, not in the others', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, from: 'slow@example.org', starttls: 'never' });
    expect(stage(report, 'mailFrom')).toMatchObject({ ok: true, reply: { code: 250 } });
    expect(stage(report, 'mailFrom')!.ms).toBeGreaterThanOrEqual(250);
    expect(report.exitCode).toBe(0);
  });
});

describe('probe against nothing', () => {
  it('a closed port fails at connect with ECONNREFUSED, explained, exit 10', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as net.AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const report = await runProbe({ target: `smtp://127.0.0.1:${port}` });
    expect(stageNames(report)).toEqual(['connect:FAIL']);
    expect(stage(report, 'connect')!.detail).toMatch(/^ECONNREFUSED/);
    expect(fails(report)[0]!.explanation!.cause).toMatch(/Nothing listens on that port/);
    expect(report.exitCode).toBe(10);
  });

  it('--starttls require fails at starttls against a server that does not offer it, exit 14', async () => {
    const server = net.createServer((socket) => {
      socket.write('220 plain.example ESMTP\r\n');
      socket.on('data', (chunk) => {
        const line = chunk.toString();
        socket.write(line.startsWith('EHLO') ? '250-plain.example\r\n250 8BITMIME\r\n' : line.startsWith('QUIT') ? '221 Bye\r\n' : '500 5.5.2 What?\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const report = await runProbe({ target: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, starttls: 'require' });
      expect(stageNames(report)).toEqual(['connect:ok', 'banner:ok', 'ehlo:ok', 'starttls:FAIL', 'quit:ok']);
      expect(report.findings).toContainEqual({ level: 'fail', stage: 'ehlo', text: 'STARTTLS not offered: mail and credentials travel in clear text' });
      expect(report.exitCode).toBe(14);
    } finally {
      server.close();
    }
  });

  it('a server that is not SMTP fails at the banner with the line it sent', async () => {
    const server = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const report = await runProbe({ target: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}` });
      expect(stage(report, 'banner')).toMatchObject({ ok: false, detail: 'not an SMTP reply: "HTTP/1.1 400 Bad Request"' });
      expect(report.exitCode).toBe(11);
    } finally {
      server.close();
    }
  });
});
