/**
 * A seeded SMTP session fuzzer for the reliability tests. {@link generateSession} turns a PRNG into
 * one session (byte chunks plus how it ends); {@link runSession} plays it over a raw socket. The
 * same seed gives the same sessions, so a failure replays with `FUZZ_SEED=<seed>`.
 *
 * Sessions mix random bytes, NUL and other control bytes, bare CR and bare LF, overlong lines,
 * commands in any order with odd arguments, well-formed transactions, mutated ones, and DATA cut
 * off midway; they end with QUIT, a half-close (FIN, then wait for the server to close), a reset
 * (RST) or a plain destroy, sometimes before all chunks are written. One in twenty plays its chunks
 * inside TLS after a STARTTLS and a real handshake. A session whose chunks contain a STARTTLS that
 * was accepted is abandoned (destroyed) at the end instead of sending QUIT into a TLS handshake.
 */
import net from 'node:net';
import tls from 'node:tls';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Prng } from './prng.js';
import { isContinuation, replyLineSplitter } from './reply-lines.js';

/** How a session ends. */
export type Ending = 'quit' | 'half-close' | 'reset' | 'destroy';

/** One generated session. */
export interface FuzzSession {
  kind: string;
  chunks: Buffer[];
  /** Write only the first `cutAfter` chunks before ending (abrupt endings). */
  cutAfter: number;
  ending: Ending;
  /** Write the first chunk before the greeting arrived. */
  early: boolean;
  /** Play the chunks inside TLS, after STARTTLS and a handshake. */
  tls: boolean;
}

/** What the client saw. */
export interface SessionOutcome {
  /** Final reply lines received. */
  replies: number;
  /** `250 … queued as …` replies: messages the server stored. */
  queued: number;
  /** Bytes written. */
  bytesSent: number;
}

const VERBS = ['HELO', 'EHLO', 'LHLO', 'MAIL FROM:', 'RCPT TO:', 'DATA', 'RSET', 'NOOP', 'VRFY', 'EXPN', 'HELP', 'QUIT', 'AUTH', 'AUTH PLAIN', 'AUTH LOGIN', 'AUTH CRAM-MD5', 'STARTTLS', 'BDAT', 'XCLIENT', 'XFORWARD', 'ETRN', 'TURN', 'WIZ', 'SHELL', 'KILL', '', '.', 'mail from:<', 'rcpt to:<>'];
const ARGS = ['', ' ', 'fuzz.example', '<fuzz@fuzz.example>', '<>', '<@route:fuzz@fuzz.example>', '<"quoted local"@fuzz.example>', '<fuzz@[127.0.0.1]>', 'SIZE=99999999999999', 'BODY=8BITMIME', 'SMTPUTF8', 'AUTH=<>', '=', 'dGVzdAB0ZXN0AHRlc3Q=', '*', 'NAME=x ADDR=127.0.0.9', '<ü@пример.рф>', '<a@b> SIZE=-1 SIZE=2', '%00', 'A'.repeat(600)];
const TERMINATORS = ['\r\n', '\r\n', '\r\n', '\r\n', '\n', '\r', '\r\r\n', '\0\r\n', ''];

/** The whole-session text of a plausible transaction (EHLO … final dot), `count` times. */
function transaction(rng: Prng, index: number, count: number): string {
  let out = `EHLO fuzz-${index}.example\r\n`;
  for (let t = 0; t < count; t++) {
    out += `MAIL FROM:<fuzz-${index}@fuzz.example>${rng.chance(0.2) ? ' BODY=8BITMIME' : ''}\r\n`;
    for (let r = rng.int(1, 3); r > 0; r--) out += `RCPT TO:<rcpt-${r}@fuzz.example>\r\n`;
    out += `DATA\r\n${body(rng, index)}\r\n.\r\n`;
  }
  return out;
}

function body(rng: Prng, index: number): string {
  const lines = [`Subject: fuzz ${index}`, `From: <fuzz-${index}@fuzz.example>`];
  if (rng.chance(0.3)) lines.push('MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${rng.pick(['b', '', '"', 'x'.repeat(200)])}"`);
  lines.push(rng.chance(0.8) ? '' : 'no separator');
  for (let n = rng.int(0, 40); n > 0; n--) {
    lines.push(rng.pick(['line', '.dot-stuffed', '..', '.', ' .', '--b', '--b--', 'ü € \u0000', '\r', 'x'.repeat(rng.int(900, 5000)), rng.bytes(rng.int(1, 60)).toString('latin1').replace(/\r?\n\.\r?\n/g, '')]));
  }
  return lines.join(rng.chance(0.9) ? '\r\n' : rng.pick(['\n', '\r']));
}

/** Applies 1–8 random byte-level mutations (flip, NUL, bare CR/LF, delete, duplicate, insert garbage). */
function mutate(rng: Prng, input: Buffer): Buffer {
  let data = input;
  for (let n = rng.int(1, 8); n > 0 && data.length > 0; n--) {
    const at = rng.int(0, data.length - 1);
    const len = rng.int(1, Math.min(64, data.length - at));
    const op = rng.int(0, 5);
    if (op === 0) data = Buffer.concat([data.subarray(0, at), Buffer.from([rng.int(0, 255)]), data.subarray(at + 1)]);
    else if (op === 1) data = Buffer.concat([data.subarray(0, at), Buffer.from(rng.pick(['\0', '\r', '\n', '\r\n.\r\n', '\x7f'])), data.subarray(at)]);
    else if (op === 2) data = Buffer.concat([data.subarray(0, at), data.subarray(at + len)]);
    else if (op === 3) data = Buffer.concat([data.subarray(0, at + len), data.subarray(at, at + len), data.subarray(at + len)]);
    else if (op === 4) data = Buffer.concat([data.subarray(0, at), rng.bytes(rng.int(1, 200)), data.subarray(at)]);
    else data = Buffer.from(data.toString('latin1').replace(/\r\n/g, () => rng.pick(['\r\n', '\n', '\r'])), 'latin1');
  }
  return data;
}

function commandSoup(rng: Prng): string {
  let out = '';
  for (let n = rng.int(1, 30); n > 0; n--) {
    let verb = rng.pick(VERBS);
    if (rng.chance(0.3)) verb = verb.toLowerCase();
    out += `${verb}${rng.chance(0.7) ? ' ' : ''}${rng.pick(ARGS)}${rng.pick(TERMINATORS)}`;
  }
  return out;
}

/** Splits `data` into 1–12 chunks at random offsets. */
function fragment(rng: Prng, data: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (let left = rng.int(1, 12); left > 1 && offset < data.length; left--) {
    const size = rng.int(1, Math.max(1, Math.ceil((data.length - offset) / left)));
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
  }
  if (offset < data.length) chunks.push(data.subarray(offset));
  return chunks;
}

/** Generates session number `index` from the PRNG. */
export function generateSession(rng: Prng, index: number): FuzzSession {
  const roll = rng.next();
  let kind: string;
  let data: Buffer;
  if (roll < 0.15) [kind, data] = ['garbage', rng.bytes(rng.int(1, 6000))];
  else if (roll < 0.4) [kind, data] = ['commands', Buffer.from(commandSoup(rng), 'utf8')];
  else if (roll < 0.55) [kind, data] = ['transaction', Buffer.from(transaction(rng, index, rng.int(1, 3)), 'latin1')];
  else if (roll < 0.8) [kind, data] = ['mutated', mutate(rng, Buffer.from(transaction(rng, index, rng.int(1, 2)) + commandSoup(rng), 'latin1'))];
  else if (roll < 0.9) [kind, data] = ['overlong', Buffer.from(`EHLO x\r\n${rng.pick(['MAIL FROM:<', 'NOOP ', 'X', 'DATA\r\n'])}${'A'.repeat(rng.int(8_000, 300_000))}${rng.pick(['\r\n', ''])}`, 'latin1')];
  else {
    const whole = Buffer.from(transaction(rng, index, 1), 'latin1');
    [kind, data] = ['data-cut', whole.subarray(0, rng.int(whole.indexOf('DATA\r\n') + 6, whole.length - 4))];
  }
  const chunks = fragment(rng, data);
  const ending = kind === 'data-cut' ? rng.pick<Ending>(['half-close', 'reset', 'destroy']) : rng.pick<Ending>(['quit', 'quit', 'half-close', 'reset', 'destroy']);
  const cutAfter = ending === 'reset' || ending === 'destroy' ? rng.int(0, chunks.length) : chunks.length;
  return { kind, chunks, cutAfter, ending, early: rng.chance(0.1), tls: rng.chance(0.05) };
}

/**
 * Plays a session against `127.0.0.1:port`. Resolves once the connection is closed; for `quit` and
 * `half-close` that means the server closed it. A `tls` session first says STARTTLS and completes
 * the handshake (any certificate accepted), then plays its chunks inside TLS.
 * @throws Error when the server does not close a `quit`/`half-close` session within `timeoutMs`.
 */
export function runSession(port: number, session: FuzzSession, timeoutMs: number): Promise<SessionOutcome> {
  const player = new SessionPlayer(port, session);
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      player.abort();
      reject(new Error(`server did not close a ${session.kind} session ending with ${session.ending} within ${timeoutMs} ms (${player.outcome.replies} replies)`));
    }, timeoutMs);
  });
  return Promise.race([player.play(), guard]).finally(() => clearTimeout(timer));
}

/** One session on one connection: counts reply lines, switches to TLS when asked, ends as told. */
class SessionPlayer {
  readonly outcome: SessionOutcome = { replies: 0, queued: 0, bytesSent: 0 };
  readonly #session: FuzzSession;
  readonly #socket: net.Socket;
  #stream: net.Socket;
  #onLine: (line: string) => void = () => undefined;
  readonly #greeting: Promise<void>;
  readonly #startTls: Promise<void>;
  readonly #closed: Promise<void>;
  #greeted!: () => void;
  #tlsReady!: () => void;
  #markClosed!: () => void;

  constructor(port: number, session: FuzzSession) {
    this.#session = session;
    this.#socket = this.#stream = net.connect(port, '127.0.0.1');
    this.#greeting = new Promise((resolve) => (this.#greeted = resolve));
    this.#startTls = new Promise((resolve) => (this.#tlsReady = resolve));
    this.#closed = new Promise((resolve) => (this.#markClosed = resolve));
    this.#socket.once('close', () => this.#markClosed());
    this.#socket.on('error', () => undefined); // ECONNRESET/EPIPE are expected here
    this.#socket.on('data', this.#onData);
  }

  /** The server never sends lines near 64 KiB, so a longer unterminated tail is dropped (bounded buffer). */
  readonly #onData = replyLineSplitter(
    (line) => {
      if (isContinuation(line)) return;
      this.outcome.replies += 1;
      if (this.outcome.replies === 1) this.#greeted();
      else if (/^220 /.test(line)) this.#tlsReady(); // STARTTLS accepted: the server now waits for a TLS handshake
      if (/^250 .*queued as/.test(line)) this.outcome.queued += 1;
      this.#onLine(line);
    },
    'latin1',
    65536,
  );

  /** Writes the chunks, ends the session, resolves once the connection is closed. */
  async play(): Promise<SessionOutcome> {
    const session = this.#session;
    await new Promise<void>((resolve) => this.#socket.once('connect', () => resolve()));
    if (!session.early || session.tls) await Promise.race([this.#greeting, this.#closed]);
    if (!session.tls || (await this.#upgrade())) {
      for (const chunk of session.chunks.slice(0, session.cutAfter)) {
        if (this.#stream.destroyed || !this.#stream.writable) break;
        this.outcome.bytesSent += chunk.length;
        if (!this.#stream.write(chunk)) await Promise.race([new Promise((resolve) => this.#stream.once('drain', resolve)), this.#closed]);
        await nextTurn();
      }
      this.#end();
    }
    await this.#closed;
    return this.outcome;
  }

  #end(): void {
    const stream = this.#stream;
    if (this.#session.ending === 'reset') stream === this.#socket ? this.#socket.resetAndDestroy() : stream.destroy();
    else if (this.#session.ending === 'destroy') stream.destroy();
    else if (this.#session.ending === 'half-close') stream.end();
    else if (stream.writable) stream.write('\r\n*\r\n.\r\nQUIT\r\n'); // ends a partial line, an AUTH exchange or DATA, then QUIT
    // After a STARTTLS inside the chunks the QUIT is no TLS handshake: the server would wait for one
    // until its handshake timeout, so a session that got there is abandoned instead (a client giving up).
    if (this.#session.ending === 'quit' && !this.#session.tls) void this.#startTls.then(() => this.#socket.destroy());
  }

  /**
   * EHLO, STARTTLS and the handshake; afterwards the chunks go to the TLS socket (or still to the
   * plain one when the server refuses STARTTLS). Returns false if the server closed first.
   */
  async #upgrade(): Promise<boolean> {
    const answer = new Promise<string | null>((resolve) => {
      let seen = 0;
      this.#onLine = (line) => ++seen === 2 && resolve(line); // the EHLO reply, then the STARTTLS one
      void this.#closed.then(() => resolve(null));
    });
    this.#socket.write('EHLO fuzz-tls.example\r\nSTARTTLS\r\n');
    const reply = await answer;
    if (reply === null || this.#socket.destroyed) return false;
    if (!reply.startsWith('220 ')) return true;
    this.#socket.off('data', this.#onData);
    const secure = tls.connect({ socket: this.#socket, rejectUnauthorized: false });
    secure.on('error', () => undefined);
    secure.on('data', this.#onData);
    secure.once('close', () => this.#markClosed());
    this.#stream = secure;
    await Promise.race([new Promise((resolve) => secure.once('secureConnect', resolve)), this.#closed]);
    return !secure.destroyed;
  }

  abort(): void {
    this.#stream.destroy();
    this.#socket.destroy();
  }
}
