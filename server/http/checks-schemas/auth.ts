/**
 * Response schema of `GET /api/messages/:id/checks/auth` (OpenAPI, and the test that real answers
 * validate): exactly `AuthCheck` of `server/checks/auth-types.ts` (the unit test
 * `test/unit/dns-records.test.ts` checks both ways with the type checker).
 */
import { z } from 'zod';

const authResult = z
  .enum(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy'])
  .describe('Result keyword of RFC 8601 §2.7 (`policy`: refused by local policy, e.g. a DKIM key under 1024 bits)');

const dkimSignatureSchema = z.strictObject({
  result: authResult.describe('`fail` when the body hash or the signature did not verify (RFC 6376 §6.1.3), `neutral` for a missing or unusable key'),
  domain: z.string().nullable().describe('`d=`, the signing domain'),
  selector: z.string().nullable().describe('`s=`; the key is at `{selector}._domainkey.{domain}`'),
  algorithm: z.string().nullable().describe('`a=`, e.g. `rsa-sha256`'),
  keyBits: z.number().int().nullable().describe('Public key size in bits (RSA modulus; 256 for Ed25519)'),
  failure: z.enum(['body-hash', 'signature', 'key-missing', 'key-invalid', 'other']).nullable().describe('Why it did not pass; `null` when it passed'),
  aligned: z.boolean().describe('`d=` is aligned with the From domain (DMARC relaxed alignment)'),
  info: z.string().describe('One human line'),
});

export const authCheckSchema = z.strictObject({
  clientIp: z.string().describe('Client address SPF was evaluated for'),
  clientIpSource: z.enum(['request', 'option', 'envelope']).describe('`?clientIp=`, `--spf-client-ip`, or the SMTP client'),
  dnsSource: z.enum(['records', 'records+live', 'live', 'none']).describe('DNS read: `--dns-records`, plus the system resolver with `--dns-live`'),
  fromDomain: z.string().nullable().describe('Domain of the single From address'),
  dkim: z.array(dkimSignatureSchema).describe('One entry per DKIM-Signature, in header order; empty when unsigned'),
  arc: z.strictObject({ result: authResult, instances: z.number().int().describe('Highest ARC instance `i=`'), info: z.string() }),
  dmarc: z.strictObject({
    result: authResult,
    domain: z.string().nullable().describe('Organizational domain of the From domain'),
    policy: z.string().nullable().describe('The `p=` (or `sp=`) that applies'),
    alignment: z.strictObject({ dkim: z.boolean(), spf: z.boolean() }).describe('Whether a passing DKIM signature / SPF was aligned with the From domain'),
    info: z.string(),
  }),
  spf: z.strictObject({
    result: authResult,
    domain: z.string().nullable().describe('MAIL FROM domain (the HELO name for `<>`)'),
    clientIp: z.string(),
    info: z.string(),
  }),
  authenticationResults: z.string().describe('The whole `Authentication-Results` field (RFC 8601), authserv-id `mailsink`, CRLF-folded'),
  summary: z.enum(['pass', 'fail', 'none']).describe('`pass`: DMARC passed; `fail`: DMARC or a DKIM signature failed'),
});
