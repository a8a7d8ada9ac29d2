/**
 * The probe's certificate findings, against mailsink serving certificates made in the test
 * (`--tls-cert`): one that expires in 5 days, one for another name, an expired one, and one
 * self-signed for the right name.
 */
import { describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { runProbe } from '../../server/probe/probe.js';
import type { ProbeReport } from '../../server/probe/report.js';
import type { Sink } from '../../server/sink.js';
import { startTestSink } from '../helpers/sink.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const DAY_MS = 86_400_000;

async function certificate(options: { cn: string; names: { type: 2 | 7; value?: string; ip?: string }[]; notAfter: Date }): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: options.cn }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY_MS),
    notAfterDate: options.notAfter,
    extensions: [{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: options.names }],
  });
  return { cert: pems.cert, key: pems.private };
}

async function probeWith(write: (name: string, text: string) => string, pems: { cert: string; key: string }, name: string): Promise<ProbeReport> {
  const sink: Sink = await startTestSink({ tlsCert: write(`${name}.crt`, pems.cert), tlsKey: write(`${name}.key`, pems.key), smtpsPort: 0 });
  try {
    return await runProbe({ target: `smtps://127.0.0.1:${sink.smtpsPort}` });
  } finally {
    await sink.stop();
  }
}

const tlsTexts = (report: ProbeReport) => report.findings.filter((finding) => finding.stage === 'tls').map((finding) => `${finding.level}: ${finding.text}`);

describe('probe certificate findings', () => {
  const write = useTmpFiles();

  it('a certificate that expires in 5 days is a warning naming the days left', async () => {
    const notAfter = new Date(Date.now() + 5 * DAY_MS + 3_600_000);
    const report = await probeWith(write, await certificate({ cn: 'soon.example', names: [{ type: 7, ip: '127.0.0.1' }], notAfter }), 'soon');
    expect(report.tls!.chain[0]!.daysToExpiry).toBe(5);
    expect(tlsTexts(report)).toContain(`warn: certificate expires in 5 days (${new Date(Math.floor(notAfter.getTime() / 1000) * 1000).toISOString()})`);
    expect(report.exitCode).toBe(0);
  });

  it('an expired certificate is a failure, exit 2', async () => {
    const report = await probeWith(write, await certificate({ cn: 'old.example', names: [{ type: 7, ip: '127.0.0.1' }], notAfter: new Date(Date.now() - 3 * DAY_MS + 3_600_000) }), 'old');
    expect(tlsTexts(report).some((text) => /^fail: certificate expired 3 days ago/.test(text))).toBe(true);
    expect(report.exitCode).toBe(2);
  });

  it('a certificate for another name fails the host check and names what it is for', async () => {
    const report = await probeWith(write, await certificate({ cn: 'other.example', names: [{ type: 2, value: 'other.example' }], notAfter: new Date(Date.now() + 90 * DAY_MS) }), 'other');
    expect(report.tls!.matchesHost).toBe(false);
    expect(tlsTexts(report)).toContain('fail: certificate is not valid for 127.0.0.1 (it names DNS:other.example)');
    expect(report.exitCode).toBe(2);
  });

  it('a self-signed certificate for the right name is a warning only', async () => {
    const report = await probeWith(write, await certificate({ cn: 'localhost', names: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }], notAfter: new Date(Date.now() + 90 * DAY_MS) }), 'self');
    expect(report.tls!.chain).toHaveLength(1);
    expect(report.tls!.chain[0]).toMatchObject({ subject: 'localhost', issuer: 'localhost', selfSigned: true, subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'] });
    expect(tlsTexts(report)).toEqual([
      'pass: TLSv1.3 with TLS_AES_256_GCM_SHA384',
      'pass: certificate valid for 89 more days',
      'pass: certificate names 127.0.0.1',
      'warn: certificate is self-signed: clients that verify will refuse it',
    ]);
    expect(report.exitCode).toBe(0);
  });
});
