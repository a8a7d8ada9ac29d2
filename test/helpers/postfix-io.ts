/**
 * Sockets and files of the test Postfix (test/helpers/postfix.ts): a free port, its SMTP greeting, and
 * the messages its virtual(8) delivery agent wrote to a maildir.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const POLL_MS = 50;
/** The fields virtual(8) prepends, in its order, before the `Received:` smtpd added. */
const DELIVERY_FIELDS = ['return-path', 'x-original-to', 'delivered-to'];

/** One delivered message: one maildir file, for one recipient. */
export interface DeliveredMessage {
  /** The maildir file's absolute path. */
  file: string;
  /** The `Delivered-To:` address (the envelope recipient). */
  recipient: string;
  /** The `Return-Path:` address (the envelope sender, MAIL FROM), without angle brackets. */
  returnPath: string;
  /** Postfix's `Received:` field, unfolded (names `ESMTPSA` after AUTH, and the TLS protocol and cipher). */
  received: string;
  /** The file as Postfix wrote it: LF line ends, its prepended fields included. */
  raw: Buffer;
  /** The message as the client sent it in DATA (without the final `.` line, dot-stuffing undone): `raw`
   * without the prepended fields, with CRLF line ends restored. Exact for a message whose lines all end in
   * CRLF and are at most 2048 bytes (Postfix's `line_length_limit`; it splits longer ones). */
  data: Buffer;
}

export { freePort } from './free-port.js';

/** Whether something else holds 127.0.0.1:`port` (binding it fails with EADDRINUSE). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

/**
 * Connects once and resolves true when the server sends a `220 ` greeting line (then QUITs); false on
 * an error, a close, another reply, or when `exited` settles (a port held by another process that
 * accepts but never greets: master cannot bind it and exits).
 */
function greetsOnce(port: number, exited: Promise<void>): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    void exited.then(() => socket.destroy());
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (/^220 .*\r\n/m.test(text)) {
        socket.end('QUIT\r\n');
        resolve(true);
      } else if (/\r\n/.test(text) && !text.startsWith('220')) socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/**
 * Tries up to `tries` times, `POLL_MS` apart, for smtpd's `220` greeting on 127.0.0.1:`port`.
 * @returns false when `exited` settles first or no try got the greeting.
 */
export async function greeting(port: number, exited: Promise<void>, tries: number): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let attempt = 0; attempt < tries && !gone; attempt++) {
    if (await greetsOnce(port, exited)) return true;
    await Promise.race([exited, pause()]);
  }
  return false;
}

/** The maildir's `new/` files (optionally only those `Delivered-To` `recipient`), oldest first (modification time, then name). */
function readNew(maildir: string, recipient?: string): DeliveredMessage[] {
  const dir = path.join(maildir, 'new');
  const files = (existsSync(dir) ? readdirSync(dir) : []).map((name) => path.join(dir, name));
  const mtime = new Map(files.map((file) => [file, statSync(file, { bigint: true }).mtimeNs]));
  files.sort((a, b) => (mtime.get(a)! === mtime.get(b)! ? a.localeCompare(b) : mtime.get(a)! < mtime.get(b)! ? -1 : 1));
  const messages = files.map((file) => parseDelivered(file, readFileSync(file)));
  return recipient === undefined ? messages : messages.filter((message) => message.recipient.toLowerCase() === recipient.toLowerCase());
}

/**
 * Reads the maildir's `new/` until it holds at least `count` messages (for `recipient` when given;
 * up to `tries` reads, `POLL_MS` apart). Returns what is there at the end, oldest first.
 */
export async function readMaildir(maildir: string, count: number, tries: number, recipient?: string): Promise<DeliveredMessage[]> {
  let messages = readNew(maildir, recipient);
  for (let attempt = 1; attempt < tries && messages.length < count; attempt++) {
    await pause();
    messages = readNew(maildir, recipient);
  }
  return messages;
}

/** Splits the header fields virtual(8) and smtpd prepended off a delivered file. */
export function parseDelivered(file: string, raw: Buffer): DeliveredMessage {
  const text = raw.toString('latin1');
  let offset = 0;
  const next = (): { name: string; value: string } | null => {
    const match = /^([A-Za-z-]+):[ \t]*((?:[^\n]*\n)(?:[ \t][^\n]*\n)*)/.exec(text.slice(offset));
    if (!match) return null;
    offset += match[0].length;
    return { name: match[1]!.toLowerCase(), value: match[2]!.replace(/\n[ \t]+/g, ' ').trim() };
  };
  const fields = new Map<string, string>();
  for (let start = offset, field = next(); field; start = offset, field = next()) {
    if (DELIVERY_FIELDS.includes(field.name)) fields.set(field.name, field.value);
    else if (field.name === 'received' && !fields.has('received')) fields.set('received', field.value);
    else {
      offset = start;
      break;
    }
    if (field.name === 'received') break;
  }
  if (!fields.has('received')) throw new Error(`${file}: no Received field from Postfix`);
  const data = Buffer.from(text.slice(offset).replace(/\n/g, '\r\n'), 'latin1');
  const returnPath = (fields.get('return-path') ?? '').replace(/^<|>$/g, '');
  return { file, recipient: fields.get('delivered-to') ?? '', returnPath, received: fields.get('received')!, raw, data };
}
