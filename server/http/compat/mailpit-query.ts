/**
 * Mailpit's search strings (https://mailpit.axllent.org/docs/usage/search-filters/) on mailsink's
 * query grammar, which already has Mailpit's filter names. Two differences are bridged here:
 * Mailpit never refuses a search (a word with an unknown `key:` or a bad value is searched as
 * text), and dates without a zone are read in the `tz` time zone (IANA name) instead of UTC.
 */
import { compileQuery, parseQuery, QueryError } from '../../core/query.js';
import type { MessageQuery } from '../../core/query.js';

/**
 * Compiles a Mailpit search string. Never throws for a bad term: it is searched as a phrase.
 * @param tz - IANA zone for zone-less `after:`/`before:` dates; ignored when empty or unknown (as Mailpit does).
 */
export function compileMailpitQuery(search: string, tz = ''): MessageQuery {
  let query = withZone(search, tz);
  for (let attempt = 0; attempt < 64; attempt += 1) {
    try {
      return compileQuery(query);
    } catch (err) {
      if (!(err instanceof QueryError) || err.token === '' || !query.includes(err.token)) break;
      query = query.replace(err.token, quote(err.token));
    }
  }
  return compileQuery(quote(search));
}

/** A term as a quoted phrase (a leading `-`/`!` kept as negation). */
function quote(token: string): string {
  const negate = /^[-!]./.test(token) ? token[0] : '';
  const text = (negate ? token.slice(1) : token).replace(/^"|"$/g, '').replace(/["\\]/g, (c) => `\\${c}`);
  return text === '' ? '' : `${negate}"${text}"`;
}

const ZONELESS_DATE = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/;

/** Appends the `tz` offset to zone-less `after:`/`before:` dates. */
function withZone(search: string, tz: string): string {
  if (tz.trim() === '' || !validZone(tz)) return search;
  let terms;
  try {
    terms = parseQuery(search);
  } catch {
    return search;
  }
  let out = search;
  for (const term of terms) {
    const m = ZONELESS_DATE.exec(term.value);
    if ((term.key !== 'after' && term.key !== 'before') || !m) continue;
    const local = `${m[1]}${m[2] ?? 'T00:00'}`;
    out = out.replace(term.token, `${term.negate ? '-' : ''}${term.key}:${local}${offsetAt(tz, local)}`);
  }
  return out;
}

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The UTC offset (`+02:00`) of zone `tz` at the local time `local` (approximated at that instant read as UTC). */
function offsetAt(tz: string, local: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${local}Z`))
    .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : 'Z';
}
