/**
 * The `--dns-records FILE` format, read once at start: the DNS the authentication check sees.
 *
 * One record a line, `NAME TYPE VALUE`:
 * - NAME: a domain name, case-insensitive, with or without the trailing dot (`s1._domainkey.example.test`).
 * - TYPE: `TXT`, `MX`, `A`, `AAAA` or `CNAME`, case-insensitive.
 * - VALUE: TXT: one or more double-quoted strings (`\"` and `\\` escape a quote and a backslash);
 *   the strings are concatenated when a reader takes the record as one (DKIM keys, RFC 6376 §3.6.2.2;
 *   SPF, RFC 7208 §3.3). MX: `PRIORITY EXCHANGE` (RFC 1035 §3.3.9). A: an IPv4 address. AAAA: an IPv6
 *   address. CNAME: the target name; a name with a CNAME holds no other record (RFC 1034 §3.6.2).
 * - `#` outside quotes starts a comment; blank lines are ignored.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** One record of a `--dns-records` file. */
export type DnsRecord = DnsRecordBase &
  ({ type: 'TXT'; value: string[] } | { type: 'MX'; value: { priority: number; exchange: string } } | { type: 'A' | 'AAAA' | 'CNAME'; value: string });

interface DnsRecordBase {
  /** Owner name, lowercase, without a trailing dot. */
  name: string;
  /** 1-based line of the file. */
  line: number;
}

/** The record types a records file may hold. */
export const DNS_RECORD_TYPES = ['TXT', 'MX', 'A', 'AAAA', 'CNAME'] as const;

/** A line of a records file that is not a record; `message` is `line N: expected …`. */
export class DnsRecordsError extends Error {
  /** 1-based line number. */
  readonly line: number;
  constructor(line: number, expected: string) {
    super(`line ${line}: ${expected}`);
    this.name = 'DnsRecordsError';
    this.line = line;
  }
}

/**
 * Parses the text of a records file.
 * @returns The records in file order, frozen.
 * @throws DnsRecordsError naming the first bad line and what was expected there.
 */
export function parseDnsRecords(text: string): readonly DnsRecord[] {
  const records: DnsRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const record = parseLine(raw, index + 1);
    if (!record) return;
    checkCname(records, record);
    records.push(Object.freeze(record));
  });
  return Object.freeze(records);
}

/** Lowercase, without the trailing dot: how names are compared. */
export function normalizeDnsName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

const LABEL = /^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

function domainName(text: string, line: number, what: string): string {
  const name = normalizeDnsName(text);
  if (name.length === 0 || name.length > 253 || !name.split('.').every((label) => LABEL.test(label))) {
    throw new DnsRecordsError(line, `expected ${what} (letters, digits, "_" and "-" in dot-separated labels), got "${text}"`);
  }
  return name;
}

function parseLine(raw: string, line: number): DnsRecord | null {
  const { text, strings } = scan(raw, line);
  if (text.trim() === '') return null;
  const match = /^\s*(\S+)(?:\s+(\S+))?(?:\s+(.*?))?\s*$/.exec(text)!;
  const [, rawName, rawType, rest] = match;
  if (rawType === undefined || rest === undefined || rest === '') throw new DnsRecordsError(line, 'expected NAME TYPE VALUE');
  if (`${rawName}${rawType}`.includes('\0')) throw new DnsRecordsError(line, 'expected NAME and TYPE without quotes (only a TXT value is quoted)');
  const name = domainName(rawName!, line, 'a domain name as NAME');
  const type = rawType.toUpperCase();
  if (type !== 'TXT' && (DNS_RECORD_TYPES as readonly string[]).includes(type) && rest.includes('\0')) throw new DnsRecordsError(line, `expected the ${type} value without quotes (only a TXT value is quoted), got ${unscan(rest, strings)}`);
  switch (type) {
    case 'TXT':
      if (!/^\0(?:\s+\0)*$/.test(rest)) throw new DnsRecordsError(line, 'expected the TXT value as one or more double-quoted strings, e.g. "v=spf1 -all"');
      return { name, type, value: strings, line };
    case 'MX': {
      const mx = /^(\d{1,5})\s+(\S+)$/.exec(rest);
      if (!mx || Number(mx[1]) > 65535) throw new DnsRecordsError(line, `expected the MX value as PRIORITY EXCHANGE (0–65535 and a name), got "${unscan(rest, strings)}"`);
      return { name, type, value: { priority: Number(mx[1]), exchange: domainName(mx[2]!, line, 'a domain name as MX EXCHANGE') }, line };
    }
    case 'A':
    case 'AAAA': {
      const valid = type === 'A' ? isIPv4(rest) : isIPv6(rest);
      if (!valid) throw new DnsRecordsError(line, `expected an ${type === 'A' ? 'IPv4' : 'IPv6'} address as the ${type} value, got "${unscan(rest, strings)}"`);
      return { name, type, value: rest.toLowerCase(), line };
    }
    case 'CNAME':
      if (/\s/.test(rest)) throw new DnsRecordsError(line, `expected one name as the CNAME value, got "${unscan(rest, strings)}"`);
      return { name, type, value: domainName(rest, line, 'a domain name as the CNAME value'), line };
    default:
      throw new DnsRecordsError(line, `expected TYPE TXT, MX, A, AAAA or CNAME, got "${rawType}"`);
  }
}

/**
 * Cuts the comment off a line and takes out its quoted strings: `text` has a NUL in place of each
 * string, `strings` their unescaped contents.
 */
function scan(raw: string, line: number): { text: string; strings: string[] } {
  let text = '';
  const strings: string[] = [];
  for (let i = 0; i < raw.length; i += 1) {
    const char = raw[i]!;
    if (char === '#') break;
    if (char === '\0') throw new DnsRecordsError(line, 'expected text, got a NUL byte');
    if (char !== '"') {
      text += char;
      continue;
    }
    let value = '';
    for (i += 1; ; i += 1) {
      if (i >= raw.length) throw new DnsRecordsError(line, 'expected a closing " before the end of the line');
      const inner = raw[i]!;
      if (inner === '"') break;
      if (inner === '\\') {
        const next = raw[i + 1];
        if (next !== '"' && next !== '\\') throw new DnsRecordsError(line, 'expected \\" or \\\\ after a backslash inside quotes');
        value += next;
        i += 1;
      } else value += inner;
    }
    strings.push(value);
    text += '\0';
  }
  return { text, strings };
}

/** Puts quoted strings back for an error message. */
function unscan(text: string, strings: string[]): string {
  let index = 0;
  return text.replace(/\0/g, () => JSON.stringify(strings[index++] ?? ''));
}

function checkCname(records: readonly DnsRecord[], record: DnsRecord): void {
  const other = records.find((r) => r.name === record.name && (r.type === 'CNAME' || record.type === 'CNAME'));
  if (!other) return;
  const rule = 'a CNAME is the only record of its name (RFC 1034 §3.6.2)';
  if (other.type === 'CNAME') throw new DnsRecordsError(record.line, `expected no other record for ${record.name}: line ${other.line} gives it a CNAME, and ${rule}`);
  throw new DnsRecordsError(record.line, `expected no CNAME for ${record.name}: line ${other.line} gives it a ${other.type} record, and ${rule}`);
}
