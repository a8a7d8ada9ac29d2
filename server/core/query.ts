/**
 * Search grammar → predicate over stored messages, used by list, delete, wait and the inbox.
 * Every term must hold; matching is case-insensitive on decoded values (RFC 2047 subjects and
 * names). Syntax in `query-parse.ts`; compatible with Mailpit's search where the two overlap.
 *
 * | term | holds when |
 * |---|---|
 * | `word`, `"a phrase"` | subject, names and addresses (headers and envelope), attachment file names or body text contain it |
 * | `from:x` | a From address or name, or `MAIL FROM`, contains x |
 * | `to:x`, `cc:x`, `reply-to:x` | an address or name in that header contains x |
 * | `bcc:x` | a Bcc header entry, or an envelope recipient named in neither To nor Cc, contains x |
 * | `addressed:x` | any of From, To, Cc, Bcc, Reply-To contains x |
 * | `rcpt:x` | an envelope recipient (`RCPT TO`) contains x |
 * | `subject:x`, `message-id:x` | the decoded subject / Message-ID contains x |
 * | `mailbox:a@b` | a recipient's mailbox is exactly a@b (`+tag`s folded in); `mailbox:a+t@b` only that tag |
 * | `tag:t` | the message has tag t (case-insensitive), or a recipient has the sub-address `+t` |
 * | `user:u` | the SMTP AUTH user is exactly u |
 * | `is:read`, `is:unread` | the read flag |
 * | `is:tagged` | the message has at least one tag |
 * | `has:attachment`, `has:inline` | a real attachment / an inline part |
 * | `larger:10K`, `smaller:2M` | raw size in bytes is greater / less than (K, M, G: ×1024) |
 * | `after:2024-05-01`, `before:2024-05-01T12:00Z` | received at or after / strictly before (no zone = UTC) |
 */
import type { Address } from '../contract.js';
import { htmlToText } from './html-text.js';
import type { ParseResult } from './parse.js';
import { mailboxesOf, mailboxOf } from './mailboxes.js';
import { parseQuery, QueryError } from './query-parse.js';
import { hasTag } from './tags.js';
import type { QueryTerm } from './query-parse.js';
import type { StoredMessage } from './store.js';

export { parseQuery, QueryError, QUERY_KEYS } from './query-parse.js';
export type { QueryKey, QueryTerm } from './query-parse.js';

/**
 * A compiled query. `test` decides from what the store keeps (a message's facts, envelope, flags):
 * `true` or `false`, or `undefined` when only the body text can decide (a bare word not found in
 * the subject, addresses or file names). Pass the body's search text (see {@link bodySearchText})
 * to decide those. Messages still waiting for their facts must not be tested.
 */
export interface MessageQuery {
  test(message: StoredMessage, bodyText?: string): boolean | undefined;
  /** No terms: every message matches. */
  readonly matchesAll: boolean;
}

/**
 * A term's verdict; `undefined`: the body text is needed. `header` gives the lowercased subject,
 * names, addresses and file names, computed once per message however many bare words ask.
 */
type TermPredicate = (m: StoredMessage, header: () => string, bodyText: string | undefined) => boolean | undefined;

/**
 * Compiles a query string; `""` matches everything.
 * @throws QueryError naming the offending token (see {@link parseQuery}, and bad values such as
 *   `is:maybe`, `larger:ten`, `after:2024-02-30`).
 */
export function compileQuery(query: string): MessageQuery {
  const terms = parseQuery(query).map(compileTerm);
  return {
    matchesAll: terms.length === 0,
    test(message, bodyText) {
      let text: string | undefined;
      const header = () => (text ??= headerText(message));
      let verdict: boolean | undefined = true;
      for (const term of terms) {
        const result = term(message, header, bodyText);
        if (result === false) return false;
        if (result === undefined) verdict = undefined;
      }
      return verdict;
    },
  };
}

/** What bare words search in a message's body: the text part, else the HTML part as text; lowercased. */
export function bodySearchText({ parsed }: ParseResult): string {
  return (parsed?.text ?? (parsed?.html ? htmlToText(parsed.html) : '')).toLowerCase();
}

function compileTerm(term: QueryTerm): TermPredicate {
  const test = termTest(term);
  if (!term.negate) return test;
  return (m, header, body) => {
    const result = test(m, header, body);
    return result === undefined ? undefined : !result;
  };
}

function termTest({ token, key, value: raw }: QueryTerm): TermPredicate {
  const value = raw.toLowerCase();
  switch (key) {
    case null:
      return (_m, header, body) => (header().includes(value) ? true : body === undefined ? undefined : body.includes(value));
    case 'from':
    case 'to':
    case 'cc':
    case 'reply-to':
    case 'bcc':
    case 'addressed':
    case 'rcpt':
      return addressTest(key, value);
    case 'subject':
      return (m) => (m.facts?.subject ?? '').toLowerCase().includes(value);
    case 'message-id': {
      const id = value.replace(/^<|>$/g, '');
      return (m) => (m.facts?.messageId ?? '').toLowerCase().includes(id);
    }
    case 'mailbox':
      return mailboxTest(value);
    case 'tag':
      return (m) => hasTag(m, value) || mailboxesOf(m).some((ref) => ref.tag === value);
    case 'user':
      return (m) => m.envelope.authUser !== null && m.envelope.authUser.toLowerCase() === value;
    case 'is':
      return flagTest(token, value);
    case 'has':
      return partTest(token, value);
    case 'larger':
    case 'smaller':
      return sizeTest(token, key, value);
    case 'before':
    case 'after':
      return dateTest(token, key, raw);
  }
}

function addressTest(key: 'from' | 'to' | 'cc' | 'reply-to' | 'bcc' | 'addressed' | 'rcpt', value: string): TermPredicate {
  switch (key) {
    case 'from':
      return (m) => inAddresses(m.facts?.from, value) || m.envelope.mailFrom.toLowerCase().includes(value);
    case 'to':
      return (m) => inAddresses(m.facts?.to, value);
    case 'cc':
      return (m) => inAddresses(m.facts?.cc, value);
    case 'reply-to':
      return (m) => inAddresses(m.facts?.replyTo, value);
    case 'bcc':
      return (m) => inAddresses(m.facts?.bcc, value) || bccOnly(m).some((r) => r.includes(value));
    case 'addressed':
      return (m) => [m.facts?.from, m.facts?.to, m.facts?.cc, m.facts?.bcc, m.facts?.replyTo].some((list) => inAddresses(list, value));
    case 'rcpt':
      return (m) => m.envelope.rcptTo.some((r) => r.toLowerCase().includes(value));
  }
}

function mailboxTest(value: string): TermPredicate {
  const wanted = mailboxOf(value);
  if (wanted.tag === null) return (m) => mailboxesOf(m).some((ref) => ref.mailbox === wanted.mailbox);
  return (m) => mailboxesOf(m).some((ref) => ref.mailbox === wanted.mailbox && ref.tag === wanted.tag);
}

function flagTest(token: string, value: string): TermPredicate {
  if (value === 'read') return (m) => m.read;
  if (value === 'unread') return (m) => !m.read;
  if (value === 'tagged') return (m) => m.tags.length > 0;
  throw new QueryError(token, `unknown value in "${token}": expected is:read, is:unread or is:tagged`);
}

function partTest(token: string, value: string): TermPredicate {
  if (value === 'attachment' || value === 'attachments') return (m) => (m.facts?.attachments ?? []).some((a) => !a.inline);
  if (value === 'inline' || value === 'inlines') return (m) => (m.facts?.attachments ?? []).some((a) => a.inline);
  throw new QueryError(token, `unknown value in "${token}": expected has:attachment or has:inline`);
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `10K` → 10240 (Mailpit's units: binary multiples, decimals allowed); `null` when malformed. */
export function parseQuerySize(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]{0,2})$/i.exec(value.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) return null;
  const bytes = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

function sizeTest(token: string, key: 'larger' | 'smaller', value: string): TermPredicate {
  const bytes = parseQuerySize(value);
  if (bytes === null) throw new QueryError(token, `invalid size in "${token}": expected bytes or a number with K, M or G, e.g. ${key}:10K`);
  return key === 'larger' ? (m) => m.sizeBytes > bytes : (m) => m.sizeBytes < bytes;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/** An ISO 8601 date or date-time (`2024-05-01`, `2024-05-01T12:30`, `…:45.123+02:00`) in ms; no zone means UTC; `null` when invalid. */
export function parseQueryDate(value: string): number | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0', zone = 'Z'] = m;
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms.padEnd(3, '0')}${zone.toUpperCase()}`);
  return Number.isNaN(time) ? null : time;
}

function dateTest(token: string, key: 'before' | 'after', value: string): TermPredicate {
  const time = parseQueryDate(value);
  if (time === null) throw new QueryError(token, `invalid date in "${token}": expected an ISO 8601 date such as ${key}:2024-05-01 or ${key}:2024-05-01T12:30:00Z`);
  return key === 'after' ? (m) => Date.parse(m.receivedAt) >= time : (m) => Date.parse(m.receivedAt) < time;
}

function inAddresses(list: readonly Address[] | undefined, value: string): boolean {
  return (list ?? []).some((a) => a.address.toLowerCase().includes(value) || a.name.toLowerCase().includes(value));
}

/** Envelope recipients named in neither To nor Cc, lowercased. */
function bccOnly(m: StoredMessage): string[] {
  const named = new Set([...(m.facts?.to ?? []), ...(m.facts?.cc ?? [])].map((a) => a.address.toLowerCase()));
  return m.envelope.rcptTo.map((r) => r.toLowerCase()).filter((r) => !named.has(r));
}

/** What bare words search besides the body, lowercased. */
function headerText(m: StoredMessage): string {
  const f = m.facts;
  const people = [...(f?.from ?? []), ...(f?.to ?? []), ...(f?.cc ?? []), ...(f?.bcc ?? []), ...(f?.replyTo ?? [])].map((a) => `${a.name} ${a.address}`);
  const files = (f?.attachments ?? []).map((a) => a.filename ?? '');
  return [f?.subject ?? '', ...people, m.envelope.mailFrom, ...m.envelope.rcptTo, ...files].join('\n').toLowerCase();
}
