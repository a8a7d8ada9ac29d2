/**
 * Grading: one line per observation, `pass`, `warn` or `fail`, for the banner, EHLO capabilities,
 * TLS and certificate, AUTH and every non-2xx reply (explained from the shared reply-code table).
 */
import { explainReply } from '../core/reply-codes.js';
import type { SmtpReply } from './connection.js';
import type { ProbeCapabilities, ProbeFinding, ProbeStageName, ProbeTls } from './report.js';

/** Days before expiry from which a certificate is a warning. */
export const CERT_WARN_DAYS = 14;
/** A banner slower than this (ms) is a warning: reverse DNS or an overloaded server. */
export const SLOW_BANNER_MS = 2_000;

const fmt = new Intl.NumberFormat('en-US');

/** A finding for a reply that was not what the stage needed, with its cause and what to do. */
export function replyFinding(stage: ProbeStageName, what: string, reply: SmtpReply): ProbeFinding {
  const explained = explainReply(reply.code, reply.enhancedCode);
  return {
    level: 'fail',
    stage,
    text: `${what} refused: ${reply.line} (${explained.label})`,
    explanation: { cause: explained.cause, action: explained.action },
  };
}

/** Findings on the greeting: time to `220`, host name, software named. */
export function bannerFindings(ms: number, banner: { hostname: string; software: string | null; version: string | null }): ProbeFinding[] {
  const out: ProbeFinding[] = [];
  if (ms > SLOW_BANNER_MS) out.push({ level: 'warn', stage: 'banner', text: `banner took ${fmt.format(ms)} ms: reverse DNS on the server, a greeting delay, or an overloaded server?` });
  else out.push({ level: 'pass', stage: 'banner', text: `banner in ${fmt.format(ms)} ms` });
  if (banner.software) {
    const named = banner.version ? `${banner.software} ${banner.version}` : banner.software;
    out.push({ level: 'warn', stage: 'banner', text: `banner names its software (${named}): attackers learn what to target; most servers can hide it` });
  }
  if (!banner.hostname.includes('.') && !/^\[.*\]$/.test(banner.hostname)) {
    out.push({ level: 'warn', stage: 'banner', text: `banner host name "${banner.hostname}" is not a fully qualified domain name (RFC 5321 §4.3.1)` });
  }
  return out;
}

/** Findings on the EHLO capabilities of a session, before or after TLS. */
export function capabilityFindings(caps: ProbeCapabilities, secure: boolean, starttls: 'require' | 'try' | 'never'): ProbeFinding[] {
  const out: ProbeFinding[] = [];
  const offered = ['SIZE', 'PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'CHUNKING', 'DSN'].filter((_, i) => [caps.sizeBytes !== null, caps.pipelining, caps.eightBitMime, caps.smtpUtf8, caps.enhancedStatusCodes, caps.chunking, caps.dsn][i]);
  out.push({ level: 'pass', stage: 'ehlo', text: `extensions${secure ? ' (after TLS)' : ''}: ${offered.join(', ') || 'none'}${caps.sizeBytes ? `; SIZE ${fmt.format(caps.sizeBytes)} bytes` : ''}` });
  if (!secure && caps.auth.length > 0) {
    out.push({ level: 'warn', stage: 'ehlo', text: `AUTH offered before TLS (${caps.auth.join(' ')}): credentials can travel in clear text` });
  }
  if (!secure && !caps.startTls) {
    out.push({ level: starttls === 'require' ? 'fail' : 'warn', stage: 'ehlo', text: 'STARTTLS not offered: mail and credentials travel in clear text' });
  }
  if (!caps.enhancedStatusCodes) out.push({ level: 'warn', stage: 'ehlo', text: 'ENHANCEDSTATUSCODES not offered: replies carry no RFC 3463 code for clients to act on' });
  if (!caps.eightBitMime) out.push({ level: 'warn', stage: 'ehlo', text: '8BITMIME not offered: 8-bit bodies must be re-encoded by clients' });
  if (secure && caps.startTls) out.push({ level: 'warn', stage: 'ehlo', text: 'STARTTLS offered again inside TLS' });
  return out;
}

/** Findings on a TLS session: protocol, trust, host name, expiry, self-signed. */
export function tlsFindings(session: ProbeTls, host: string): ProbeFinding[] {
  const stage: ProbeStageName = session.mode === 'implicit' ? 'tls' : 'starttls';
  const out: ProbeFinding[] = [];
  const old = session.protocol !== null && /^(SSLv|TLSv1$|TLSv1\.1$)/.test(session.protocol);
  out.push({ level: old ? 'fail' : 'pass', stage, text: `${session.protocol ?? 'unknown protocol'} with ${session.cipher ?? 'unknown cipher'}${old ? ': deprecated (RFC 8996), use TLS 1.2 or later' : ''}` });
  const leaf = session.chain[0];
  if (!leaf) return [...out, { level: 'fail', stage, text: 'the server sent no certificate' }];
  if (leaf.daysToExpiry < 0) out.push({ level: 'fail', stage, text: `certificate expired ${fmt.format(-leaf.daysToExpiry)} days ago (${leaf.validTo})` });
  else if (leaf.daysToExpiry < CERT_WARN_DAYS) out.push({ level: 'warn', stage, text: `certificate expires in ${leaf.daysToExpiry} days (${leaf.validTo})` });
  else out.push({ level: 'pass', stage, text: `certificate valid for ${fmt.format(leaf.daysToExpiry)} more days` });
  if (!session.matchesHost) {
    const names = leaf.subjectAltNames.length > 0 ? leaf.subjectAltNames.join(', ') : `CN=${leaf.subject}`;
    out.push({ level: 'fail', stage, text: `certificate is not valid for ${host} (it names ${names})` });
  } else out.push({ level: 'pass', stage, text: `certificate names ${host}` });
  if (leaf.selfSigned) out.push({ level: 'warn', stage, text: 'certificate is self-signed: clients that verify will refuse it' });
  else if (!session.trusted) out.push({ level: 'warn', stage, text: `certificate not trusted by this machine (${session.trustError ?? 'unknown reason'})` });
  else out.push({ level: 'pass', stage, text: `certificate chains to a trusted CA (${leaf.issuer})` });
  return out;
}
