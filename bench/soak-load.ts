/**
 * The soak's load: a paced SMTP sender over plain loopback sockets (no pipelining). Message `k` is
 * due at `k / rate` seconds after the start; each of `sessions` connections takes every
 * `sessions`-th message and waits for its due time (or sends at once when behind), so the rate is
 * steady rather than a burst. Every 25th message goes over a new connection (connect, EHLO, one
 * message, QUIT) to keep connection setup and teardown in the mix.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const NEW_CONNECTION_EVERY = 25;
const FILLER = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n'.repeat(48); // ~4 KiB
const ATTACHMENT = Buffer.alloc(2 * 1024, 'soak attachment ').toString('base64').replace(/.{76}/g, '$&\r\n');
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** The message body of number `n`: plain, HTML with an inline image, or with an attachment, in turn. */
export function soakMessage(n: number): string {
  const head = `From: Soak <soak@example.com>\r\nTo: <sink-${n % 7}@example.org>\r\nSubject: soak ${n}\r\nMessage-ID: <soak-${n}@example.com>\r\nMIME-Version: 1.0\r\n`;
  if (n % 3 === 0) return `${head}Content-Type: text/plain; charset=utf-8\r\n\r\n${FILLER}`;
  if (n % 3 === 1) {
    return (
      `${head}Content-Type: multipart/related; boundary="r"\r\n\r\n--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n` +
      `<p>soak ${n} <img src="cid:px"></p><p>${FILLER}</p>\r\n--r\r\nContent-Type: image/png\r\nContent-ID: <px>\r\nContent-Transfer-Encoding: base64\r\n\r\n${PIXEL}\r\n--r--\r\n`
    );
  }
  return (
    `${head}Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\n${FILLER}\r\n--m\r\n` +
    `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="soak-${n}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${ATTACHMENT}\r\n--m--\r\n`
  );
}

/** A line-level SMTP connection: `command()` writes and resolves with the next final reply line. */
class Connection {
  readonly #socket: net.Socket;
  #buffer = '';
  #waiting: ((line: string) => void)[] = [];

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk) => {
      this.#buffer += chunk.toString('latin1');
      let end: number;
      while ((end = this.#buffer.indexOf('\r\n')) !== -1) {
        const line = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        if (line[3] !== '-') this.#waiting.shift()?.(line);
      }
    });
    socket.on('close', () => {
      for (const wake of this.#waiting.splice(0)) wake('closed');
    });
    socket.on('error', () => undefined); // seen as 'closed' replies
  }

  /** Connects, reads the greeting and says EHLO. */
  static async open(port: number): Promise<Connection> {
    const socket = net.connect(port, '127.0.0.1');
    const connection = new Connection(socket);
    const greeting = connection.#next();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    expectReply(await greeting, '220', 'greeting');
    expectReply(await connection.command('EHLO soak.example'), '250', 'EHLO');
    return connection;
  }

  #next(): Promise<string> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  command(line: string): Promise<string> {
    const reply = this.#next();
    this.#socket.write(`${line}\r\n`);
    return reply;
  }

  /** One transaction; throws unless every reply is the expected one. */
  async send(n: number): Promise<void> {
    expectReply(await this.command('MAIL FROM:<soak@example.com>'), '250', 'MAIL');
    expectReply(await this.command(`RCPT TO:<sink-${n % 7}@example.org>`), '250', 'RCPT');
    expectReply(await this.command('DATA'), '354', 'DATA');
    expectReply(await this.command(`${soakMessage(n)}.`), '250', `message ${n}`); // every body ends with CRLF
  }

  async quit(): Promise<void> {
    await this.command('QUIT');
    this.close();
  }

  close(): void {
    this.#socket.destroy();
  }
}

function expectReply(line: string, code: string, what: string): void {
  if (!line.startsWith(`${code} `)) throw new Error(`${what}: expected ${code}, got ${line}`);
}

/** Sends at a steady rate until the duration is over; records acknowledged messages and failures. */
export class PacedSender {
  /** Messages that got their `250`. */
  acknowledged = 0;
  readonly failures: string[] = [];
  readonly #port: number;
  readonly #rate: number;
  readonly #sessions: number;

  constructor(port: number, rate: number, sessions: number) {
    this.#port = port;
    this.#rate = rate;
    this.#sessions = sessions;
  }

  fail(message: string): void {
    if (this.failures.length < 100) this.failures.push(`${new Date().toISOString()} ${message}`);
  }

  /** Runs for `durationMs`; resolves when every session has finished its last message. */
  async run(durationMs: number): Promise<void> {
    const started = performance.now();
    const total = Math.floor((durationMs / 1000) * this.#rate);
    await Promise.all(Array.from({ length: this.#sessions }, (_, s) => this.#session(s, total, started)));
  }

  async #session(first: number, total: number, started: number): Promise<void> {
    let connection: Connection | null = null;
    for (let n = first; n < total; n += this.#sessions) {
      const wait = started + (n / this.#rate) * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
      try {
        if (n % NEW_CONNECTION_EVERY === 0) {
          const single = await Connection.open(this.#port);
          await single.send(n);
          await single.quit();
        } else {
          connection ??= await Connection.open(this.#port);
          await connection.send(n);
        }
        this.acknowledged += 1;
      } catch (err) {
        this.fail(err instanceof Error ? err.message : String(err));
        connection?.close();
        connection = null; // reconnect for the next one
      }
    }
    await connection?.quit();
  }
}
