/**
 * `checkAuth` on messages signed by mailauth's own signer (RSA, Ed25519, a short RSA key, a key
 * published through a CNAME), with a resolver over records that counts every question: only the
 * names the message points to are asked for, and nothing outside the records file.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkAuth } from '../../server/checks/auth.js';
import { parseDnsRecords } from '../../server/checks/dns-records.js';
import { createDnsResolver } from '../../server/checks/dns-resolver.js';
import type { CheckInput } from '../../server/checks/service.js';
import type { CheckSettings } from '../../server/checks/settings.js';
import type { StoredMessage } from '../../server/core/store.js';

type Sign = (input: Buffer, options: { signatureData: { signingDomain: string; selector: string; privateKey: string }[] }) => Promise<{ signatures: string; errors: unknown[] }>;
const { dkimSign } = createRequire(import.meta.url)('mailauth/lib/dkim/sign') as { dkimSign: Sign };

const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa512 = generateKeyPairSync('rsa', { modulusLength: 512 });
const ed = generateKeyPairSync('ed25519');
const spki = (key: typeof ed.publicKey) => key.export({ type: 'spki', format: 'der' });
const pem = (key: typeof ed.privateKey) => key.export({ type: 'pkcs8', format: 'pem' }) as string;

const RECORDS = parseDnsRecords(
  [
    `rsa._domainkey.example.test CNAME rsa.keys.provider.test.`,
    `rsa.keys.provider.test TXT "v=DKIM1; k=rsa; p=${spki(rsa2048.publicKey).toString('base64')}"`,
    `ed._domainkey.example.test TXT "v=DKIM1; k=ed25519; p=${spki(ed.publicKey).subarray(-32).toString('base64')}"`,
    `short._domainkey.example.test TXT "v=DKIM1; k=rsa; p=${spki(rsa512.publicKey).toString('base64')}"`,
    'example.test TXT "v=spf1 ip4:192.0.2.10 -all"',
    '_dmarc.example.test TXT "v=DMARC1; p=none"',
  ].join('\n'),
);
const SETTINGS: CheckSettings = { dnsRecords: RECORDS, dnsLive: false, spfClientIp: null, spamassassin: null, linkCheck: false };
const MESSAGE = 'From: App <app@example.test>\r\nTo: user@example.net\r\nSubject: Unit\r\nMessage-ID: <unit@example.test>\r\n\r\nHello.\r\n';

/** The message signed with each (selector, private key), first signature on top; checked from 192.0.2.10 with a counting resolver. */
async function check(signers: [string, string][]) {
  let raw = Buffer.from(MESSAGE);
  for (const [selector, privateKey] of signers.reverse()) {
    const { signatures, errors } = await dkimSign(raw, { signatureData: [{ signingDomain: 'example.test', selector, privateKey }] });
    expect(errors).toEqual([]);
    raw = Buffer.concat([Buffer.from(signatures), raw]);
  }
  const envelope = { mailFrom: 'app@example.test', rcptTo: ['user@example.net'], heloName: 'app.example.test', remoteAddress: '::ffff:192.0.2.10' };
  const input = { message: { envelope, raw } as unknown as StoredMessage, parse: null } as unknown as CheckInput;
  const asked: string[] = [];
  const result = await checkAuth(input, SETTINGS, {}, createDnsResolver(RECORDS, false, (name, rrtype) => asked.push(`${rrtype} ${name}`)));
  return { result, asked };
}

describe('checkAuth', () => {
  it('Ed25519 and RSA signatures (the RSA key through a CNAME), in header order; only the names they point to are asked', async () => {
    const { result, asked } = await check([['ed', pem(ed.privateKey)], ['rsa', pem(rsa2048.privateKey)]]);
    expect(result.dkim.map(({ result, selector, algorithm, keyBits, failure, aligned }) => ({ result, selector, algorithm, keyBits, failure, aligned }))).toEqual([
      { result: 'pass', selector: 'ed', algorithm: 'ed25519-sha256', keyBits: 256, failure: null, aligned: true },
      { result: 'pass', selector: 'rsa', algorithm: 'rsa-sha256', keyBits: 2048, failure: null, aligned: true },
    ]);
    expect([result.clientIp, result.clientIpSource, result.spf.result, result.dmarc.result, result.dmarc.policy, result.summary]).toEqual(['192.0.2.10', 'envelope', 'pass', 'pass', 'none', 'pass']);
    expect(asked.sort()).toEqual(['TXT _dmarc.example.test', 'TXT ed._domainkey.example.test', 'TXT example.test', 'TXT rsa._domainkey.example.test']);
  });

  it('a key under 1024 bits is refused by policy, with its size', async () => {
    const { result } = await check([['short', pem(rsa512.privateKey)]]);
    expect(result.dkim).toEqual([
      { result: 'policy', domain: 'example.test', selector: 'short', algorithm: 'rsa-sha256', keyBits: 512, failure: 'key-invalid', aligned: true, info: 'the key at short._domainkey.example.test is shorter than 1024 bits' },
    ]);
    expect(result.authenticationResults).toMatch(/^Authentication-Results: mailsink;\r\n dkim=policy policy\.dkim-rules=weak-key header\.i=@example\.test header\.s=short /);
  });

  it('an unsigned message asks only for SPF and DMARC', async () => {
    const { result, asked } = await check([]);
    expect([result.dkim, result.summary]).toEqual([[], 'pass']);
    expect(asked.sort()).toEqual(['TXT _dmarc.example.test', 'TXT example.test']);
  });
});
