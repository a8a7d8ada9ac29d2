/**
 * The only mailparser import: turns raw message bytes into a {@link ParsedMessage}, and extracts
 * the decoded bytes of one MIME part on demand. Attachment contents are hashed and counted while
 * streaming and never kept, so a parsed message costs little more than its text and HTML. What
 * mailparser gets wrong for legacy mail is corrected around it: headers through our own RFC 2047
 * decoder (`headers.ts`), bodies without a charset (`body-charsets.ts`), uuencode (`uuencode.ts`),
 * bodies it cannot cut into parts (`body-fallback.ts`).
 */
import { setImmediate } from 'node:timers/promises';
import { MailParser, parseAddressHeader } from 'mailparser';
import type { AddressObject, AttachmentStream, MessageText } from 'mailparser';
import type { Address, HeaderField } from '../contract.js';
import { decodeUndeclaredCharsets } from './body-charsets.js';
import type { TextDecodingInternals } from './body-charsets.js';
import { fallbackBody } from './body-fallback.js';
import type { ContentTypeValue } from './body-fallback.js';
import { normaliseEncodedWords } from './encoded-words.js';
import { dateOf, headerFields, rawValues, subjectOf } from './headers.js';
import type { RawHeaderLine } from './headers.js';
import { normaliseLineEndings } from './line-endings.js';
import { collectMeta, partIdOf, uuPartId, uuPartMeta } from './parts.js';
import type { AttachmentLike, PartMeta } from './parts.js';
import { keepReportPartsWhole } from './report-parts.js';
import { extractUuBlocks } from './uuencode.js';

export { factsOf } from './facts.js';
export type { MessageFacts } from './facts.js';
export { normaliseLineEndings } from './line-endings.js';
export type { PartMeta } from './parts.js';

/** Structured view of a message, derived from its raw bytes (which stay the source of truth). */
export interface ParsedMessage {
  /** `Message-ID` without angle brackets, or `null`. */
  messageId: string | null;
  /** Decoded subject (RFC 2047, see `encoded-words.ts`), `""` when absent. */
  subject: string;
  /** Addresses with display names decoded by the same decoder. */
  from: Address[];
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  /** `Date` header as ISO 8601, `null` when absent or unparsable (never the time of arrival). */
  date: string | null;
  /** Header fields in original order, unfolded, each with its decoded value. */
  headers: HeaderField[];
  /** Text body; uuencoded `begin … end` blocks are taken out of it and listed as parts. */
  text: string | null;
  /** HTML body with `cid:` references left as written (see `resolveCidLinks`). */
  html: string | null;
  attachments: PartMeta[];
}

/** Outcome of {@link parseMessage}: `parsed` may be partial (or `null`) when `parseError` is set. */
export interface ParseResult {
  parsed: ParsedMessage | null;
  parseError: string | null;
}

/** The most MIME parts parsed per message; more give a `parseError` (mailparser's `EMAXLEN`), never a crash. */
const MAX_CHILD_NODES = 1000;

/** Bytes written to the parser per event-loop turn (see `feed`). */
const PARSE_SLICE_BYTES = 256 * 1024;

/**
 * Parses a raw RFC 5322 message. Never throws and never rejects: any parser failure is returned
 * as `parseError`, with whatever was parsed before it (headers usually) in `parsed`. A body the
 * parser could not cut into parts is shown as text, with the reason as `parseError`.
 *
 * Line endings are normalised for the parser only (see {@link normaliseLineEndings}); the caller
 * keeps the original bytes.
 *
 * @param raw - Message bytes exactly as received (DATA after dot-unstuffing).
 */
export async function parseMessage(raw: Buffer): Promise<ParseResult> {
  const input = normaliseLineEndings(raw);
  const parts: PartMeta[] = [];
  let text: MessageText | null = null;
  const result = await runParser(input, (attachment) => collectMeta(asAttachment(attachment), parts, false), (t) => (text = t));
  if (!result.parser.headers && result.error) return { parsed: null, parseError: result.error };
  const parsed = toParsed(result.parser, text, parts);
  let parseError = result.error;
  if (parsed.text === null && parsed.html === null && parts.length === 0) {
    const contentType = result.parser.headers ? (result.parser.headers.get('content-type') as ContentTypeValue | undefined) : undefined;
    const fallback = fallbackBody(raw, input, contentType);
    if (fallback) {
      parsed.text = fallback.text;
      parseError ??= fallback.problem;
    }
  }
  return { parsed, parseError };
}

/** Decoded bytes and metadata of one MIME part. */
export interface ExtractedPart {
  meta: PartMeta;
  content: Buffer;
}

/**
 * Extracts the decoded bytes of one non-body part by re-parsing the raw message.
 *
 * @param raw - Message bytes as stored.
 * @param partId - IMAP-style part path (`AttachmentMeta.partId`), or `uu-N` for a uuencoded file of the text body.
 * @returns The part, or `null` when the message has no such attachment part.
 */
export async function extractPart(raw: Buffer, partId: string): Promise<ExtractedPart | null> {
  const parts: PartMeta[] = [];
  let found: ExtractedPart | null = null;
  let text: MessageText | null = null;
  await runParser(normaliseLineEndings(raw), async (stream) => {
    const attachment = asAttachment(stream);
    const { part, content } = await collectMeta(attachment, parts, partIdOf(attachment, parts.length) === partId);
    if (content) found = { meta: part, content };
  }, (t) => (text = t));
  const uu = /^uu-(\d+)$/.exec(partId);
  if (found || !uu) return found;
  const n = Number(uu[1]);
  const file = extractUuBlocks((text as MessageText | null)?.text ?? '').files[n - 1];
  return file && uuPartId(n) === partId ? { meta: uuPartMeta(file, n), content: file.content } : null;
}

function asAttachment(stream: AttachmentStream): AttachmentLike {
  return stream as unknown as AttachmentLike;
}

interface ParserRun {
  parser: MailParser;
  error: string | null;
}

function runParser(
  input: Buffer,
  onAttachment: (attachment: AttachmentStream) => Promise<unknown>,
  onText: (text: MessageText) => void,
): Promise<ParserRun> {
  const options: Record<string, unknown> = {
    skipTextToHtml: true,
    skipImageLinks: true,
    checksumAlgo: 'sha256',
    maxChildNodes: MAX_CHILD_NODES,
    // A bounce's machine-readable part (RFC 3464) is a part to download, not body text.
    keepDeliveryStatus: true,
  };
  let splitter: { node?: object } | undefined;
  keepReportPartsWhole(options, () => splitter?.node);
  const parser = new MailParser(options);
  splitter = (parser as unknown as { splitter: { node?: object } }).splitter;
  decodeUndeclaredCharsets(parser as unknown as TextDecodingInternals);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ parser, error });
    };
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') onText(data);
      else onAttachment(data).then(() => data.release?.(), (err: unknown) => settle(errorText(err)));
    });
    parser.on('error', (err: unknown) => {
      settle(errorText(err));
      parser.destroy();
    });
    parser.on('end', () => settle(null));
    feed(parser, input).catch((err: unknown) => settle(errorText(err)));
  });
}

/**
 * Hands `input` to the parser in slices of {@link PARSE_SLICE_BYTES}, one per event-loop turn and
 * respecting backpressure: mailparser splits a chunk synchronously, so a 30 MB message written at
 * once would stall the REST API and every SMTP session for a quarter of a second or more.
 * Stops early when the parser is destroyed (after an error).
 */
async function feed(parser: MailParser, input: Buffer): Promise<void> {
  for (let offset = 0; offset < input.length; offset += PARSE_SLICE_BYTES) {
    if (offset > 0) await setImmediate();
    if (parser.destroyed) return;
    if (!parser.write(input.subarray(offset, offset + PARSE_SLICE_BYTES))) await drainedOrClosed(parser);
  }
  if (!parser.destroyed) parser.end();
}

function drainedOrClosed(stream: MailParser): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}

function toParsed(parser: MailParser, text: MessageText | null, attachments: PartMeta[]): ParsedMessage {
  const lines = (parser.headerLines || []) as RawHeaderLine[];
  const t = text as MessageText | null;
  const uu = extractUuBlocks(t?.text ?? '');
  return {
    messageId: parser.messageId ? parser.messageId.trim().replace(/^<|>$/g, '') || null : null,
    subject: subjectOf(lines),
    from: addressList(lines, 'from', true),
    to: addressList(lines, 'to', false),
    cc: addressList(lines, 'cc', false),
    bcc: addressList(lines, 'bcc', false),
    replyTo: addressList(lines, 'reply-to', true),
    date: dateOf(lines),
    headers: headerFields(lines),
    text: t?.text === undefined ? null : uu.text,
    html: t?.html ?? null,
    attachments: uu.files.length === 0 ? attachments : [...attachments, ...uu.files.map((file, i) => uuPartMeta(file, i + 1))],
  };
}

/**
 * The addresses of a header (the first field only for `single` ones, as mailparser and mail
 * clients take them), display names decoded by our RFC 2047 decoder: the words are rewritten as
 * UTF-8 before mailparser's address parser sees them (`normaliseEncodedWords`).
 */
function addressList(lines: readonly RawHeaderLine[], key: string, single: boolean): Address[] {
  const values = rawValues(lines, key);
  const chosen = single ? values.slice(0, 1) : values;
  return chosen.length === 0 ? [] : addresses(parseAddressHeader(chosen.map(normaliseEncodedWords)));
}

function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  const out: Address[] = [];
  for (const object of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
    for (const entry of object.value) {
      if (entry.group) for (const member of entry.group) out.push({ name: member.name ?? '', address: member.address ?? '' });
      else out.push({ name: entry.name ?? '', address: entry.address ?? '' });
    }
  }
  return out;
}
