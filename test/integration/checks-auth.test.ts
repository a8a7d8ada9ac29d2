/**
 * `GET /api/messages/:id/checks/auth` over real sockets: nodemailer signs with DKIM keys made here,
 * a `--dns-records` file publishes the keys and the SPF and DMARC policies, and every answer is
 * compared whole. mailauth's `authenticate` is wrapped (not replaced) to count when checks run.
 */
import { generateKeyPairSync } from 'node:crypto';
import { authenticate } from 'mailauth';
import nodemailer from 'nodemailer';
import { describe, expect, it, vi } from 'vitest';
import type { AuthCheck, DkimSignatureCheck } from '../../server/checks/auth-types.js';
import type { Sink } from '../../server/sink.js';
import { runCli } from '../helpers/cli.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw, transport } from '../helpers/smtp.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

vi.mock('mailauth', async (importOriginal) => {
  const actual = await importOriginal<typeof import('mailauth')>();
  return { ...actual, authenticate: vi.fn(actual.authenticate) };
});

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const signing = rsa(); // published at s1 (and, wrongly, at s2)
const other = rsa(); // signs as s2
const publicKey = (pair: ReturnType<typeof rsa>) => pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const privateKey = (pair: ReturnType<typeof rsa>) => pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const p = publicKey(signing);

const RECORDS = [
  '# example.test: the DKIM key of selector s1 in three strings, SPF, DMARC p=reject',
  `s1._domainkey.Example.Test. TXT "v=DKIM1; k=rsa; " "p=${p.slice(0, 200)}" "${p.slice(200)}"`,
  `s2._domainkey.example.test TXT "v=DKIM1; k=rsa; p=${p}"  # not the key s2 signs with`,
  'example.test TXT "v=spf1 ip4:192.0.2.10 -all"',
  '_dmarc.example.test TXT "v=DMARC1; p=reject"',
  '',
  'other.test TXT "v=spf1 ip4:192.0.2.30 -all"',
  '_dmarc.other.test TXT "v=DMARC1; p=quarantine"',
  'soft.test TXT "v=spf1 ip4:192.0.2.20 ~all"',
].join('\n');

const HELO = 'client.example.test';
const dkim = (selector: 's1' | 's2') => ({ domainName: 'example.test', keySelector: selector, privateKey: privateKey(selector === 's1' ? signing : other) });

/** Sends a message through nodemailer (signed when `selector` is given); resolves with its id. */
async function send(sink: Sink, from: string, selector?: 's1' | 's2', text = 'Hello from the test.\n'): Promise<string> {
  const t = transport(sink, { name: HELO, ...(selector ? { dkim: dkim(selector) } : {}) });
  try {
    const info = await t.sendMail({ from, to: 'inbox@receiver.test', subject: 'Auth check', text });
    return info.response.split(' ').pop()!;
  } finally {
    t.close();
  }
}

const auth = (sink: Sink, id: string, query = '') => api<AuthCheck>(sink, `/api/messages/${id}/checks/auth${query}`);

/** `header.b=` as mailauth writes it: the signature's first 8 characters, quoted when they hold `/` (RFC 8601 value syntax). */
async function headerB(sink: Sink, id: string): Promise<string> {
  const raw = (await fetchBytes(sink, `/api/messages/${id}/raw`)).body.toString('latin1');
  const b = /^DKIM-Signature:(?:.*\r\n[ \t])*.*?\bb=([^;]*)/im.exec(raw.replace(/\r\n(?=[ \t])/g, ''))![1]!.replace(/\s+/g, '').slice(0, 8);
  return /[/=]/.test(b) ? `"${b}"` : b;
}

const signature = (over: Partial<DkimSignatureCheck>): DkimSignatureCheck => ({
  result: 'pass', domain: 'example.test', selector: 's1', algorithm: 'rsa-sha256', keyBits: 2048, failure: null, aligned: true,
  info: 'verified: signed by example.test with selector s1 (rsa-sha256, 2048-bit key)', ...over,
});
const NO_ARC = { result: 'none', instances: 0, info: 'no ARC header fields' } as const;
const spfLine = (result: string, comment: string, mailFrom: string) => `spf=${result} (mailsink: ${comment}) smtp.mailfrom=${mailFrom} smtp.helo=${HELO}`;

describe('auth check with --dns-records', () => {
  const write = useTmpFiles();
  const sink = useSink({ dnsRecords: write('records.txt', RECORDS) });

  it('a message signed by example.test: DKIM pass (key from three strings), DMARC pass through DKIM, SPF fail for 127.0.0.1', async () => {
    const id = await send(sink(), 'Sender <sender@example.test>', 's1');
    const b = await headerB(sink(), id);
    expect(await auth(sink(), id)).toEqual({
      clientIp: '127.0.0.1', clientIpSource: 'envelope', dnsSource: 'records', fromDomain: 'example.test',
      dkim: [signature({})],
      arc: NO_ARC,
      dmarc: { result: 'pass', domain: 'example.test', policy: 'reject', alignment: { dkim: true, spf: false }, info: 'passed for example.test: DKIM aligned (p=reject)' },
      spf: { result: 'fail', domain: 'example.test', clientIp: '127.0.0.1', info: 'domain of sender@example.test does not designate 127.0.0.1 as permitted sender' },
      authenticationResults: [
        'Authentication-Results: mailsink;',
        ` dkim=pass header.i=@example.test header.s=s1 header.a=rsa-sha256 header.b=${b};`,
        ' spf=fail (mailsink: domain of sender@example.test does not designate 127.0.0.1 as permitted sender) smtp.mailfrom=sender@example.test',
        ' smtp.helo=client.example.test;', // mailauth folds at 160 characters
        ' dmarc=pass (p=REJECT arc=none) header.from=example.test header.d=example.test',
      ].join('\r\n'),
      summary: 'pass',
    });

    const permitted = await auth(sink(), id, '?clientIp=192.0.2.10');
    expect([permitted.clientIp, permitted.clientIpSource, permitted.spf, permitted.dmarc.alignment]).toEqual([
      '192.0.2.10', 'request',
      { result: 'pass', domain: 'example.test', clientIp: '192.0.2.10', info: 'domain of sender@example.test designates 192.0.2.10 as permitted sender' },
      { dkim: true, spf: true },
    ]);
    expect(permitted.authenticationResults).toContain(`\r\n ${spfLine('pass', 'domain of sender@example.test designates 192.0.2.10 as permitted sender', 'sender@example.test')};\r\n`);
  });

  it('the body changed after signing: DKIM fail (body hash), DMARC fail; summary fail even when SPF saves DMARC', async () => {
    const built = await nodemailer
      .createTransport({ streamTransport: true, buffer: true, newline: 'windows', dkim: dkim('s1') })
      .sendMail({ from: 'sender@example.test', to: 'inbox@receiver.test', subject: 'Tampered', text: 'Pay 100 EUR.\n' });
    const signed = built.message as Buffer;
    const at = signed.indexOf('\r\n\r\nPay 100 EUR.') + 4;
    expect(at).toBeGreaterThan(4);
    const tampered = Buffer.concat([signed.subarray(0, at), Buffer.from('Pay 900 EUR.'), signed.subarray(at + 12)]);
    const info = await sendRaw(sink(), { from: 'sender@example.test', to: ['inbox@receiver.test'] }, tampered);
    const id = info.response.split(' ').pop()!;
    const result = await auth(sink(), id, '?clientIp=198.51.100.7');
    expect({ ...result, authenticationResults: undefined }).toEqual({
      clientIp: '198.51.100.7', clientIpSource: 'request', dnsSource: 'records', fromDomain: 'example.test',
      dkim: [signature({ result: 'fail', failure: 'body-hash', info: 'body hash did not verify: the body was changed after example.test signed it' })],
      arc: NO_ARC,
      dmarc: { result: 'fail', domain: 'example.test', policy: 'reject', alignment: { dkim: false, spf: false }, info: 'failed for example.test: neither a DKIM signature nor SPF passed aligned with it; a receiver applies p=reject' },
      spf: { result: 'fail', domain: 'example.test', clientIp: '198.51.100.7', info: 'domain of sender@example.test does not designate 198.51.100.7 as permitted sender' },
      authenticationResults: undefined,
      summary: 'fail',
    });
    // mailauth, like Gmail, writes a body hash mismatch as dkim=neutral
    expect(result.authenticationResults).toMatch(/^Authentication-Results: mailsink;\r\n dkim=neutral \(body hash did not verify\) header\.i=@example\.test header\.s=s1 /);
    expect(result.authenticationResults).toMatch(/\r\n dmarc=fail \(p=REJECT arc=none\) header\.from=example\.test header\.d=example\.test$/);
 
    // From an address SPF permits, DMARC passes on SPF alone; the broken signature still makes the summary fail.
    const viaSpf = await auth(sink(), id, '?clientIp=192.0.2.10');
    expect([viaSpf.dkim[0]!.failure, viaSpf.spf.result, viaSpf.dmarc.result, viaSpf.dmarc.alignment, viaSpf.summary]).toEqual(['body-hash', 'pass', 'pass', { dkim: false, spf: true }, 'fail']);
  });

  it('a key in DNS that is not the signer\'s: DKIM fail (signature)', async () => {
    const id = await send(sink(), 'sender@example.test', 's2');
    const result = await auth(sink(), id);
    expect(result.dkim).toEqual([
      signature({ result: 'fail', selector: 's2', failure: 'signature', info: "signature did not verify with the key at s2._domainkey.example.test: signed header fields were changed, or the key is not the signer's" }),
    ]);
    expect([result.dmarc.result, result.summary]).toEqual(['fail', 'fail']);
    expect(result.authenticationResults).toContain(`\r\n dkim=fail (bad signature) header.i=@example.test header.s=s2 header.a=rsa-sha256 header.b=${await headerB(sink(), id)};\r\n`);
  });

  it('From another domain, signed by example.test: DKIM pass but not aligned, DMARC of other.test fails (passes only through SPF)', async () => {
    const id = await send(sink(), 'news@other.test', 's1');
    const result = await auth(sink(), id);
    expect(result).toMatchObject({ fromDomain: 'other.test', dkim: [signature({ aligned: false })], summary: 'fail' });
    expect(result.dmarc).toEqual({
      result: 'fail', domain: 'other.test', policy: 'quarantine', alignment: { dkim: false, spf: false },
      info: 'failed for other.test: neither a DKIM signature nor SPF passed aligned with it; a receiver applies p=quarantine',
    });
    expect((await auth(sink(), id, '?clientIp=192.0.2.30')).dmarc).toEqual({
      result: 'pass', domain: 'other.test', policy: 'quarantine', alignment: { dkim: false, spf: true }, info: 'passed for other.test: SPF aligned (p=quarantine)',
    });
  });

  it('SPF pass, softfail and fail for the client address given by ?clientIp=', async () => {
    const id = await send(sink(), 'app@soft.test');
    const spf = async (ip: string) => (await auth(sink(), id, `?clientIp=${ip}`)).spf;
    expect(await spf('192.0.2.20')).toEqual({ result: 'pass', domain: 'soft.test', clientIp: '192.0.2.20', info: 'domain of app@soft.test designates 192.0.2.20 as permitted sender' });
    expect(await spf('192.0.2.99')).toEqual({ result: 'softfail', domain: 'soft.test', clientIp: '192.0.2.99', info: 'domain of transitioning app@soft.test does not designate 192.0.2.99 as permitted sender' });
    expect(await spf('2001:db8::1')).toEqual({ result: 'softfail', domain: 'soft.test', clientIp: '2001:db8::1', info: 'domain of transitioning app@soft.test does not designate 2001:db8::1 as permitted sender' });
    const unsigned = await auth(sink(), id);
    expect([unsigned.dkim, unsigned.dmarc.result, unsigned.dmarc.info, unsigned.summary]).toEqual([[], 'none', 'no DMARC record for soft.test (looked up _dmarc.soft.test)', 'none']);
    expect(unsigned.authenticationResults).toMatch(/^Authentication-Results: mailsink;\r\n dkim=none \(message not signed\);\r\n spf=softfail /);
  });

  it('a bad clientIp is a 400 naming the field', async () => {
    const id = await send(sink(), 'app@soft.test');
    for (const bad of ['999.1.1.1', 'example.test', '']) {
      const res = await fetch(`${sink().httpUrl}/api/messages/${id}/checks/auth?clientIp=${bad}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_request', message: 'invalid query field "clientIp": expected an IPv4 or IPv6 address', field: 'clientIp' } });
    }
  });

  it('nothing runs at ingest: mailauth runs on the first GET, and once per client address (cached)', async () => {
    const id = await send(sink(), 'sender@example.test', 's1', 'Counted once.\n');
    const raw = (await fetchBytes(sink(), `/api/messages/${id}/raw`)).body;
    await api(sink(), `/api/messages/${id}`); // stored and parsed
    const runs = () => vi.mocked(authenticate).mock.calls.filter(([input]) => Buffer.isBuffer(input) && input.equals(raw)).length;
    expect(runs()).toBe(0);
    const first = await auth(sink(), id);
    expect(runs()).toBe(1);
    expect(await auth(sink(), id)).toEqual(first);
    expect(runs()).toBe(1);
    await auth(sink(), id, '?clientIp=192.0.2.10');
    expect(runs()).toBe(2);
  });
});

describe('auth check with --spf-client-ip', () => {
  const write = useTmpFiles();
  const sink = useSink({ dnsRecords: write('records.txt', RECORDS), spfClientIp: '192.0.2.99' });

  it('evaluates SPF for the option\'s address; ?clientIp= still wins', async () => {
    const id = await send(sink(), 'app@soft.test');
    const byOption = await auth(sink(), id);
    expect([byOption.clientIp, byOption.clientIpSource, byOption.spf.result]).toEqual(['192.0.2.99', 'option', 'softfail']);
    const byRequest = await auth(sink(), id, '?clientIp=192.0.2.20');
    expect([byRequest.clientIp, byRequest.clientIpSource, byRequest.spf.result]).toEqual(['192.0.2.20', 'request', 'pass']);
  });
});

describe('auth check without DNS', () => {
  const sink = useSink();

  it('offline and without records every name is missing: no key, no SPF, no DMARC record', async () => {
    const id = await send(sink(), 'sender@example.test', 's1');
    const result = await auth(sink(), id);
    expect([result.dnsSource, result.dkim, result.spf.result, result.dmarc.result, result.summary]).toEqual([
      'none',
      [signature({ result: 'neutral', keyBits: null, failure: 'key-missing', info: 'no DKIM key at s1._domainkey.example.test' })],
      'none',
      'none',
      'none',
    ]);
  });
});

describe('mailsink --dns-records', () => {
  const write = useTmpFiles();

  it('a bad records file exits 1 with one line naming the option, the file and the line', async () => {
    const file = write('bad-records.txt', '# ok\nexample.test TXT "v=spf1 -all"\nexample.test MX mx.example.test\n');
    const result = await runCli(['--dns-records', file]);
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: `mailsink: invalid --dns-records: ${file} line 3: expected the MX value as PRIORITY EXCHANGE (0–65535 and a name), got "mx.example.test"\n`,
    });
  });
});
