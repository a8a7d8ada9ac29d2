/**
 * Search grammar → predicate over stored messages. Case-insensitive, on decoded values.
 *
 * Terms (all must hold): bare words and `"quoted phrases"` (subject, addresses, names, envelope,
 * text); `from:`, `to:` (To, Cc and envelope recipients), `subject:`; `is:read`, `is:unread`,
 * `has:attachment`; a leading `-` negates a term. Compatible with Mailpit where they overlap.
 */
import type { Address } from '../contract.js';
import type { StoredMessage } from './store.js';

/** A malformed query; `token` is the offending term. */
export class QueryError extends Error {
  readonly token: string;
  constructor(token: string, message: string) {
    super(message);
    this.name = 'QueryError';
    this.token = token;
  }
}

/** A compiled query. */
export type MessagePredicate = (message: StoredMessage) => boolean;

const TOKEN = /(-?)(?:([a-z][a-z-]*):)?(?:"([^"]*)"|(\S+))/gi;

/**
 * Compiles a query string; `""` matches everything.
 * @throws QueryError naming the token for an unknown `is:`/`has:` value or an unterminated quote.
 */
export function compileQuery(query: string): MessagePredicate {
  if ((query.match(/"/g) ?? []).length % 2 === 1) throw new QueryError(query, `unterminated quote in query ${JSON.stringify(query)}`);
  const terms: MessagePredicate[] = [];
  for (const match of query.matchAll(TOKEN)) {
    const [token, negate, rawKey, quoted, bare] = match as unknown as [string, string, string | undefined, string | undefined, string | undefined];
    const term = compileTerm(token, rawKey?.toLowerCase(), (quoted ?? bare ?? '').toLowerCase());
    terms.push(negate ? (m) => !term(m) : term);
  }
  return (message) => terms.every((term) => term(message));
}

function compileTerm(token: string, key: string | undefined, value: string): MessagePredicate {
  switch (key) {
    case 'from':
      return (m) => addressesMatch(m.parsed?.from ?? [], value) || m.envelope.mailFrom.toLowerCase().includes(value);
    case 'to':
      return (m) => addressesMatch([...(m.parsed?.to ?? []), ...(m.parsed?.cc ?? [])], value) || m.envelope.rcptTo.some((r) => r.toLowerCase().includes(value));
    case 'subject':
      return (m) => (m.parsed?.subject ?? '').toLowerCase().includes(value);
    case 'is':
      if (value === 'read') return (m) => m.read;
      if (value === 'unread') return (m) => !m.read;
      throw new QueryError(token, `unknown value in "${token}": expected is:read or is:unread`);
    case 'has':
      if (value === 'attachment' || value === 'attachments') return (m) => (m.parsed?.attachments ?? []).some((a) => !a.inline);
      throw new QueryError(token, `unknown value in "${token}": expected has:attachment`);
    case undefined:
      return (m) => haystack(m).includes(value);
    default:
      return (m) => haystack(m).includes(token.replace(/^-/, '').toLowerCase());
  }
}

function addressesMatch(list: readonly Address[], value: string): boolean {
  return list.some((a) => a.address.toLowerCase().includes(value) || a.name.toLowerCase().includes(value));
}

function haystack(m: StoredMessage): string {
  const p = m.parsed;
  const people = [...(p?.from ?? []), ...(p?.to ?? []), ...(p?.cc ?? [])].map((a) => `${a.name} ${a.address}`);
  return [p?.subject ?? '', ...people, m.envelope.mailFrom, ...m.envelope.rcptTo, p?.text ?? ''].join('\n').toLowerCase();
}
