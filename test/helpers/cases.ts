/**
 * Helpers for the case tests (`test/integration/case-NN-*.test.ts`): read a case's `.eml` input from
 * `test/fixtures/cases/` (copied from the case descriptions, which are not needed at run time; each
 * test states the expected values of its case as literals), check it against the size and sha256 the
 * test states, hash bytes, and normalise line endings the way the cases phrase their expectations.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replyLineSplitter } from './reply-lines.js';

/** Root of this repository. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The case inputs (`.eml`) in the repository. */
export const casesDir = path.join(repoRoot, 'test', 'fixtures', 'cases');

/** Reads a file of `test/fixtures/cases/` (e.g. `03-smtputf8-unicode-addresses.eml`). */
export function readCaseFile(name: string): Buffer {
  return readFileSync(path.join(casesDir, name));
}

/** One `.eml` input of a case, with the size and hash its case states. */
export interface CaseInput {
  /** `.eml` file name in `test/fixtures/cases/`. */
  eml: string;
  /** Size in bytes. */
  sizeBytes: number;
  /** Hex sha256. */
  sha256: string;
}

/**
 * Reads a case's `.eml` and checks it has exactly the stated size and hash.
 * @throws Error naming the mismatch.
 */
export function readCaseEml(input: CaseInput): Buffer {
  const bytes = readCaseFile(input.eml);
  if (bytes.length !== input.sizeBytes || sha256(bytes) !== input.sha256) {
    throw new Error(`${input.eml} is ${bytes.length} bytes, sha256 ${sha256(bytes)}; the case says ${input.sizeBytes} bytes, sha256 ${input.sha256}`);
  }
  return bytes;
}

/** Hex sha256 of some bytes. */
export function sha256(bytes: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** CRLF (and lone CR runs before LF) → LF, as the cases' "LF-normalised" expectations mean. */
export function toLf(text: string): string {
  return text.replace(/\r+\n/g, '\n');
}

/** The queue id at the end of a `250 2.0.0 Ok: queued as <id>` reply. */
export function queuedId(reply: string): string {
  const match = /^250 .*queued as (\S+)$/.exec(reply);
  if (!match) throw new Error(`not a "250 … queued as <id>" reply: ${JSON.stringify(reply)}`);
  return match[1]!;
}

/**
 * The file name a `Content-Disposition` value gives (RFC 6266): `filename*` (RFC 5987, UTF-8,
 * percent-encoded) when present, else the quoted or bare `filename`; `null` when there is none.
 */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  const extended = /;\s*filename\*\s*=\s*([^']*)'[^']*'([^;\s]*)/i.exec(header);
  if (extended) return decodeURIComponent(extended[2]!);
  const quoted = /;\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const bare = /;\s*filename\s*=\s*([^;\s]+)/i.exec(header);
  return bare ? bare[1]! : null;
}

/** The `<img>` elements of some HTML as `{ alt, src }` (attribute values in double quotes). */
export function imgTags(html: string): Array<{ alt: string | null; src: string | null }> {
  return Array.from(html.matchAll(/<img\b[^>]*>/gi), ([tag]) => ({
    alt: /\balt="([^"]*)"/i.exec(tag)?.[1] ?? null,
    src: /\bsrc="([^"]*)"/i.exec(tag)?.[1] ?? null,
  }));
}

/**
 * Connects, sends `EHLO <name>`, and resolves with every line of the `250` reply (codes stripped,
 * e.g. `["mailsink Nice to meet you …", "SIZE 10485760", "8BITMIME", …]`); then says `QUIT`.
 * @throws Error when the greeting or the EHLO reply is not a 2xx, or after `timeoutMs`.
 */
export function ehloReply(port: number, name = 'client.example.com', timeoutMs = 5_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => finish(new Error(`no EHLO reply within ${timeoutMs} ms`)), timeoutMs);
    const lines: string[] = [];
    let greeted = false;
    const finish = (err: Error | null, result?: string[]) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      if (err) {
        socket.destroy();
        reject(err);
      } else {
        socket.end('QUIT\r\n');
        resolve(result!);
      }
    };
    socket.on('error', (err) => finish(err));
    socket.on(
      'data',
      replyLineSplitter((line) => {
        if (!/^2\d\d[ -]/.test(line)) {
          finish(new Error(`unexpected reply ${JSON.stringify(line)}`));
          return false;
        }
        if (!greeted) {
          if (line[3] === ' ') {
            greeted = true;
            socket.write(`EHLO ${name}\r\n`);
          }
          return;
        }
        lines.push(line.slice(4));
        if (line[3] !== ' ') return;
        finish(null, lines);
        return false;
      }),
    );
  });
}

/** Python's `b"…"` literal of some bytes, as the cases write DATA payloads (`\r`, `\n`, `\"`, `\\`, `\xNN`). */
export function pyBytesLiteral(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x0d) out += '\\r';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `b"${out}"`;
}
