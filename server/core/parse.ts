/**
 * The only mailparser import: turns raw message bytes into a {@link ParsedMessage}, and extracts
 * the decoded bytes of one MIME part on demand. Attachment contents are hashed and counted while
 * streaming and never kept, so a parsed message costs little more than its text and HTML.
 */
import { setImmediate } from 'node:timers/promises';
import { MailParser } from 'mailparser';
import type { AddressObject, AttachmentStream, HeaderLines, MessageText } from 'mailparser';
import type { Address, AttachmentMeta, HeaderField } from '../contract.js';
import { safeFilename } from './filename.js';

/** Attachment metadata as parsed, before the HTTP layer adds its `url`. */
export type PartMeta = Omit<AttachmentMeta, 'url'>;

/** Structured view of a message, derived from its raw bytes (which stay the source of truth). */
export interface ParsedMessage {
  /** `Message-ID` without angle brackets, or `null`. */
  messageId: string | null;
  /** Decoded subject (RFC 2047), `""` when absent. */
  subject: string;
  from: Address[];
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  /** `Date` header as ISO 8601, `null` when absent or unparsable. */
  date: string | null;
  /** Header fields in original order, unfolded. */
  headers: HeaderField[];
  text: string | null;
  /** HTML body with `cid:` references left as written (see `resolveCidLinks`). */
  html: string | null;
  attachments: PartMeta[];
}

/** Length of `MessageSummary.snippet`, in characters. */
const SNIPPET_LENGTH = 200;

/**
 * What the store keeps of a parsed message besides its raw bytes: everything lists, queries,
 * mailboxes and waits need, and nothing that grows with the body (about 1 KiB for a typical
 * message). Bodies and the header list are parsed again on demand (see `MessageParsing`).
 */
export interface MessageFacts extends Pick<ParsedMessage, 'messageId' | 'subject' | 'from' | 'to' | 'cc' | 'bcc' | 'replyTo' | 'date'> {
  /** `Return-Path` address (`""` for `<>`), or `null` without the header. */
  returnPath: string | null;
  /** First {@link SNIPPET_LENGTH} characters of the text body, whitespace collapsed. */
  snippet: string;
  /** Metadata of every non-body part (empty for most messages). */
  attachments: PartMeta[];
  /** Entries of the `X-Tags` header(s), split at commas, not yet cleaned (see `tags.ts`); empty without one. */
  tags: string[];
  parseError: string | null;
}

const NO_PARTS: PartMeta[] = [];

/** The facts of a parse result; see {@link MessageFacts}. */
export function factsOf({ parsed, parseError }: ParseResult): MessageFacts {
  return {
    messageId: parsed?.messageId ?? null,
    subject: parsed?.subject ?? '',
    from: parsed?.from ?? [],
    to: parsed?.to ?? [],
    cc: parsed?.cc ?? [],
    bcc: parsed?.bcc ?? [],
    replyTo: parsed?.replyTo ?? [],
    date: parsed?.date ?? null,
    returnPath: parsed ? returnPath(parsed.headers) : null,
    snippet: snippet(parsed?.text ?? null),
    attachments: parsed && parsed.attachments.length > 0 ? parsed.attachments : NO_PARTS,
    tags: parsed ? xTags(parsed.headers) : [],
    parseError,
  };
}

function snippet(text: string | null): string {
  if (!text) return '';
  return text.slice(0, SNIPPET_LENGTH * 4).replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH);
}

/** Entries of every `X-Tags` header (Mailpit's tagging header), split at commas. */
function xTags(headers: readonly HeaderField[]): string[] {
  return headers.filter((h) => h.name.toLowerCase() === 'x-tags').flatMap((h) => h.value.split(','));
}

/** The `Return-Path` address (`""` for `<>`), or `null` without the header (RFC 5321 §4.4). */
function returnPath(headers: readonly HeaderField[]): string | null {
  const header = headers.find((h) => h.name.toLowerCase() === 'return-path');
  if (!header) return null;
  const match = /<([^>]*)>/.exec(header.value);
  return (match ? match[1]! : header.value).trim();
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
 * as `parseError`, with whatever was parsed before it (headers usually) in `parsed`.
 *
 * Line endings are normalised for the parser only (`CR+ LF` and bare `LF` → `CRLF`, see
 * {@link normaliseLineEndings}); the caller keeps the original bytes.
 *
 * @param raw - Message bytes exactly as received (DATA after dot-unstuffing).
 */
export async function parseMessage(raw: Buffer): Promise<ParseResult> {
  const input = normaliseLineEndings(raw);
  const parts: PartMeta[] = [];
  let text: MessageText | null = null;
  const result = await runParser(input, (attachment) => collectMeta(attachment, parts), (t) => (text = t));
  if (!result.parser.headers && result.error) return { parsed: null, parseError: result.error };
  const parsed = toParsed(result.parser, text, parts);
  if (parsed.text === null && parsed.html === null && parts.length === 0 && !hasHeaderSeparator(input)) {
    // No header/body separator at all (typed in telnet): show the lines instead of an empty body,
    // with line ends as in every other parsed text (LF).
    parsed.text = raw.toString('utf8').replace(/\r+\n/g, '\n');
  }
  return { parsed, parseError: result.error };
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
 * @param partId - IMAP-style part path (`AttachmentMeta.partId`).
 * @returns The part, or `null` when the message has no such attachment part.
 */
export async function extractPart(raw: Buffer, partId: string): Promise<ExtractedPart | null> {
  const parts: PartMeta[] = [];
  let found: ExtractedPart | null = null;
  await runParser(normaliseLineEndings(raw), async (attachment) => {
    const meta = await collectMeta(attachment, parts, attachment.partId === partId ? [] : undefined);
    if (meta.chunks) found = { meta: meta.part, content: Buffer.concat(meta.chunks) };
  }, () => undefined);
  return found;
}

/**
 * Rewrites line endings for parsing: every run of CRs followed by LF, and every bare LF, becomes
 * CRLF (mailparser 3.14 loses the body on `\r\r\n`). Bare CRs not followed by LF are kept.
 * Returns the input itself when nothing needs changing.
 */
export function normaliseLineEndings(raw: Buffer): Buffer {
  if (!needsNormalising(raw)) return raw;
  const out = Buffer.allocUnsafe(raw.length * 2);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte === 0x0d) {
      let j = i;
      while (j < raw.length && raw[j] === 0x0d) j++;
      if (raw[j] === 0x0a) {
        out[o++] = 0x0d;
        out[o++] = 0x0a;
        i = j;
        continue;
      }
    } else if (byte === 0x0a) {
      out[o++] = 0x0d;
    }
    out[o++] = byte;
  }
  return out.subarray(0, o);
}

function needsNormalising(raw: Buffer): boolean {
  for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
    if (i === 0 || raw[i - 1] !== 0x0d || (i >= 2 && raw[i - 2] === 0x0d)) return true;
  }
  return false;
}

function hasHeaderSeparator(input: Buffer): boolean {
  return input.indexOf('\r\n\r\n') !== -1 || input.subarray(0, 2).equals(Buffer.from('\r\n'));
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
  const parser = new MailParser({
    skipTextToHtml: true,
    skipImageLinks: true,
    checksumAlgo: 'sha256',
    maxChildNodes: MAX_CHILD_NODES,
  });
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

interface CollectedMeta {
  part: PartMeta;
  chunks: Buffer[] | undefined;
}

/** Reads one attachment stream to its end, recording size and sha256; keeps the bytes only when `chunks` is given. */
function collectMeta(attachment: AttachmentStream, parts: PartMeta[], chunks?: Buffer[]): Promise<CollectedMeta> {
  return new Promise((resolve, reject) => {
    attachment.content.on('data', (chunk: Buffer) => chunks?.push(chunk));
    attachment.content.on('error', reject);
    attachment.content.on('end', () => {
      const part = partMeta(attachment, parts.length);
      parts.push(part);
      resolve({ part, chunks });
    });
  });
}

function partMeta(attachment: AttachmentStream, index: number): PartMeta {
  const partId = attachment.partId ?? String(index + 1);
  const declared = attachment.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const contentType = (declared?.value || attachment.contentType || 'application/octet-stream').toLowerCase();
  const disposition = (attachment.contentDisposition ?? '').toLowerCase();
  const filename = attachment.filename ?? null;
  const contentId = attachment.cid || null;
  return {
    partId,
    filename,
    safeFilename: safeFilename(filename, `part-${partId}`, contentType),
    contentType,
    contentTypeParams: { ...(declared?.params ?? {}) },
    contentId,
    disposition: disposition === 'attachment' || disposition === 'inline' ? disposition : null,
    inline: Boolean(attachment.related) || (disposition === 'inline' && contentId !== null),
    sizeBytes: attachment.size ?? 0,
    sha256: attachment.checksum ?? '',
  };
}

function toParsed(parser: MailParser, text: MessageText | null, attachments: PartMeta[]): ParsedMessage {
  const date = parser.date instanceof Date && !Number.isNaN(parser.date.getTime()) ? parser.date.toISOString() : null;
  const t = text as MessageText | null;
  return {
    messageId: parser.messageId ? parser.messageId.trim().replace(/^<|>$/g, '') || null : null,
    subject: typeof parser.subject === 'string' ? parser.subject : '',
    from: addresses(parser.from),
    to: addresses(parser.to),
    cc: addresses(parser.cc),
    bcc: addresses(parser.bcc),
    replyTo: addresses(parser.replyTo),
    date,
    headers: headerFields(parser.headerLines || []),
    text: t?.text ?? null,
    html: t?.html ?? null,
    attachments,
  };
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

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header line as text. mailparser hands header lines over as binary strings (one character per
 * byte), so 8-bit header bytes (SMTPUTF8, RFC 6532) must be decoded here: as UTF-8 when they are
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

/** Header fields from mailparser's lines; the blank line it reports for an empty header section is not a field. */
function headerFields(lines: HeaderLines): HeaderField[] {
  return lines.filter(({ line }) => line.trim() !== '').map(({ line: bytes }) => {
    const line = rawHeaderText(bytes);
    const colon = line.indexOf(':');
    const unfolded = line.replace(/\r?\n(?=[ \t])/g, '');
    if (colon === -1) return { name: '', value: unfolded };
    return { name: line.slice(0, colon).trim(), value: unfolded.slice(colon + 1).replace(/^[ \t]+/, '').replace(/\r$/, '') };
  });
}
