/**
 * What the probe reads off the server: EHLO capabilities (RFC 5321 §4.1.1.1, RFC 1870, 2920, 6152,
 * 6531, 2034, 3030, 3461, 3207, 4954), the banner's host name and software, and the TLS session
 * and certificate chain (RFC 6125 host name check through Node's `checkServerIdentity`).
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { ProbeCapabilities, ProbeCertificate, ProbeTls } from './report.js';

/** Parses the lines of a `250` EHLO reply (first line: host name and greeting). */
export function parseCapabilities(lines: readonly string[]): ProbeCapabilities {
  const [first = '', ...rest] = lines;
  const keywords = new Map(rest.map((line) => [line.split(/[\s=]/)[0]!.toUpperCase(), line.slice(line.split(/[\s=]/)[0]!.length).trim()] as const));
  const size = keywords.get('SIZE');
  const auth = keywords.get('AUTH') ?? null;
  return {
    hostname: first.split(/\s+/)[0] ?? '',
    lines: rest,
    sizeBytes: size === undefined ? null : Number.parseInt(size, 10) || 0,
    pipelining: keywords.has('PIPELINING'),
    eightBitMime: keywords.has('8BITMIME'),
    smtpUtf8: keywords.has('SMTPUTF8'),
    enhancedStatusCodes: keywords.has('ENHANCEDSTATUSCODES'),
    chunking: keywords.has('CHUNKING'),
    dsn: keywords.has('DSN'),
    startTls: keywords.has('STARTTLS'),
    auth: auth === null ? [] : auth.split(/\s+/).filter(Boolean).map((mechanism) => mechanism.toUpperCase()),
  };
}

/** Software names banners commonly reveal, with an optional version after them. */
const SOFTWARE = /\b(Postfix|Exim|Sendmail|Microsoft ESMTP MAIL Service|Haraka|OpenSMTPD|qmail|Exchange|MDaemon|hMailServer|Zimbra|mailsink|smtp-server|Mailpit|MailHog|MailDev|smtp4dev|GreenMail|aiosmtpd|Python SMTP)\b(?:[\s/]+v?(\d+(?:\.\d+)+))?/i;

/** The banner's host name (its first word) and the software it names, if any (e.g. `Postfix`, `Exim 4.96`). */
export function readBanner(text: string): { hostname: string; software: string | null; version: string | null } {
  const hostname = text.split(/\s+/)[0] ?? '';
  const match = SOFTWARE.exec(text);
  const version = match?.[2] ?? /\b(\d+\.\d+(?:\.\d+)+)\b/.exec(text)?.[1] ?? null;
  return { hostname, software: match ? match[1]! : null, version };
}

const DAY_MS = 86_400_000;

function describeName(name: string): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(name);
  return cn ? cn[1]! : name.replace(/\n/g, ', ');
}

function certificateOf(cert: X509Certificate, now: number): ProbeCertificate {
  const validTo = new Date(cert.validTo);
  return {
    subject: describeName(cert.subject),
    subjectAltNames: (cert.subjectAltName ?? '').split(/,\s*/).filter(Boolean),
    issuer: describeName(cert.issuer),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: validTo.toISOString(),
    daysToExpiry: Math.floor((validTo.getTime() - now) / DAY_MS),
    selfSigned: cert.subject === cert.issuer && cert.verify(cert.publicKey),
    fingerprint256: cert.fingerprint256,
  };
}

/** The chain the server sent, its own certificate first. */
function chainOf(socket: tls.TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * Reads protocol, cipher and certificate chain of an established TLS session and checks the
 * certificate against `host` and this machine's trusted CAs.
 * @param now - Time in ms for days-to-expiry (a parameter so tests are exact).
 */
export function inspectTls(socket: tls.TLSSocket, host: string, mode: ProbeTls['mode'], now: number = Date.now()): ProbeTls {
  const chain = chainOf(socket);
  const leaf = chain[0];
  const bare = host.replace(/^\[|\]$/g, '');
  const matchesHost = leaf ? (isIP(bare) ? leaf.checkIP(bare) !== undefined : leaf.checkHost(bare) !== undefined) : false;
  const authError = socket.authorizationError;
  return {
    mode,
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? null,
    chain: chain.map((cert) => certificateOf(cert, now)),
    matchesHost,
    trusted: socket.authorized,
    trustError: authError ? String((authError as unknown as { code?: string }).code ?? authError) : null,
  };
}
