/**
 * A minimal SMTP client (RFC 5321) for `mailsink import`: one message per connection — greeting,
 * EHLO, MAIL FROM (with SMTPUTF8 / BODY=8BITMIME when needed and offered), RCPT TO each, DATA with
 * line endings made CRLF and dot-stuffing (§4.5.2), QUIT. Runtime dependencies stay as they are:
 * nodemailer is only a dev dependency.
 */
import net from 'node:net';

/** Where to send: parsed from `smtp://host:port`. */
export interface SmtpTarget {
  host: string;
  port: number;
}

/** A reply other than the expected one; `reply` is the last line as sent, e.g. `550 5.1.1 No such user`. */
export class SmtpReplyError extends Error {
  readonly reply: string;
  constructor(command: string, reply: string) {
    super(`${command} → ${reply}`);
    this.name = 'SmtpReplyError';
    this.reply = reply;
  }
}

/**
 * Parses `smtp://host[:port]` (port 25 when omitted; IPv6 hosts in brackets).
 * @throws Error naming the expected form.
 */
export function parseSmtpUrl(value: string): SmtpTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`expected smtp://host:port (got ${JSON.stringify(value)})`);
  }
  if (url.protocol !== 'smtp:' || url.hostname === '' || url.pathname.replace(/^\/$/, '') !== '') throw new Error(`expected smtp://host:port (got ${JSON.stringify(value)})`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? 25 : Number(url.port) };
}

/**
 * Turns message bytes into DATA: bare LF and bare CR become CRLF, a final CRLF is added when
 * missing, lines starting with `.` get another `.`, and the terminating `.` CRLF is appended.
 */
export function toDataPayload(raw: Buffer): Buffer {
  const out = Buffer.allocUnsafe(raw.length * 3 + 5);
  let o = 0;
  let lineStart = true;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte === 0x0d || byte === 0x0a) {
      if (byte === 0x0d && raw[i + 1] === 0x0a) i += 1;
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      lineStart = true;
      continue;
    }
    if (lineStart && byte === 0x2e) out[o++] = 0x2e;
    out[o++] = byte;
    lineStart = false;
  }
  if (!lineStart) o += out.write('\r\n', o, 'latin1');
  o += out.write('.\r\n', o, 'latin1');
  return Buffer.from(out.subarray(0, o));
}

/** A reply: its code, its text lines (codes stripped) and its last line as sent. */
interface Reply {
  code: number;
  lines: string[];
  last: string;
}

/**
 * Sends one message and resolves with the final `250` reply line of DATA.
 * @throws SmtpReplyError for an unexpected reply; the socket error (e.g. `ECONNREFUSED`); Error after `timeoutMs` of silence.
 */
export async function sendMessage(target: SmtpTarget, envelope: { mailFrom: string; rcptTo: readonly string[] }, raw: Buffer, timeoutMs = 30_000): Promise<string> {
  const session = await SmtpSession.open(target, timeoutMs);
  try {
    await session.expect('greeting', 220);
    const ehlo = await session.command('EHLO mailsink-import', 250);
    const offers = new Set(ehlo.lines.map((line) => line.split(' ')[0]!.toUpperCase()));
    const params: string[] = [];
    if (offers.has('SMTPUTF8') && [envelope.mailFrom, ...envelope.rcptTo].some((a) => /[^\x00-\x7f]/.test(a))) params.push('SMTPUTF8');
    if (offers.has('8BITMIME') && raw.some((byte) => byte >= 0x80)) params.push('BODY=8BITMIME');
    await session.command([`MAIL FROM:<${envelope.mailFrom}>`, ...params].join(' '), 250);
    for (const rcpt of envelope.rcptTo) await session.command(`RCPT TO:<${rcpt}>`, 250, 251);
    await session.command('DATA', 354);
    const done = await session.send(toDataPayload(raw), 'end of DATA', 250);
    await session.command('QUIT', 221).catch(() => undefined);
    return done.last;
  } finally {
    session.close();
  }
}

/** One SMTP connection: writes commands and reads replies (multi-line ones joined) in order. */
class SmtpSession {
  readonly #socket: net.Socket;
  readonly #replies: Reply[] = [];
  readonly #waiting: Array<{ resolve: (reply: Reply) => void; reject: (err: Error) => void }> = [];
  #failure: Error | null = null;
  #buffer = '';
  #lines: string[] = [];

  private constructor(socket: net.Socket, timeoutMs: number) {
    this.#socket = socket;
    socket.setTimeout(timeoutMs);
    socket.on('timeout', () => {
      this.#fail(new Error(`no reply within ${timeoutMs} ms`));
      socket.destroy();
    });
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('connection closed by the server')));
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
  }

  /** Connects; rejects with the socket error (e.g. `ECONNREFUSED`). */
  static open(target: SmtpTarget, timeoutMs: number): Promise<SmtpSession> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(target.port, target.host);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new SmtpSession(socket, timeoutMs));
      });
    });
  }

  /** The next reply, which must have one of `codes`. @throws SmtpReplyError naming `what`. */
  async expect(what: string, ...codes: number[]): Promise<Reply> {
    const reply = await this.#next();
    if (!codes.includes(reply.code)) throw new SmtpReplyError(what, reply.last);
    return reply;
  }

  /** Writes `line` CRLF and expects one of `codes` (errors name the command up to its colon: `RCPT TO`). */
  command(line: string, ...codes: number[]): Promise<Reply> {
    this.#socket.write(`${line}\r\n`);
    return this.expect(line.split(':')[0]!, ...codes);
  }

  /** Writes raw bytes and expects one of `codes`. */
  send(bytes: Buffer, what: string, ...codes: number[]): Promise<Reply> {
    this.#socket.write(bytes);
    return this.expect(what, ...codes);
  }

  close(): void {
    this.#socket.destroy();
  }

  #next(): Promise<Reply> {
    const ready = this.#replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #read(chunk: Buffer): void {
    this.#buffer += chunk.toString('utf8');
    for (let nl = this.#buffer.indexOf('\n'); nl !== -1; nl = this.#buffer.indexOf('\n')) {
      const line = this.#buffer.slice(0, nl).replace(/\r$/, '');
      this.#buffer = this.#buffer.slice(nl + 1);
      this.#lines.push(line.slice(4));
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), lines: this.#lines, last: line };
      this.#lines = [];
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(reply);
      else this.#replies.push(reply);
    }
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#failure);
  }
}
