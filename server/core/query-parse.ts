/**
 * Tokenizer of the search grammar (see `query.ts` for what each filter means):
 *
 * ```
 * query := term*                       terms are separated by whitespace; all must hold
 * term  := ["-" | "!"] [key ":"] value a leading "-" (or Mailpit's "!") negates the term
 * value := '"' chars '"' | chars       quotes keep spaces; \" and \\ escape inside them
 * ```
 *
 * Keys are case-insensitive. A word with an unknown `key:` is an error (quote it to search for the
 * text), except URLs such as `https://…`, which are plain words.
 */

/** Every filter key, Mailpit's names where they overlap. */
export const QUERY_KEYS = [
  'from', 'to', 'cc', 'bcc', 'reply-to', 'addressed', 'rcpt', 'subject', 'message-id',
  'mailbox', 'tag', 'user', 'is', 'has', 'larger', 'smaller', 'before', 'after',
] as const;

/** A filter key. */
export type QueryKey = (typeof QUERY_KEYS)[number];

/** One parsed term. */
export interface QueryTerm {
  /** The term as typed, for error messages (e.g. `-subject:"a b"`). */
  token: string;
  negate: boolean;
  /** `null` for a bare word or `"quoted phrase"`. */
  key: QueryKey | null;
  /** The value, unquoted and unescaped, case as typed. */
  value: string;
}

/** A malformed query; `token` is the offending term as typed. */
export class QueryError extends Error {
  readonly token: string;
  constructor(token: string, message: string) {
    super(message);
    this.name = 'QueryError';
    this.token = token;
  }
}

const KEY = /^([a-z][a-z-]{0,31}):/i;
const KEYS: ReadonlySet<string> = new Set(QUERY_KEYS);

/**
 * Splits a query into terms.
 * @throws QueryError naming the token: unterminated or stray quote, unknown `key:`, missing value,
 *   a lone `-`.
 */
export function parseQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i]!)) {
      i += 1;
      continue;
    }
    const { term, end } = readTerm(query, i);
    terms.push(term);
    i = end;
  }
  return terms;
}

function readTerm(query: string, start: number): { term: QueryTerm; end: number } {
  let i = start;
  const negate = (query[i] === '-' || query[i] === '!') && i + 1 < query.length && !/\s/.test(query[i + 1]!);
  if (query[i] === '-' || query[i] === '!') {
    if (!negate) throw new QueryError(query[i]!, `"${query[i]}" must be followed by a term to negate`);
    i += 1;
  }
  let key: QueryKey | null = null;
  const keyMatch = KEY.exec(query.slice(i, i + 34));
  if (keyMatch) {
    const name = keyMatch[1]!.toLowerCase();
    const afterKey = i + keyMatch[0].length;
    if (KEYS.has(name)) {
      key = name as QueryKey;
      i = afterKey;
    } else if (!query.startsWith('//', afterKey)) {
      const token = query.slice(start, endOfBare(query, start));
      throw new QueryError(token, `unknown filter "${name}:" in "${token}"; known: ${QUERY_KEYS.map((k) => `${k}:`).join(' ')} (put the word in quotes to search for it as text)`);
    }
  }
  const { value, end } = query[i] === '"' ? readQuoted(query, start, i) : readBare(query, start, i);
  const token = query.slice(start, end);
  if (key !== null && value === '') throw new QueryError(token, `"${token}" needs a value, e.g. ${key}:${example(key)}`);
  if (key === null && value === '') throw new QueryError(token, `empty phrase "${token}"`);
  return { term: { token, negate, key, value }, end };
}

function readQuoted(query: string, start: number, open: number): { value: string; end: number } {
  let value = '';
  for (let i = open + 1; i < query.length; i++) {
    const ch = query[i]!;
    if (ch === '\\' && (query[i + 1] === '"' || query[i + 1] === '\\')) {
      value += query[i + 1];
      i += 1;
    } else if (ch === '"') {
      const end = i + 1;
      if (end < query.length && !/\s/.test(query[end]!)) {
        const token = query.slice(start, endOfBare(query, start));
        throw new QueryError(token, `unexpected text after the closing quote in ${token}`);
      }
      return { value, end };
    } else {
      value += ch;
    }
  }
  const token = query.slice(start);
  throw new QueryError(token, `unterminated quote in ${token}`);
}

function readBare(query: string, start: number, from: number): { value: string; end: number } {
  const end = endOfBare(query, from);
  const value = query.slice(from, end);
  if (value.includes('"')) {
    const token = query.slice(start, end);
    throw new QueryError(token, `stray quote in ${token}: quote the whole value, e.g. subject:"two words"`);
  }
  return { value, end };
}

function endOfBare(query: string, from: number): number {
  let end = from;
  while (end < query.length && !/\s/.test(query[end]!)) end += 1;
  return end;
}

function example(key: QueryKey): string {
  switch (key) {
    case 'is':
      return 'unread';
    case 'has':
      return 'attachment';
    case 'larger':
    case 'smaller':
      return '10K';
    case 'before':
    case 'after':
      return '2024-05-01';
    case 'subject':
      return '"two words"';
    case 'user':
      return 'alice';
    case 'tag':
      return 'signup';
    default:
      return 'alice@example.org';
  }
}
