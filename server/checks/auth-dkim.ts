/**
 * DKIM signatures as mailauth verified them (RFC 6376 §6), in the shape of {@link DkimSignatureCheck}.
 */
import { createPublicKey } from 'node:crypto';
import type { MailauthDkimResult } from 'mailauth';
import type { AuthResult, DkimFailure, DkimSignatureCheck } from './auth-types.js';
import type { DnsResolver } from './dns-resolver.js';

const RESULTS: ReadonlySet<string> = new Set<AuthResult>(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);

/** A result keyword of mailauth as an {@link AuthResult} (anything unknown is `neutral`). */
export function authResult(value: string | undefined): AuthResult {
  return value !== undefined && RESULTS.has(value) ? (value as AuthResult) : 'neutral';
}

/**
 * The signatures of a message (mailauth's "message not signed" row is left out).
 * @param resolve - Used only to read the key of a signature whose body hash failed or whose key mailauth refused (it returns no key then), for `keyBits`.
 */
export async function dkimSignatures(rows: readonly MailauthDkimResult[], resolve: DnsResolver): Promise<DkimSignatureCheck[]> {
  return Promise.all(rows.filter((row) => row.signingDomain).map((row) => dkimSignature(row, resolve)));
}

async function dkimSignature(row: MailauthDkimResult, resolve: DnsResolver): Promise<DkimSignatureCheck> {
  const { result, failure } = classify(row);
  const domain = row.signingDomain ?? null;
  const selector = row.selector ?? null;
  let keyBits = row.publicKey ? pemKeyBits(row.publicKey) : null;
  const keyNotRead = failure === 'body-hash' || failure === 'key-invalid';
  if (keyBits === null && keyNotRead && domain && selector) keyBits = await publishedKeyBits(`${selector}._domainkey.${domain}`, resolve);
  const check = { result, domain, selector, algorithm: row.algo ?? null, keyBits, failure, aligned: Boolean(row.status.aligned) };
  return { ...check, info: dkimInfo(check, row.status.comment) };
}

/** RFC 6376 §6.1: a body hash or signature that does not verify is a PERMFAIL, written `fail` (RFC 8601 §2.7.1). */
function classify(row: MailauthDkimResult): { result: AuthResult; failure: DkimFailure | null } {
  const { result, comment = '' } = row.status;
  if (result === 'pass') return { result: 'pass', failure: null };
  if (result === 'fail') return { result: 'fail', failure: 'signature' };
  if (result === 'policy') return { result: 'policy', failure: 'key-invalid' };
  if (result === 'temperror') return { result: 'temperror', failure: 'other' };
  if (comment === 'body hash did not verify') return { result: 'fail', failure: 'body-hash' };
  if (comment === 'no key') return { result: authResult(result), failure: 'key-missing' };
  if (/key/.test(comment)) return { result: authResult(result), failure: 'key-invalid' };
  return { result: authResult(result), failure: 'other' };
}

function dkimInfo(check: Omit<DkimSignatureCheck, 'info'>, comment: string | undefined): string {
  const { domain, selector, algorithm, keyBits } = check;
  const key = `${selector}._domainkey.${domain}`;
  switch (check.failure) {
    case null:
      return `verified: signed by ${domain} with selector ${selector} (${algorithm}${keyBits ? `, ${keyBits}-bit key` : ''})`;
    case 'body-hash':
      return `body hash did not verify: the body was changed after ${domain} signed it`;
    case 'signature':
      return `signature did not verify with the key at ${key}: signed header fields were changed, or the key is not the signer's`;
    case 'key-missing':
      return `no DKIM key at ${key}`;
    case 'key-invalid':
      return check.result === 'policy' ? `the key at ${key} is shorter than 1024 bits` : `unusable key at ${key}: ${comment ?? 'invalid'}`;
    default:
      return `not verified: ${comment ?? check.result}`;
  }
}

/** Bits of a PEM public key: the RSA modulus, 256 for Ed25519; `null` if unreadable. */
function pemKeyBits(pem: string): number | null {
  try {
    return keyBits(createPublicKey(pem));
  } catch {
    return null;
  }
}

function keyBits(key: ReturnType<typeof createPublicKey>): number | null {
  if (key.asymmetricKeyType === 'ed25519') return 256;
  return key.asymmetricKeyDetails?.modulusLength ?? null;
}

/** Bits of the key published at `name` (its `p=` tag, RFC 6376 §3.6.1); `null` when missing or unreadable. */
async function publishedKeyBits(name: string, resolve: DnsResolver): Promise<number | null> {
  try {
    const records = (await resolve(name, 'TXT')) as string[][];
    const text = records[0]?.join('') ?? '';
    const p = /(?:^|;)\s*p\s*=([^;]*)/.exec(text)?.[1]?.replace(/\s+/g, '');
    if (!p) return null;
    const der = Buffer.from(p, 'base64');
    if (der.length === 32) return 256; // a bare Ed25519 key (RFC 8463 §4.2)
    return keyBits(createPublicKey({ key: der, format: 'der', type: 'spki' }));
  } catch {
    return null;
  }
}
