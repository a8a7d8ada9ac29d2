/**
 * MailHog's JSON view of a stored message (the `data.Message` of `mailhog/data`), derived from the
 * raw bytes and the envelope only: no mailparser, so it is ready as soon as the message is stored.
 *
 * Followed from MailHog: `Content.Headers` are the top-level fields as written (names keep their
 * case; a folded value is unfolded by dropping the line break and keeping the white space; every
 * value an array), `Content.Body` the raw body, `Size` in bytes; `MIME.Parts` is MailHog's
 * top-level split of a `multipart/*` body at `--boundary` (pieces trimmed of CR/LF, so a preamble
 * and the closing `--` count as parts too, and part indexes match MailHog's); nested multiparts get
 * their own `MIME`. Like MailHog, `Raw.Data` and the body end without the CRLF that precedes the
 * terminating `.`, and `Message-ID` (when missing), `Received` and `Return-Path` are added to
 * `Content.Headers`.
 *
 * Deliberate differences: a repeated field keeps every value in order (MailHog kept the last),
 * a field without a space after the colon is kept, a message whose header ends without a blank
 * line keeps its header, and bare-LF line ends are understood.
 */
import type { StoredMessage } from '../../core/store.js';

/** An SMTP path as MailHog splits it. */
export interface MailhogPath {
  /** Source-route hops (`@a,@b:`), or `null` (Go's nil slice) when there are none. */
  Relays: string[] | null;
  /** Local part. */
  Mailbox: string;
  Domain: string;
  /** Always `""`, as in MailHog. */
  Params: string;
}

/** A header block plus body; the message itself and each MIME part. */
export interface MailhogContent {
  /** Field name as written → values in order, unfolded, undecoded; keys sorted like Go's JSON. */
  Headers: Record<string, string[]>;
  Body: string;
  /** Bytes of this content (header and body). */
  Size: number;
  /** The parts of a nested multipart; `null` otherwise (always `null` on the top-level `Content`). */
  MIME: MailhogMime | null;
}

/** The parts of a multipart body, in order. */
export interface MailhogMime {
  Parts: MailhogContent[];
}

/** One message as MailHog's API returns it. */
export interface MailhogMessage {
  /** The mailsink message id (the same one `/api/messages/:id` takes). */
  ID: string;
  From: MailhogPath;
  To: MailhogPath[];
  Content: MailhogContent;
  /** Arrival time, RFC 3339 with trailing zeros of the fraction dropped (Go's `time.Time` JSON). */
  Created: string;
  /** Top-level MIME split; `null` for a message that is not `multipart/*`. */
  MIME: MailhogMime | null;
  Raw: { From: string; To: string[]; Data: string; Helo: string };
}

/** Content parsed with strings holding one byte per character (latin1), so sizes and offsets are bytes. */
interface ByteContent {
  headers: Map<string, string[]>;
  body: string;
  size: number;
  parts: ByteContent[] | null;
}

const HEADER_LINE = /^([!-9;-~]+):[ \t]?(.*)$/s;

/** The MailHog view of a stored message. */
export function mailhogMessage(message: StoredMessage): MailhogMessage {
  const data = mailhogData(message.raw);
  const content = contentOf(data);
  const parts = isMultipart(content) ? splitParts(content) : null;
  addServerHeaders(content, message);
  const { mailFrom, rcptTo, heloName } = message.envelope;
  return {
    ID: message.id,
    From: pathOf(mailFrom),
    To: rcptTo.map(pathOf),
    Content: { ...toJson(content), MIME: null },
    Created: goTime(message.receivedAt),
    MIME: parts === null ? null : { Parts: parts.map(toJson) },
    Raw: { From: mailFrom, To: [...rcptTo], Data: utf8(data), Helo: heloName },
  };
}

/** What MailHog searches: lowercased envelope and header addresses, header values and body. */
export interface MailhogSearchText {
  from: string[];
  to: string[];
  headerValues: string[];
  body: string;
}

/** The texts `GET /api/v2/search` looks in, lowercased (see `mailhog/storage` `Search`). */
export function mailhogSearchText(message: StoredMessage): MailhogSearchText {
  const content = contentOf(mailhogData(message.raw));
  addServerHeaders(content, message);
  const values = (name: string) => [...content.headers].filter(([key]) => key.toLowerCase() === name).flatMap(([, list]) => list.map(lower));
  const { mailFrom, rcptTo } = message.envelope;
  return {
    from: [lower(addressOf(pathOf(mailFrom))), ...values('from')],
    to: [...rcptTo.map((rcpt) => lower(addressOf(pathOf(rcpt)))), ...values('to')],
    headerValues: [...content.headers.values()].flat().map(lower),
    body: lower(content.body),
  };
}

/** One top-level MIME part (MailHog's index `n`), its headers and body bytes as stored; `null` when out of range. */
export function mailhogPart(message: StoredMessage, index: number): { headers: Map<string, string[]>; body: Buffer } | null {
  const content = contentOf(mailhogData(message.raw));
  const part = isMultipart(content) ? splitParts(content)[index] : undefined;
  return part ? { headers: part.headers, body: Buffer.from(part.body, 'latin1') } : null;
}

/** First value of a field, looked up case-insensitively. */
export function headerValue(headers: Map<string, string[]>, name: string): string | undefined {
  for (const [key, values] of headers) if (key.toLowerCase() === name.toLowerCase() && values.length > 0) return values[0];
  return undefined;
}

/** The raw bytes as one byte-per-character string, without the line end (CRLF, or a bare LF) before the terminating dot. */
function mailhogData(raw: Buffer): string {
  let end = raw.length;
  if (raw[end - 1] === 0x0a) end -= raw[end - 2] === 0x0d ? 2 : 1;
  return raw.toString('latin1', 0, end);
}

/** MailHog's `ContentFromString`: header block, blank line, body. */
function contentOf(data: string): ByteContent {
  const blank = /\r?\n\r?\n/.exec(data);
  const looksLikeHeader = HEADER_LINE.test(data.split(/\r?\n/, 1)[0] ?? '');
  if (!blank && !looksLikeHeader) return { headers: new Map(), body: data, size: data.length, parts: null };
  const head = blank ? data.slice(0, blank.index) : data;
  const body = blank ? data.slice(blank.index + blank[0].length) : '';
  return { headers: parseHeaders(head), body, size: data.length, parts: null };
}

function parseHeaders(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: string[] | null = null;
  for (const line of head.split(/\r?\n/)) {
    if (last && (line.startsWith(' ') || line.startsWith('\t'))) {
      last[last.length - 1] += line;
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (!match) continue; // MailHog drops lines it cannot read as a field
    const values = headers.get(match[1]!) ?? [];
    values.push(match[2]!);
    headers.set(match[1]!, values);
    last = values;
  }
  return headers;
}

function isMultipart(content: ByteContent): boolean {
  return /^multipart\//i.test(headerValue(content.headers, 'content-type') ?? '');
}

/** MailHog's `ParseMIMEBody`: split at `--boundary`, keep non-empty pieces trimmed of CR/LF, recurse into multiparts. */
function splitParts(content: ByteContent): ByteContent[] {
  const boundary = boundaryOf(headerValue(content.headers, 'content-type') ?? '');
  if (!boundary) return [];
  return content.body
    .split(`--${boundary}`)
    .filter((piece) => piece.length > 0)
    .map((piece) => {
      const part = contentOf(piece.replace(/^[\r\n]+|[\r\n]+$/g, ''));
      if (isMultipart(part)) part.parts = splitParts(part);
      return part;
    });
}

/** The `boundary` parameter of a Content-Type value (quoted or token form, RFC 2045 §5.1). */
function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentType);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!;
}

/** What MailHog adds on arrival: a Message-ID when there is none, a Received and a Return-Path field. */
function addServerHeaders(content: ByteContent, message: StoredMessage): void {
  const add = (name: string, value: string) => {
    const existing = [...content.headers.keys()].find((key) => key.toLowerCase() === name.toLowerCase());
    content.headers.set(existing ?? name, [...(existing ? content.headers.get(existing)! : []), value]);
  };
  if (headerValue(content.headers, 'message-id') === undefined) content.headers.set('Message-ID', [`${message.id}@mailsink`]);
  add('Received', `from ${message.envelope.heloName} by mailsink (MailHog API)\r\n          id ${message.id}; ${rfc1123z(message.receivedAt)}`);
  add('Return-Path', `<${message.envelope.mailFrom}>`);
}

function toJson(content: ByteContent): MailhogContent {
  const headers: Record<string, string[]> = {};
  for (const key of [...content.headers.keys()].sort()) headers[utf8(key)] = content.headers.get(key)!.map(utf8);
  return { Headers: headers, Body: utf8(content.body), Size: content.size, MIME: content.parts === null ? null : { Parts: content.parts.map(toJson) } };
}

/** MailHog's `PathFromString`; the domain is split at the last `@` so quoted local parts stay whole. */
function pathOf(path: string): MailhogPath {
  const route = /^(@[^:]*):(.*)$/.exec(path);
  const address = route ? route[2]! : path;
  const at = address.lastIndexOf('@');
  return {
    Relays: route ? route[1]!.split(',') : null,
    Mailbox: at < 0 ? address : address.slice(0, at),
    Domain: at < 0 ? '' : address.slice(at + 1),
    Params: '',
  };
}

function addressOf(path: MailhogPath): string {
  return `${path.Mailbox}@${path.Domain}`;
}

function utf8(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function lower(bytes: string): string {
  return utf8(bytes).toLowerCase();
}

/** ISO 8601 with milliseconds → Go's RFC 3339 nano form (trailing zeros of the fraction dropped). */
function goTime(iso: string): string {
  return iso.replace(/\.(\d*?)0*Z$/, (_match, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date-time in UTC, like Go's `time.RFC1123Z`: `Thu, 03 Dec 2026 17:27:12 +0000`. */
function rfc1123z(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
