/**
 * RFC 2047 encoded words, decoded from the raw header bytes the way mail clients decode them:
 * in the declared charset (UTF-7 included), with raw 8-bit bytes inside a word read in that charset
 * too (`=?iso-8859-1?Q?Fr\xF6sche?=` → `Frösche`; RFC 2047 §5 allows only ASCII there, legacy
 * mailers wrote them anyway), adjacent words of one charset joined before decoding (a character
 * split across two words survives), and whitespace between adjacent words dropped (§6.2). 8-bit
 * text outside words is read as UTF-8 (RFC 6532), invalid sequences as U+FFFD, as stalwart
 * mail-parser and mailparser read it (there is no charset to read it in).
 *
 * Input is a "binary string": one character per byte, as mailparser hands header lines over.
 */
import { decodeBytes, normaliseCharset } from './charsets.js';

const WORD = /=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=/g;

interface Run {
  charset: string;
  bytes: Buffer[];
}

/** The bytes of one encoded word's text (Q: `_` is a space, `=XX` a byte; B: base64). */
function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'B' || encoding === 'b') return Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  const bytes: number[] = [];
  const q = text.replace(/=\s+([0-9a-fA-F])/g, '=$1');
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i);
    const hex = c === 0x3d ? /^[0-9a-fA-F]{2}/.exec(q.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(c === 0x5f ? 0x20 : c & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/**
 * Decodes every encoded word of a header value given as a binary string; the rest is read as
 * UTF-8. Folding is not removed here.
 */
export function decodeEncodedWords(binary: string): string {
  let out = '';
  let run: Run | null = null;
  let last = 0;
  const flush = () => {
    if (run) out += decodeBytes(Buffer.concat(run.bytes), run.charset);
    run = null;
  };
  for (const match of binary.matchAll(WORD)) {
    const gap = binary.slice(last, match.index);
    last = match.index + match[0].length;
    const charset = match[1]!;
    const bytes = wordBytes(match[2]!, match[3]!);
    const current = run as Run | null;
    if (current && /^[ \t\r\n]*$/.test(gap)) {
      if (normaliseCharset(current.charset) === normaliseCharset(charset)) {
        current.bytes.push(bytes);
        continue;
      }
      flush();
    } else {
      flush();
      out += plainText(gap);
    }
    run = { charset, bytes: [bytes] };
  }
  flush();
  return out + plainText(binary.slice(last));
}

function plainText(binary: string): string {
  return /[\x80-\xff]/.test(binary) ? Buffer.from(binary, 'latin1').toString('utf8') : binary;
}

/**
 * The same value with every run of encoded words rewritten as one `=?UTF-8?B?…?=` word and 8-bit
 * text decoded, so a parser that decodes encoded words only as UTF-8 (mailparser's address
 * parser) sees the structure unchanged and decodes the names correctly.
 */
export function normaliseEncodedWords(binary: string): string {
  let out = '';
  let last = 0;
  const runs = /(?:=\?[^?\s]+\?[QqBb]\?[^?]*\?=)(?:[ \t\r\n]*=\?[^?\s]+\?[QqBb]\?[^?]*\?=)*/g;
  for (const match of binary.matchAll(runs)) {
    out += plainText(binary.slice(last, match.index));
    last = match.index + match[0].length;
    out += `=?UTF-8?B?${Buffer.from(decodeEncodedWords(match[0]), 'utf8').toString('base64')}?=`;
  }
  return out + plainText(binary.slice(last));
}

/** A header value as text from its raw binary form: folding removed (RFC 5322 §2.2.3) and words decoded. */
export function decodeHeaderValue(binary: string): string {
  return decodeEncodedWords(binary.replace(/\r?\n(?=[ \t])/g, ''));
}
