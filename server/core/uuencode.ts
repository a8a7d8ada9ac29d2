/**
 * uuencode (POSIX `uuencode`/`uudecode`; `begin <mode> <name>` … `` ` `` … `end`), which legacy
 * mailers still use: as a part's `Content-Transfer-Encoding: x-uuencode`, and as blocks inside a
 * plain-text body. Each encoded line starts with its byte count (`chr(32 + n)`), then four
 * characters per three bytes, each `chr(32 + sixBits)` (a backquote for 0).
 */

/** One `begin … end` block decoded. */
export interface UuFile {
  /** File name from the `begin` line. */
  filename: string;
  content: Buffer;
}

const BEGIN = /^begin(?:-base64)? [0-7]{1,4} (.+)$/;

/** Whether a line can be a uuencoded line (characters `\x20`–`\x60`, no more than its count needs). */
function isUuLine(line: string): boolean {
  if (line === '') return false;
  if (!/^[\x20-\x60]*$/.test(line)) return false;
  // Some encoders strip trailing spaces (zero bits), some add a checksum character.
  return line.length <= 2 + Math.ceil(((line.charCodeAt(0) - 32) & 63) / 3) * 4;
}

/** Decodes uuencoded lines (no `begin`/`end`); stops at the first zero-count line. */
export function uudecodeLines(lines: readonly string[]): Buffer {
  const out: number[] = [];
  for (const line of lines) {
    const count = (line.charCodeAt(0) - 32) & 63;
    if (count === 0) break;
    const bytes: number[] = [];
    for (let i = 1; bytes.length < count; i += 4) {
      const [a, b, c, d] = [0, 1, 2, 3].map((k) => ((line.charCodeAt(i + k) || 32) - 32) & 63) as [number, number, number, number];
      bytes.push(((a << 2) | (b >> 4)) & 0xff, ((b << 4) | (c >> 2)) & 0xff, ((c << 6) | d) & 0xff);
    }
    for (let k = 0; k < count; k++) out.push(bytes[k]!);
  }
  return Buffer.from(out);
}

/**
 * Decodes the body of a part sent with `Content-Transfer-Encoding: x-uuencode` (or `uuencode`,
 * `x-uue`): the first `begin … end` block, or every line when there is no `begin` line.
 */
export function uudecodePart(body: Buffer): Buffer {
  const lines = body.toString('latin1').split(/\r?\n/);
  const begin = lines.findIndex((line) => BEGIN.test(line));
  const data = begin === -1 ? lines.filter((line) => line !== '') : lines.slice(begin + 1);
  const end = data.findIndex((line) => line.trimEnd() === 'end');
  return uudecodeLines(end === -1 ? data : data.slice(0, end));
}

/** Whether a `Content-Transfer-Encoding` value names uuencode. */
export function isUuencoding(encoding: unknown): boolean {
  return typeof encoding === 'string' && /^(x-)?uu(e|encode(d)?)$/i.test(encoding.trim());
}

/**
 * Finds the complete `begin <mode> <name>` … `end` blocks of a text body (lines separated by LF)
 * and decodes them; the text comes back without them (blank lines around a block collapse into
 * one). A block with a malformed line, or without `end`, stays text.
 */
export function extractUuBlocks(text: string): { text: string; files: UuFile[] } {
  if (!text.includes('begin ')) return { text, files: [] };
  const lines = text.split('\n');
  const files: UuFile[] = [];
  const segments: string[][] = [[]];
  for (let i = 0; i < lines.length; i++) {
    const name = BEGIN.exec(lines[i]!.replace(/\r$/, ''))?.[1];
    const end = name === undefined ? -1 : blockEnd(lines, i + 1);
    if (name === undefined || end === -1) {
      segments[segments.length - 1]!.push(lines[i]!);
      continue;
    }
    files.push({ filename: name.trim(), content: uudecodeLines(lines.slice(i + 1, end).map((l) => l.replace(/\r$/, ''))) });
    segments.push([]);
    i = end;
  }
  if (files.length === 0) return { text, files };
  return { text: joinSegments(segments.map((segment) => segment.join('\n'))), files };
}

/** Index of the `end` line closing a block whose data starts at `from`, or -1. */
function blockEnd(lines: readonly string[], from: number): number {
  for (let j = from; j < lines.length; j++) {
    const line = lines[j]!.replace(/\r$/, '');
    if (line.trimEnd() === 'end') return j;
    if (!isUuLine(line)) return -1;
  }
  return -1;
}

function joinSegments(segments: readonly string[]): string {
  let out = segments[0]!;
  for (const next of segments.slice(1)) {
    const left = out.replace(/\n+$/, '');
    const right = next.replace(/^\n+/, '');
    out = left && right ? `${left}\n\n${right}` : left || right;
  }
  return out;
}
