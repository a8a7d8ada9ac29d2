/**
 * The SMTP client side of `mailsink probe`: one TCP (or implicit-TLS) connection that reads replies
 * (multi-line, RFC 5321 §4.2), sends commands, upgrades to TLS in place (STARTTLS, RFC 3207) and
 * keeps a transcript with AUTH secrets masked.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { splitEnhancedCode } from '../core/reply-codes.js';
import type { TranscriptEntry } from './report.js';

export type { TranscriptEntry };

/** One reply: code, enhanced status code (RFC 2034) when the server sends them, and every line's text. */
export interface SmtpReply {
  readonly code: number;
  readonly enhancedCode: string | null;
  /** Text of each line, without the code and separator. */
  readonly lines: readonly string[];
  /** The last line as sent, e.g. `550 5.1.1 No such user`. */
  readonly line: string;
}


/** Thrown when a reply does not come in time, the server closes, or a line is not an SMTP reply. */
export class ProbeIoError extends Error {
  readonly kind: 'timeout' | 'closed' | 'protocol' | 'socket';
  constructor(kind: ProbeIoError['kind'], message: string) {
    super(message);
    this.name = 'ProbeIoError';
    this.kind = kind;
  }
}

interface Waiter {
  resolve(reply: SmtpReply): void;
  reject(err: Error): void;
}

/** Options of {@link ProbeConnection.open}. */
export interface OpenOptions {
  host: string;
  port: number;
  /** TLS from the first byte (SMTPS, RFC 8314). */
  implicitTls: boolean;
  /** Connect timeout in ms. */
  timeoutMs: number;
  /** Where transcript lines go; `startedAt` is the probe's `performance.now()` origin. */
  transcript: TranscriptEntry[];
  startedAt: number;
}

/** A probe's connection to the server under test. */
export class ProbeConnection {
  private socket: net.Socket;
  private buffer = '';
  private pending: string[] = [];
  private readonly replies: SmtpReply[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: ProbeIoError | null = null;
  private readonly onData = (chunk: Buffer) => this.receive(chunk.toString('latin1'));

  private constructor(
    socket: net.Socket,
    private readonly options: OpenOptions,
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  /**
   * Opens the TCP connection (and the TLS session for implicit TLS); certificate problems do not
   * fail it, they are read from {@link tlsSocket} by the caller.
   * @throws ProbeIoError (`socket` with the system error, or `timeout`).
   */
  static open(options: OpenOptions): Promise<ProbeConnection> {
    return new Promise((resolve, reject) => {
      const base = { host: options.host, port: options.port };
      const socket = options.implicitTls
        ? tls.connect({ ...base, servername: net.isIP(options.host) ? undefined : options.host, rejectUnauthorized: false })
        : net.connect(base);
      const timer = setTimeout(() => fail(new ProbeIoError('timeout', `no connection within ${options.timeoutMs} ms`)), options.timeoutMs);
      const fail = (err: ProbeIoError) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      socket.once('error', (err: NodeJS.ErrnoException) => fail(new ProbeIoError('socket', err.code ? `${err.code}: ${err.message}` : err.message)));
      socket.once(options.implicitTls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new ProbeConnection(socket, options));
      });
    });
  }

  /** The TLS socket once TLS is up (implicit or after STARTTLS), else `null`. */
  get tlsSocket(): tls.TLSSocket | null {
    return this.socket instanceof tls.TLSSocket ? this.socket : null;
  }

  /** The server's address as connected, e.g. `127.0.0.1`. */
  get remoteAddress(): string | null {
    return this.socket.remoteAddress ?? null;
  }

  /** Whether the connection has ended (closed by the server, or failed). */
  get closed(): boolean {
    return this.failure !== null;
  }

  /** Adds a note to the transcript (e.g. `TLS established: TLSv1.3`). */
  note(text: string): void {
    this.record('note', text);
  }

  /**
   * Waits for the next complete reply.
   * @throws ProbeIoError when none comes within `timeoutMs`, the server closes, or a line is not a reply.
   */
  readReply(timeoutMs: number): Promise<SmtpReply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new ProbeIoError('timeout', `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        resolve: (reply) => (clearTimeout(timer), resolve(reply)),
        reject: (err) => (clearTimeout(timer), reject(err)),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Sends one command line and waits for its reply. `shown` replaces the line in the transcript
   * (for AUTH secrets).
   */
  command(line: string, timeoutMs: number, shown: string = line): Promise<SmtpReply> {
    this.send(line, shown);
    return this.readReply(timeoutMs);
  }

  /** Writes one line (CRLF added) without waiting. */
  send(line: string, shown: string = line): void {
    this.record('client', shown);
    this.socket.write(`${line}\r\n`, 'latin1');
  }

  /** Writes raw bytes (a DATA payload) and records a one-line summary in the transcript. */
  sendRaw(bytes: Buffer, summary: string): void {
    this.record('client', summary);
    this.socket.write(bytes);
  }

  /**
   * Upgrades the connection to TLS after a `220` to STARTTLS (RFC 3207 §4). Certificate problems
   * do not fail the handshake; the caller reads them from the socket.
   * @throws ProbeIoError when the handshake fails or times out.
   */
  upgradeToTls(servername: string | undefined, timeoutMs: number): Promise<tls.TLSSocket> {
    const plain = this.socket;
    plain.off('data', this.onData);
    return new Promise((resolve, reject) => {
      const secure = tls.connect({ socket: plain, servername, rejectUnauthorized: false });
      const timer = setTimeout(() => fail(new ProbeIoError('timeout', `no TLS handshake within ${timeoutMs} ms`)), timeoutMs);
      const fail = (err: ProbeIoError) => {
        clearTimeout(timer);
        secure.destroy();
        reject(err);
      };
      secure.once('error', (err) => fail(new ProbeIoError('socket', `TLS handshake failed: ${err.message}`)));
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.removeAllListeners('error');
        this.socket = secure;
        this.attach(secure);
        resolve(secure);
      });
    });
  }

  /** Closes the connection (no QUIT). */
  close(): void {
    this.socket.destroy();
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('error', (err: NodeJS.ErrnoException) => this.fail(new ProbeIoError('socket', err.code ? `${err.code}: ${err.message}` : err.message)));
    socket.on('close', () => this.fail(new ProbeIoError('closed', 'the server closed the connection')));
  }

  private receive(text: string): void {
    this.buffer += text;
    for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.line(line);
    }
  }

  private line(line: string): void {
    this.record('server', line);
    const match = /^(\d{3})([ -]?)(.*)$/s.exec(line);
    if (!match) return this.fail(new ProbeIoError('protocol', `not an SMTP reply: ${JSON.stringify(line.slice(0, 120))}`));
    this.pending.push(match[3]!);
    if (match[2] === '-') return;
    const texts = this.pending;
    this.pending = [];
    const code = Number(match[1]);
    const { enhancedCode } = splitEnhancedCode(texts[texts.length - 1] ?? '');
    const reply: SmtpReply = { code, enhancedCode, lines: texts, line };
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(reply);
    else this.replies.push(reply);
  }

  private fail(err: ProbeIoError): void {
    if (this.failure) return;
    this.failure = err;
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }

  private record(direction: TranscriptEntry['direction'], text: string): void {
    this.options.transcript.push({ atMs: Math.round(performance.now() - this.options.startedAt), direction, text });
  }
}
