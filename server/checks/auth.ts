/**
 * DKIM (RFC 6376), ARC (RFC 8617), DMARC (RFC 7489) and SPF (RFC 7208) of a stored message, as a
 * receiving mail system would see them: mailauth's `authenticate()` on the exact raw bytes, with
 * the SMTP envelope the sink recorded and the DNS of `--dns-records` (plus the system resolver for
 * other names with `--dns-live`; offline otherwise, so the answer is the same on every run).
 */
import { authenticate } from 'mailauth';
import type { MailauthResult } from 'mailauth';
import { authResult, dkimSignatures } from './auth-dkim.js';
import { createDnsResolver, dnsSource } from './dns-resolver.js';
import type { DnsResolver } from './dns-resolver.js';
import type { CheckInput } from './service.js';
import type { CheckSettings } from './settings.js';
import type { AuthCheck } from './types.js';

/** Per-request options of the auth check. */
export interface AuthOptions {
  /** Client address SPF is evaluated for (overrides `--spf-client-ip`). */
  clientIp?: string;
}

/** The authserv-id of the `Authentication-Results` field (RFC 8601 §2.5) and the MTA name in SPF comments. */
export const AUTHSERV_ID = 'mailsink';

/**
 * Checks the authentication of a stored message. SPF is evaluated for `options.clientIp`, else
 * `--spf-client-ip`, else the address the message came from; with the envelope's HELO name and
 * MAIL FROM (headers such as `Received` and `Return-Path` are not trusted). BIMI is not evaluated.
 * @param resolver - The DNS to read; by default the one of `settings` (tests count its questions).
 * @throws Whatever mailauth throws for a message it cannot read (not expected: it reports problems as results).
 */
export async function checkAuth(input: CheckInput, settings: CheckSettings, options: AuthOptions, resolver?: DnsResolver): Promise<AuthCheck> {
  const { envelope, raw } = input.message;
  const [given, clientIpSource] = options.clientIp
    ? [options.clientIp, 'request' as const]
    : settings.spfClientIp
      ? [settings.spfClientIp, 'option' as const]
      : [envelope.remoteAddress, 'envelope' as const];
  const clientIp = given.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const resolve = resolver ?? createDnsResolver(settings.dnsRecords, settings.dnsLive);
  const result = await authenticate(raw, {
    ip: clientIp,
    helo: envelope.heloName,
    sender: envelope.mailFrom,
    mta: AUTHSERV_ID,
    trustReceived: false,
    disableBimi: true,
    resolver: resolve,
  });
  const from = result.dkim.headerFrom?.length === 1 ? (result.dkim.headerFrom[0] as string) : null;
  const fromDomain = from?.includes('@') ? from.slice(from.lastIndexOf('@') + 1).toLowerCase() : null;
  const dkim = await dkimSignatures(result.dkim.results, resolve);
  const dmarc = dmarcCheck(result.dmarc, fromDomain);
  // A failing signature is a fault to fix even when DMARC still passes through SPF (forwarding
  // breaks SPF, and then nothing is left): it outranks a DMARC pass.
  const summary = dmarc.result === 'fail' || dkim.some((s) => s.result === 'fail') ? 'fail' : dmarc.result === 'pass' ? 'pass' : 'none';
  return {
    clientIp,
    clientIpSource,
    dnsSource: dnsSource(settings.dnsRecords, settings.dnsLive),
    fromDomain,
    dkim,
    arc: arcCheck(result.arc),
    dmarc,
    spf: spfCheck(result.spf, clientIp),
    authenticationResults: authenticationResults(result.headers),
    summary,
  };
}

function arcCheck(arc: MailauthResult['arc']): AuthCheck['arc'] {
  const result = arc ? authResult(arc.status.result) : 'none';
  const instances = arc && typeof arc.i === 'number' ? arc.i : 0;
  if (result === 'none') return { result, instances, info: 'no ARC header fields' };
  if (result === 'pass') return { result, instances, info: `chain of ${instances} ARC ${instances === 1 ? 'set' : 'sets'} validated` };
  return { result, instances, info: `ARC chain did not validate: ${arc ? (arc.status.comment ?? result) : result}` };
}

function dmarcCheck(dmarc: MailauthResult['dmarc'], fromDomain: string | null): AuthCheck['dmarc'] {
  const none = { domain: null, policy: null, alignment: { dkim: false, spf: false } };
  if (!dmarc) return { result: 'none', ...none, info: 'not evaluated: the message has no single From address' };
  const result = authResult(dmarc.status.result);
  const policy = dmarc.policy ?? null;
  const alignment = { dkim: Boolean(dmarc.alignment?.dkim.result), spf: Boolean(dmarc.alignment?.spf.result) };
  const base = { result, domain: dmarc.domain, policy, alignment };
  switch (result) {
    case 'pass':
      return { ...base, info: `passed for ${fromDomain}: ${[alignment.dkim && 'DKIM', alignment.spf && 'SPF'].filter(Boolean).join(' and ')} aligned (p=${policy})` };
    case 'fail':
      return { ...base, info: `failed for ${fromDomain}: neither a DKIM signature nor SPF passed aligned with it; a receiver applies p=${policy}` };
    case 'none':
      return { ...base, info: `no DMARC record for ${fromDomain} (looked up _dmarc.${fromDomain}${dmarc.domain !== fromDomain ? ` and _dmarc.${dmarc.domain}` : ''})` };
    default:
      return { ...base, info: `DMARC record not read: ${dmarc.error ?? result}` };
  }
}

function spfCheck(spf: MailauthResult['spf'], clientIp: string): AuthCheck['spf'] {
  if (!spf) return { result: 'none', domain: null, clientIp, info: 'not evaluated' };
  const info = (spf.status.comment ?? spf.status.result).replace(`${AUTHSERV_ID}: `, '');
  return { result: authResult(spf.status.result), domain: spf.domain, clientIp, info };
}

/** The `Authentication-Results` field among mailauth's `Received-SPF` and `Authentication-Results`. */
function authenticationResults(headers: string): string {
  const fields = headers.split(/\r\n(?![ \t])/);
  return fields.find((field) => /^Authentication-Results:/i.test(field)) ?? `Authentication-Results: ${AUTHSERV_ID}; none`;
}
