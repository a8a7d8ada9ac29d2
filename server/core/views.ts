import type { AttachmentMeta, MessageDetail, MessageSummary } from '../contract.js';
import type { ParseResult, PartMeta } from './parse.js';
import type { StoredMessage } from './store.js';

/**
 * The list/event view of a stored message (no bodies). A message still waiting for its parse has
 * no facts yet: its summary then has an empty subject, addresses and snippet; the REST routes
 * wait for the facts (`MessageParsing.ready`) before answering, and `message.received` is only
 * published with them.
 */
export function toSummary(message: StoredMessage): MessageSummary {
  const facts = message.facts;
  return {
    id: message.id,
    seq: message.seq,
    receivedAt: message.receivedAt,
    envelope: { mailFrom: message.envelope.mailFrom, rcptTo: [...message.envelope.rcptTo] },
    messageId: facts?.messageId ?? null,
    subject: facts?.subject ?? '',
    from: facts?.from ?? [],
    to: facts?.to ?? [],
    cc: facts?.cc ?? [],
    date: facts?.date ?? null,
    snippet: facts?.snippet ?? '',
    sizeBytes: message.sizeBytes,
    attachmentCount: (facts?.attachments ?? []).filter((part) => !part.inline).length,
    read: message.read,
    tags: [...message.tags],
    parseError: facts?.parseError ?? null,
  };
}

/**
 * The full view of a stored message from a fresh parse of its raw bytes (`MessageParsing.parsed`);
 * `html` has `cid:` links resolved to attachment URLs.
 */
export function toDetail(message: StoredMessage, { parsed }: ParseResult): MessageDetail {
  const attachments = (parsed?.attachments ?? []).map((part) => withUrl(message.id, part));
  const named = new Set([...(parsed?.to ?? []), ...(parsed?.cc ?? [])].map((a) => a.address.toLowerCase()));
  return {
    ...toSummary(message),
    envelope: { ...message.envelope, rcptTo: [...message.envelope.rcptTo] },
    bccOnly: message.envelope.rcptTo.filter((rcpt) => !named.has(rcpt.toLowerCase())),
    bcc: parsed?.bcc ?? [],
    replyTo: parsed?.replyTo ?? [],
    headers: parsed?.headers ?? [],
    text: parsed?.text ?? null,
    html: parsed?.html == null ? null : resolveCidLinks(parsed.html, attachments),
    attachments,
  };
}

/** Path of the download endpoint of one part. */
export function attachmentUrl(messageId: string, partId: string): string {
  return `/api/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(partId)}`;
}

function withUrl(messageId: string, part: PartMeta): AttachmentMeta {
  return { ...part, url: attachmentUrl(messageId, part.partId) };
}

/**
 * Rewrites every `cid:` URL (RFC 2392) in HTML to the URL of the part with that `Content-ID`.
 * The whole reference is matched, so `cid:logo` never matches inside `cid:logofooter`; matching
 * is exact first, then case-insensitive, and percent-encoded ids are decoded. Unknown ids are left
 * as they are.
 *
 * @param html - HTML as written in the message.
 * @param parts - Parts of the same message, with `contentId` (no angle brackets) and `url`.
 */
export function resolveCidLinks(html: string, parts: readonly AttachmentMeta[]): string {
  const exact = new Map<string, string>();
  const folded = new Map<string, string>();
  for (const part of parts) {
    if (!part.contentId) continue;
    if (!exact.has(part.contentId)) exact.set(part.contentId, part.url);
    if (!folded.has(part.contentId.toLowerCase())) folded.set(part.contentId.toLowerCase(), part.url);
  }
  if (exact.size === 0) return html;
  return html.replace(/\bcid:([^\s"'()<>]+)/gi, (match, id: string) => {
    const decoded = safeDecode(id);
    return exact.get(id) ?? exact.get(decoded) ?? folded.get(decoded.toLowerCase()) ?? match;
  });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
