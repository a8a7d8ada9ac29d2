/**
 * What the store keeps of a parsed message besides its raw bytes (see {@link MessageFacts}).
 */
import type { HeaderField } from '../contract.js';
import type { ParsedMessage, ParseResult } from './parse.js';
import type { PartMeta } from './parts.js';

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

/** Entries of every `X-Tags` header (Mailpit's tagging header), decoded, split at commas. */
function xTags(headers: readonly HeaderField[]): string[] {
  return headers.filter((h) => h.name.toLowerCase() === 'x-tags').flatMap((h) => h.decoded.split(','));
}

/** The `Return-Path` address (`""` for `<>`), or `null` without the header (RFC 5321 §4.4). */
function returnPath(headers: readonly HeaderField[]): string | null {
  const header = headers.find((h) => h.name.toLowerCase() === 'return-path');
  if (!header) return null;
  const match = /<([^>]*)>/.exec(header.value);
  return (match ? match[1]! : header.value).trim();
}
