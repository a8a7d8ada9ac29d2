/**
 * The real-mail corpus (third-party test data, never committed: `MAILSINK_CORPUS`, by default
 * `../shared/corpus` beside the repository, see its MANIFEST.md): locating it, reading `index.tsv`,
 * preparing a message for SMTP DATA, and reading the expectations of the stalwart-mail-parser
 * `.crlf.json` files. Used by `test/corpus/corpus.test.ts` (`npm run test:corpus`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `test/helpers/corpus.ts`). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The corpus directory: `MAILSINK_CORPUS` (relative to the repository root), by default `../shared/corpus`. */
export const CORPUS_DIR = path.resolve(REPO_ROOT, process.env.MAILSINK_CORPUS || path.join('..', 'shared', 'corpus'));

/** One row of `index.tsv`. */
export interface CorpusEntry {
  /** Path relative to the corpus directory, e.g. `stalwart-mail-parser/rfc/000.eml`. */
  relpath: string;
  /** First path segment: the upstream source, e.g. `stalwart-mail-parser`. */
  source: string;
  /** File size in bytes as recorded in the index. */
  bytes: number;
  /** Expected-output files (relative paths or globs); empty when none. */
  expected: string[];
  description: string;
}

/**
 * Reads `index.tsv` (columns `relpath`, `bytes`, `has_expected`, `description`).
 * @throws Error naming the missing path when the corpus is not beside the repository.
 */
export function readCorpusIndex(dir: string = CORPUS_DIR): CorpusEntry[] {
  const indexPath = path.join(dir, 'index.tsv');
  if (!existsSync(indexPath)) {
    throw new Error(
      `real-mail corpus not found: expected ${indexPath}. Set MAILSINK_CORPUS to the corpus directory ` +
        `(with MANIFEST.md and index.tsv; default ../shared/corpus beside the repository).`,
    );
  }
  const [header, ...rows] = readFileSync(indexPath, 'utf8').split('\n').filter((line) => line !== '');
  if (header !== 'relpath\tbytes\thas_expected\tdescription') throw new Error(`unexpected index.tsv header: ${header}`);
  return rows.map((row) => {
    const [relpath = '', bytes = '', expected = '', description = ''] = row.split('\t');
    return {
      relpath,
      source: relpath.split('/')[0]!,
      bytes: Number(bytes),
      expected: expected === '-' ? [] : expected.split(';'),
      description,
    };
  });
}

/** Counts of what {@link prepareForSmtp} changed, summed over messages. */
export interface PrepareStats {
  /** Messages whose mbox `From ` first line was removed. */
  mboxFromLinesStripped: number;
  /** Messages in which at least one bare LF became CRLF. */
  bareLfConverted: number;
  /** Messages in which at least one bare CR became CRLF. */
  bareCrConverted: number;
  /** Messages that got a CRLF appended because they did not end with a line break. */
  finalCrlfAppended: number;
}

export function emptyPrepareStats(): PrepareStats {
  return { mboxFromLinesStripped: 0, bareLfConverted: 0, bareCrConverted: 0, finalCrlfAppended: 0 };
}

const CRLF = Buffer.from('\r\n');

/**
 * Turns a corpus file into the exact message bytes an SMTP client puts in DATA (before
 * dot-stuffing, which the server undoes). The transformation, in order:
 *
 * 1. An mbox `From ` first line (12 files) is removed up to and including its LF: it is mailbox
 *    framing, not a header, and sent verbatim it would become a bogus header line.
 * 2. Every line ending becomes CRLF (RFC 5321 §2.3.8): an existing CRLF is kept; a bare LF becomes
 *    CRLF; a bare CR (one file: `stalwart-mail-parser/legacy/049.eml`, as its last byte) becomes
 *    CRLF too, because nodemailer's DataStream turns a bare CR into CRLF on the wire itself (its
 *    defence against SMTP smuggling), so doing it here keeps "the bytes we sent" exactly the bytes
 *    nodemailer sends. After this step nodemailer changes nothing but dot-stuffing.
 * 3. A message that does not end with CRLF gets one appended: SMTP DATA always ends with CRLF before
 *    the final `.`, and that CRLF belongs to the message (RFC 5321 §4.1.1.4).
 *
 * Nothing else changes: no BOM removal, no header edits, 8-bit bytes, NULs and long lines stay.
 */
export function prepareForSmtp(file: Buffer, stats: PrepareStats = emptyPrepareStats()): Buffer {
  let input = file;
  if (input.subarray(0, 5).toString('latin1') === 'From ') {
    const lf = input.indexOf(0x0a);
    input = lf === -1 ? Buffer.alloc(0) : input.subarray(lf + 1);
    stats.mboxFromLinesStripped += 1;
  }
  const out = Buffer.allocUnsafe(input.length * 2 + 2);
  let o = 0;
  let bareLf = false;
  let bareCr = false;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    if (byte === 0x0d && input[i + 1] === 0x0a) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      i += 1;
    } else if (byte === 0x0a || byte === 0x0d) {
      if (byte === 0x0a) bareLf = true;
      else bareCr = true;
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    } else {
      out[o++] = byte;
    }
  }
  if (bareLf) stats.bareLfConverted += 1;
  if (bareCr) stats.bareCrConverted += 1;
  if (o < 2 || out[o - 2] !== 0x0d || out[o - 1] !== 0x0a) {
    CRLF.copy(out, o);
    o += 2;
    stats.finalCrlfAppended += 1;
  }
  return Buffer.from(out.subarray(0, o));
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the order of `items`. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Hex sha256. */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Explains how `got` differs from `sent`: lengths, sha256s and the first differing offset with a
 * few bytes of context on each side. Returns `null` when the buffers are equal.
 */
export function describeMismatch(sent: Buffer, got: Buffer): string | null {
  if (sent.equals(got)) return null;
  let offset = 0;
  while (offset < sent.length && offset < got.length && sent[offset] === got[offset]) offset++;
  const around = (bytes: Buffer) => JSON.stringify(bytes.subarray(Math.max(0, offset - 16), offset + 16).toString('latin1'));
  return (
    `sent ${sent.length} bytes sha256 ${sha256(sent)}, got ${got.length} bytes sha256 ${sha256(got)}; ` +
    `first difference at offset ${offset}: sent …${around(sent)}… got …${around(got)}…`
  );
}

/** A value the expected-output file gives plainly, its explicit absence, or why it cannot be read without guessing. */
export type Expectation = { kind: 'value'; value: string } | { kind: 'absent' } | { kind: 'unclear'; why: string };

/** The top-level Subject, From address and From/To mailboxes a stalwart `.crlf.json` expects. */
export interface StalwartExpectation {
  subject: Expectation;
  fromAddress: Expectation;
  /** `[{ name, address }]` of From and To as JSON (names decoded; `null` name or address → `""`), or absent/unclear. */
  fromMailboxes: Expectation;
  toMailboxes: Expectation;
}

interface StalwartHeader {
  name: string | { other: string };
  value: unknown;
}

/**
 * Reads the top-level `subject` and `from` of a stalwart-mail-parser `.crlf.json` (the
 * `serde_json` form of `mail_parser::Message`: `parts[0].headers[]` of `{ name, value }`, where a
 * subject is `{ Text }` and an address list `{ Address: { List: [{ name, address }] } }`).
 *
 * - Subject: `absent` when the message has none; a `value` when every Subject field is the same
 *   `{ Text }`; otherwise `unclear`.
 * - From: `absent` when there is no From field; the first mailbox's address when it is a plain
 *   `List`. A mailbox that has a display name but no addr-spec (`From: Whomever`) has
 *   `address: null` there; our contract has no null address (`Address.address` is `""` when none
 *   was written, see `server/core/parse.ts`), so that maps to the value `""`. Groups and anything
 *   else are `unclear`.
 */
export function stalwartExpectation(json: unknown): StalwartExpectation {
  const headers = (json as { parts?: { headers?: StalwartHeader[] }[] }).parts?.[0]?.headers;
  if (!Array.isArray(headers)) {
    const unclear: Expectation = { kind: 'unclear', why: 'no parts[0].headers' };
    return { subject: unclear, fromAddress: unclear, fromMailboxes: unclear, toMailboxes: unclear };
  }
  const from = headers.filter((h) => h.name === 'from');
  return {
    subject: subjectOf(headers.filter((h) => h.name === 'subject')),
    fromAddress: fromOf(from),
    fromMailboxes: mailboxesOf(from),
    toMailboxes: mailboxesOf(headers.filter((h) => h.name === 'to')),
  };
}

/**
 * The mailboxes of one address field as JSON `[{"name","address"}]`, when it is a plain `List`
 * (a mailbox without display name or addr-spec has `null` there, our contract `""`).
 */
function mailboxesOf(fields: StalwartHeader[]): Expectation {
  if (fields.length === 0) return { kind: 'absent' };
  if (fields.length > 1) return { kind: 'unclear', why: `${fields.length} fields` };
  const list = (fields[0]!.value as { Address?: { List?: { name?: unknown; address?: unknown }[] } }).Address?.List;
  const plain = (v: unknown) => typeof v === 'string' || v === null;
  if (!list || list.length === 0 || !list.every((m) => plain(m.name) && plain(m.address))) {
    return { kind: 'unclear', why: `address value ${JSON.stringify(fields[0]!.value)}` };
  }
  return { kind: 'value', value: JSON.stringify(list.map((m) => ({ name: m.name ?? '', address: m.address ?? '' }))) };
}

function subjectOf(fields: StalwartHeader[]): Expectation {
  if (fields.length === 0) return { kind: 'absent' };
  const texts = new Set(fields.map((f) => (f.value as { Text?: unknown }).Text));
  const [text] = texts;
  if (texts.size !== 1 || typeof text !== 'string') return { kind: 'unclear', why: `Subject fields ${JSON.stringify(fields.map((f) => f.value))}` };
  return { kind: 'value', value: text };
}

function fromOf(fields: StalwartHeader[]): Expectation {
  if (fields.length === 0) return { kind: 'absent' };
  if (fields.length > 1) return { kind: 'unclear', why: `${fields.length} From fields` };
  const list = (fields[0]!.value as { Address?: { List?: { address?: unknown }[] } }).Address?.List;
  const address = list?.[0]?.address;
  if (!list || list.length === 0 || !(typeof address === 'string' || address === null)) {
    return { kind: 'unclear', why: `From value ${JSON.stringify(fields[0]!.value)}` };
  }
  return { kind: 'value', value: address ?? '' };
}
