/**
 * Small pure helpers over an smtp-server session: reply errors, what fault rules match on, the
 * envelope as stored, how replies and commands appear in a transcript.
 */
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { Envelope } from '../contract.js';
import type { FaultContext } from '../core/faults.js';

/**
 * Replies of the built-in limits, as sent (RFC 3463 enhanced codes: 4.3.2 system not accepting
 * messages, 5.7.0 security, 5.7.8 bad credentials, 4.5.3 too many recipients, 5.3.4 too big, 4.4.2
 * connection timed out, 4.5.0 protocol error).
 */
export const LIMIT_REPLIES = {
  tooManyConnections: { code: 421, text: '4.3.2 Too many connections, try again later' },
  tooManyFromAddress: { code: 421, text: '4.7.0 Too many connections from your address' },
  authThrottled: { code: 454, text: '4.7.0 Too many failed authentication attempts, try again later' },
  tlsRequired: { code: 530, text: '5.7.0 Must issue a STARTTLS command first' },
  authRequired: { code: 530, text: '5.7.0 Authentication required' },
  badCredentials: { code: 535, text: '5.7.8 Authentication credentials invalid' },
  tooManyRecipients: { code: 452, text: '4.5.3 Too many recipients' },
  oversized: { code: 552, text: '5.3.4 Message size exceeds fixed maximum message size' },
  idleTimeout: { code: 421, text: '4.4.2 Idle timeout, closing connection' },
  lineTooLong: { code: 421, text: '4.5.0 Line too long, closing connection' },
} as const satisfies Record<string, { code: number; text: string }>;

/** An error smtp-server turns into a reply line: `responseCode` then the message. */
export type SmtpError = Error & { responseCode: number };

/** An error smtp-server turns into a reply line: `responseCode` then the message. */
export function smtpError(responseCode: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

export function authUserOf(session: SMTPServerSession): string | null {
  const user = session.user as unknown;
  return typeof user === 'string' ? user : user == null || user === false ? null : String(user);
}

export function contextOf(session: SMTPServerSession): FaultContext {
  const { mailFrom, rcptTo } = session.envelope ?? { mailFrom: false, rcptTo: [] };
  return {
    remoteAddress: session.remoteAddress,
    authUser: authUserOf(session),
    mailFrom: mailFrom ? mailFrom.address : null,
    rcptTo: rcptTo.map((rcpt) => rcpt.address),
  };
}

/** The envelope as far as the session got, for the rejection log. */
export function envelopeSoFar(session: SMTPServerSession, context: FaultContext) {
  const { mailFrom, rcptTo } = session.envelope ?? { mailFrom: false, rcptTo: [] };
  return {
    mailFrom: context.mailFrom ?? (mailFrom ? mailFrom.address : ''),
    rcptTo: rcptTo.map((rcpt) => rcpt.address),
    heloName: session.hostNameAppearsAs || '',
    remoteAddress: session.remoteAddress,
    authUser: context.authUser,
  };
}

/** The envelope stored with a message (RFC 5321 §3.3). */
export function envelopeOf(session: SMTPServerSession): Envelope {
  const { mailFrom, rcptTo } = session.envelope;
  return {
    mailFrom: mailFrom ? mailFrom.address : '',
    rcptTo: rcptTo.map((rcpt) => rcpt.address),
    mailParams: mailFrom && mailFrom.args ? { ...(mailFrom.args as Record<string, string | true>) } : {},
    heloName: session.hostNameAppearsAs || '',
    remoteAddress: session.remoteAddress,
    remotePort: session.remotePort,
    secure: Boolean(session.secure),
    authUser: authUserOf(session),
  };
}

/** The DATA as received: its bytes, or `null` when it passed `maxBytes` (then only counted), and its length. */
export interface ReceivedData {
  raw: Buffer | null;
  sizeBytes: number;
}

/**
 * Reads the whole DATA stream, keeping no chunks once the message passes `maxBytes` (it is still
 * drained to the end, so the reply comes after the final dot).
 */
export function receiveData(stream: SMTPServerDataStream, maxBytes: number): Promise<ReceivedData> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxBytes) chunks.push(chunk);
      else chunks = [];
    });
    stream.on('error', reject);
    stream.on('end', () => resolve({ raw: stream.sizeExceeded || length > maxBytes ? null : join(chunks, length), sizeBytes: length }));
  });
}

/** From this size (bytes) on, a message is kept in memory shared with the parse workers. */
const SHARED_FROM_BYTES = 64 * 1024;

/**
 * Joins the chunks into one Buffer. A large message goes into a `SharedArrayBuffer`: the parse
 * worker then reads it in place (`postMessage` shares such memory instead of copying it), so it
 * exists once in memory, not once per thread that looks at it. Small ones stay in ordinary
 * memory, where they cost less (a shared buffer is rounded up to whole pages).
 */
function join(chunks: readonly Buffer[], length: number): Buffer {
  if (length < SHARED_FROM_BYTES) return Buffer.concat(chunks, length);
  const out = Buffer.from(new SharedArrayBuffer(length));
  let offset = 0;
  for (const chunk of chunks) offset += chunk.copy(out, offset);
  return out;
}

/** A command as it goes into a transcript: the credentials of `AUTH <mechanism> <initial response>` masked. */
export function maskCommand(line: string): string {
  const auth = /^(\s*AUTH\s+\S+)\s+\S/i.exec(line);
  return auth ? `${auth[1]} ***` : line;
}

/** Reply lines as written on the wire (`250-…` continuation lines, then `250 …`). */
export function replyLines(code: number, text: string | readonly string[] | undefined): string[] {
  if (text === undefined || text === '') return [String(code)];
  if (typeof text === 'string') return [`${code} ${text}`];
  return text.map((line, index) => `${code}${index < text.length - 1 ? '-' : ' '}${line}`);
}
