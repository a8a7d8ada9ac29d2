/**
 * Release: sends a stored message's exact bytes to another SMTP server, but only to one the
 * operator listed at start (`--release-allow HOST:PORT`); a caller of the HTTP API never chooses
 * where the sink connects on its own.
 */
import nodemailer from 'nodemailer';
import type { ReleaseTarget } from './targets.js';

/** Thrown when the upstream refuses or cannot be reached; `responseCode` is its reply code when it answered. */
export class ReleaseError extends Error {
  readonly responseCode: number | null;
  constructor(message: string, responseCode: number | null) {
    super(message);
    this.name = 'ReleaseError';
    this.responseCode = responseCode;
  }
}

/** What to send and where. */
export interface ReleaseRequest {
  target: ReleaseTarget;
  /** `MAIL FROM` reverse-path; `""` for `<>`. */
  mailFrom: string;
  /** `RCPT TO` forward-paths. */
  rcptTo: readonly string[];
  /** Message bytes, sent unchanged (dot-stuffed on the wire, RFC 5321 §4.5.2). */
  raw: Buffer;
  /** SMTP AUTH (RFC 4954) when given. */
  auth?: { user: string; pass: string; method: 'PLAIN' | 'CRAM-MD5' };
  /** Connection and greeting timeout in ms (default 10 000); the whole exchange gets three times that. */
  timeoutMs?: number;
}

/**
 * Sends one message over SMTP with nodemailer: STARTTLS when offered, the certificate verified
 * unless the target is a loopback address (a local test server's self-signed certificate).
 *
 * @returns the upstream's final reply line (e.g. `250 2.0.0 Ok: queued`).
 * @throws ReleaseError with the upstream's reply code (`responseCode`), or `null` when it could not be reached.
 */
export async function releaseMessage(request: ReleaseRequest): Promise<string> {
  const { target, auth, timeoutMs = 10_000 } = request;
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: false,
    name: 'mailsink',
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: 3 * timeoutMs,
    tls: { rejectUnauthorized: !isLoopback(target.host), servername: isIp(target.host) ? undefined : target.host },
    ...(auth ? { auth: { user: auth.user, pass: auth.pass, method: auth.method } } : {}),
  });
  try {
    const info = await transport.sendMail({ envelope: { from: request.mailFrom, to: [...request.rcptTo] }, raw: request.raw });
    return String(info.response);
  } catch (err) {
    const code = (err as { responseCode?: unknown }).responseCode;
    throw new ReleaseError(err instanceof Error ? err.message : String(err), typeof code === 'number' ? code : null);
  } finally {
    transport.close();
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function isIp(host: string): boolean {
  return host.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}
