/**
 * A line-level SMTP client over a raw socket for what the high-level clients hide: whether the
 * server closed the connection (after a `421`, or dropped it without a reply), and in which order
 * replies of concurrent sessions arrive. Messages themselves go through nodemailer, swaks or
 * Python smtplib in the tests; this only frames commands and reads reply lines.
 */
import net from 'node:net';
import { isContinuation, replyLineSplitter } from './reply-lines.js';

/** An open SMTP connection. */
export interface SmtpSession {
  /**
   * The next final reply line (continuation lines `250-…` are skipped), or `null` when the server
   * closed the connection before sending one.
   * @throws Error after `timeoutMs` without a reply or a close.
   */
  reply(timeoutMs?: number): Promise<string | null>;
  /** Writes `line` + CRLF (a write after the server closed is ignored). */
  send(line: string): void;
  /** Writes `line` and waits for its reply. */
  command(line: string): Promise<string | null>;
  /**
   * Resolves once the server ended the connection (FIN or reset).
   * @throws Error when it is still open after `timeoutMs`.
   */
  waitClosed(timeoutMs?: number): Promise<void>;
  /** Whether the server ended the connection already. */
  isClosed(): boolean;
  /** Destroys the socket from our side; resolves once it is closed. */
  close(): Promise<void>;
  /** Writes raw bytes as they are; resolves once they are handed to the kernel (or at once after the server closed). */
  write(bytes: string | Buffer): Promise<void>;
  /** Half-closes: sends FIN and keeps reading (see {@link waitClosed} for the server's side). */
  end(): void;
  /** Aborts with a TCP RST (`resetAndDestroy`); resolves once the socket is closed. */
  reset(): Promise<void>;
}

/** Options of {@link openSmtp}. */
export interface OpenOptions {
  /** Local address to connect from (any 127.x.y.z works on Linux loopback), to match `remoteAddress` rules. */
  localAddress?: string;
  /** Called with every final reply line as it arrives (to record the order across sessions). */
  onReply?: (line: string) => void;
}

/** Connects to `127.0.0.1:port`; resolves once the TCP connection is up (before the greeting). */
export function openSmtp(port: number, options: OpenOptions = {}): Promise<SmtpSession> {
  const socket = net.connect({ port, host: '127.0.0.1', ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
  const lines: string[] = [];
  const wakers = new Set<() => void>();
  let closed = false;
  let markClosed!: () => void;
  const closedByServer = new Promise<void>((resolve) => (markClosed = resolve));
  const wake = () => {
    for (const waker of [...wakers]) waker();
  };
  const split = replyLineSplitter((line) => {
    if (isContinuation(line)) return;
    lines.push(line);
    options.onReply?.(line);
  });
  socket.on('data', (chunk: Buffer) => {
    split(chunk);
    wake();
  });
  const onServerClose = () => {
    if (closed) return;
    closed = true;
    markClosed();
    wake();
  };
  socket.on('end', onServerClose);
  socket.on('close', onServerClose);
  socket.on('error', onServerClose); // ECONNRESET / EPIPE: the server is gone

  const session: SmtpSession = {
    reply(timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (lines.length > 0) return done(lines.shift()!);
          if (closed) return done(null);
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`no SMTP reply within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (value: string | null) => {
          clearTimeout(timer);
          wakers.delete(check);
          resolve(value);
        };
        wakers.add(check);
        check();
      });
    },
    send(line) {
      if (!closed && socket.writable) socket.write(`${line}\r\n`);
    },
    command(line) {
      session.send(line);
      return session.reply();
    },
    waitClosed(timeoutMs = 5_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the server did not close the connection within ${timeoutMs} ms`)), timeoutMs);
      });
      return Promise.race([closedByServer, timeout]).finally(() => clearTimeout(timer));
    },
    isClosed: () => closed,
    write(bytes) {
      if (closed || !socket.writable) return Promise.resolve();
      return new Promise((resolve) => socket.write(bytes, () => resolve()));
    },
    end() {
      socket.end();
    },
    reset() {
      if (socket.destroyed) return Promise.resolve();
      return new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.resetAndDestroy();
      });
    },
    close() {
      if (socket.destroyed) return Promise.resolve();
      return new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(session));
    socket.once('error', reject);
  });
}

/** `AUTH PLAIN` with the initial response for `user` / `password` (RFC 4616). */
export function authPlain(user: string, password: string): string {
  return `AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`;
}
