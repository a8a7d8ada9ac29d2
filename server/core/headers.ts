/**
 * Header fields of the top-level message from the raw header lines: the field list as written
 * (with each value also decoded), and the fields read from it directly (`Subject`, `Date`), all
 * through one RFC 2047 decoder (`encoded-words.ts`). Header lines are binary strings (one
 * character per byte), as mailparser hands them over.
 */
import type { HeaderField } from '../contract.js';
import { decodeEncodedWords, decodeHeaderValue } from './encoded-words.js';
import { parseMailDate } from './mail-date.js';

/** One raw header line: lowercased `key` and the whole `line` (`Name: value`, folding kept). */
export interface RawHeaderLine {
  key: string;
  line: string;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header line as text, not decoded: 8-bit bytes (SMTPUTF8, RFC 6532) as UTF-8 when they are
 * valid UTF-8, else kept one character per byte (Latin-1), never with replacement characters.
 */
function rawHeaderText(binary: string): string {
  if (!/[\x80-\xff]/.test(binary) || /[^\x00-\xff]/.test(binary)) return binary;
  try {
    return STRICT_UTF8.decode(Buffer.from(binary, 'latin1'));
  } catch {
    return binary;
  }
}

/**
 * Header fields in original order: `value` unfolded but otherwise as written, `decoded` with the
 * encoded words decoded (RFC 2047) and other 8-bit bytes read as UTF-8. The blank line
 * mailparser reports for an empty header section is not a field.
 */
export function headerFields(lines: readonly RawHeaderLine[]): HeaderField[] {
  return lines.filter(({ line }) => line.trim() !== '').map(({ line: bytes }) => {
    const colon = bytes.indexOf(':');
    const unfolded = bytes.replace(/\r?\n(?=[ \t])/g, '');
    if (colon === -1) {
      const value = rawHeaderText(unfolded);
      return { name: '', value, decoded: decodeHeaderValue(unfolded) };
    }
    const binaryValue = unfolded.slice(colon + 1).replace(/^[ \t]+/, '').replace(/\r$/, '');
    return { name: rawHeaderText(bytes.slice(0, colon).trim()), value: rawHeaderText(binaryValue), decoded: decodeHeaderValue(binaryValue) };
  });
}

/** The values (binary strings, unfolded as libmime unfolds and trimmed) of every line with `key`. */
export function rawValues(lines: readonly RawHeaderLine[], key: string): string[] {
  return lines.filter((l) => l.key === key).map(({ line }) => {
    const unfolded = line.replace(/(?:\r?\n|\r)[ \t]*/g, ' ').trim();
    const colon = unfolded.indexOf(':');
    return colon === -1 ? '' : unfolded.slice(colon + 1).trim();
  });
}

/** The decoded `Subject` (the first one, as mail clients show it), `""` without one. */
export function subjectOf(lines: readonly RawHeaderLine[]): string {
  const [first] = rawValues(lines, 'subject');
  return first === undefined ? '' : decodeEncodedWords(first);
}

/**
 * The first `Date` field as ISO 8601 UTC (see `parseMailDate`), or `null` when absent or
 * unparsable: never the time of arrival.
 */
export function dateOf(lines: readonly RawHeaderLine[]): string | null {
  const [first] = rawValues(lines, 'date');
  return first ? parseMailDate(first) : null;
}
