/**
 * Mailpit's JSON shapes (swagger models `MessageSummary`, `Message`, `Attachment`, `MessagesSummary`)
 * built from mailsink's core views. Field names are Mailpit's (PascalCase); times are ISO 8601
 * (Mailpit's RFC 3339); empty lists are `[]`; a missing `From` is `null`.
 */
import type { Address, HeaderField } from '../../contract.js';
import type { ParsedMessage, PartMeta } from '../../core/parse.js';
import type { StoredMessage } from '../../core/store.js';

/** `{Name, Address}` of Go's `mail.Address`. */
export interface MailpitAddress {
  Name: string;
  Address: string;
}

/** An item of `messages` in `GET /api/v1/messages` and `/api/v1/search`. */
export interface MailpitSummary {
  ID: string;
  MessageID: string;
  Read: boolean;
  From: MailpitAddress | null;
  To: MailpitAddress[];
  Cc: MailpitAddress[];
  Bcc: MailpitAddress[];
  ReplyTo: MailpitAddress[];
  Subject: string;
  /** Received time, ISO 8601. */
  Created: string;
  /** SMTP AUTH user, `""` without one. */
  Username: string;
  Tags: string[];
  /** Raw size in bytes. */
  Size: number;
  /** Number of attachments (inline parts not counted). */
  Attachments: number;
  Snippet: string;
}

/** One part in `Inline` or `Attachments` of a Mailpit message. */
export interface MailpitAttachment {
  PartID: string;
  FileName: string;
  ContentType: string;
  ContentID: string;
  /** Decoded size in bytes. */
  Size: number;
  Checksums: { MD5: string; SHA1: string; SHA256: string };
}

/** Mailpit's `MessagesSummary` (list and search). */
export interface MailpitMessages {
  total: number;
  unread: number;
  count: number;
  messages_count: number;
  messages_unread: number;
  start: number;
  tags: string[];
  messages: MailpitSummary[];
}

/** An address as Mailpit's JSON has it. */
export function toMailpitAddress(a: Address): MailpitAddress {
  return { Name: a.name, Address: a.address };
}

/** Header Bcc entries, then envelope recipients named in neither To, Cc nor Bcc (as Mailpit records hidden recipients). */
export function bccOf(message: StoredMessage): MailpitAddress[] {
  const f = message.facts;
  const named = new Set([...(f?.to ?? []), ...(f?.cc ?? []), ...(f?.bcc ?? [])].map((a) => a.address.toLowerCase()));
  const hidden = message.envelope.rcptTo.filter((r) => !named.has(r.toLowerCase())).map((r) => ({ Name: '', Address: r }));
  return [...(f?.bcc ?? []).map(toMailpitAddress), ...hidden];
}

/** The list/search item of a message whose facts are known. */
export function toMailpitSummary(message: StoredMessage): MailpitSummary {
  const f = message.facts;
  const from = f?.from[0];
  return {
    ID: message.id,
    MessageID: f?.messageId ?? '',
    Read: message.read,
    From: from ? toMailpitAddress(from) : null,
    To: (f?.to ?? []).map(toMailpitAddress),
    Cc: (f?.cc ?? []).map(toMailpitAddress),
    Bcc: bccOf(message),
    ReplyTo: (f?.replyTo ?? []).map(toMailpitAddress),
    Subject: f?.subject ?? '',
    Created: message.receivedAt,
    Username: message.envelope.authUser ?? '',
    Tags: [...message.tags],
    Size: message.sizeBytes,
    Attachments: (f?.attachments ?? []).filter((part) => !part.inline).length,
    Snippet: f?.snippet ?? '',
  };
}

/** Checksums of a part's decoded bytes; SHA-256 is always known, MD5 and SHA-1 when the bytes were extracted. */
export type PartChecksums = Map<string, { MD5: string; SHA1: string }>;

/** A part as Mailpit lists it. */
export function toMailpitAttachment(part: PartMeta, sums: PartChecksums): MailpitAttachment {
  const extra = sums.get(part.partId);
  return {
    PartID: part.partId,
    FileName: part.filename ?? '',
    ContentType: part.contentType,
    ContentID: part.contentId ?? '',
    Size: part.sizeBytes,
    Checksums: { MD5: extra?.MD5 ?? '', SHA1: extra?.SHA1 ?? '', SHA256: part.sha256 },
  };
}

/** Mailpit's `Message` (`GET /api/v1/message/{ID}`). */
export function toMailpitMessage(message: StoredMessage, parsed: ParsedMessage | null, sums: PartChecksums) {
  const summary = toMailpitSummary(message);
  const headers = parsed?.headers ?? [];
  const parts = (parsed?.attachments ?? []).filter((part) => part.filename !== null || part.contentId !== null);
  const unsubscribe = headerValue(headers, 'list-unsubscribe');
  return {
    ID: summary.ID,
    MessageID: summary.MessageID,
    From: summary.From,
    To: summary.To,
    Cc: summary.Cc,
    Bcc: summary.Bcc,
    ReplyTo: summary.ReplyTo,
    ReturnPath: message.facts?.returnPath || message.envelope.mailFrom || summary.From?.Address || '',
    Subject: summary.Subject,
    ListUnsubscribe: {
      Header: unsubscribe,
      Links: [...unsubscribe.matchAll(/<([^>]+)>/g)].map((m) => m[1]!.trim()),
      Errors: '',
      HeaderPost: headerValue(headers, 'list-unsubscribe-post'),
    },
    Date: message.facts?.date ?? message.receivedAt,
    Tags: summary.Tags,
    Username: summary.Username,
    Text: parsed?.text ?? '',
    HTML: parsed?.html ?? '',
    Size: summary.Size,
    Inline: parts.filter((part) => part.inline).map((part) => toMailpitAttachment(part, sums)),
    Attachments: parts.filter((part) => !part.inline).map((part) => toMailpitAttachment(part, sums)),
  };
}

function headerValue(headers: readonly HeaderField[], lowerName: string): string {
  return headers.find((h) => h.name.toLowerCase() === lowerName)?.value.trim() ?? '';
}

/**
 * Header fields as Go's `mail.Header` encodes them (`GET /api/v1/message/{ID}/headers`): keys in
 * canonical MIME form (`Message-Id`, `X-Tags`), sorted; each key's values in message order,
 * unfolded and trimmed, not decoded.
 */
export function toMailpitHeaders(headers: readonly HeaderField[]): Record<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { name, value } of headers) {
    if (name === '') continue;
    const key = canonicalHeaderKey(name);
    const list = out.get(key) ?? [];
    list.push(value.trim());
    out.set(key, list);
  }
  return Object.fromEntries([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Go's `textproto.CanonicalMIMEHeaderKey`: `content-type` → `Content-Type`; a key with a non-token character is kept as is. */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}
