/**
 * List-Unsubscribe of a stored message: the form of `List-Unsubscribe` (RFC 2369 §2: one or more
 * `<URI>` separated by commas) and one-click unsubscribe (RFC 8058: `List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click`, an https URI, both fields signed by DKIM, §3.1 and §4). Reads the
 * header fields of the message only; nothing is fetched or sent.
 */
import type { HeaderField } from '../contract.js';
import type { CheckInput } from './service.js';
import type { ListUnsubscribeCheck, ListUnsubscribeFinding, ListUnsubscribeUri } from './types.js';

/** The one value RFC 8058 §3.1 allows in `List-Unsubscribe-Post`. */
const ONE_CLICK = 'List-Unsubscribe=One-Click';

/** Checks `List-Unsubscribe` and `List-Unsubscribe-Post` of the message's header (never throws). */
export async function checkListUnsubscribe(input: CheckInput): Promise<ListUnsubscribeCheck> {
  const headers = input.parse.parsed?.headers ?? [];
  const values = (name: string) => headers.filter((field) => field.name.toLowerCase() === name).map((field) => field.value.trim());
  const [header = null, ...more] = values('list-unsubscribe');
  const [post = null] = values('list-unsubscribe-post');
  const findings: ListUnsubscribeFinding[] = [];
  const uris = header === null ? [] : parseUris(header, findings);
  if (header === null) findings.push({ level: 'warning', message: 'No List-Unsubscribe header: receivers (Gmail, Yahoo) expect one on bulk mail' });
  if (more.length > 0) findings.push({ level: 'warning', message: `List-Unsubscribe appears ${more.length + 1} times; receivers read one` });
  const oneClick = checkOneClick(header, post, uris, findings);
  if (oneClick) checkDkim(headers, findings);
  return { present: header !== null, header, post, oneClick, uris, findings, ok: header !== null && !findings.some((f) => f.level === 'error') };
}

/** The `<URI>` list of RFC 2369 §2, with a finding for each entry that is not one. */
function parseUris(header: string, findings: ListUnsubscribeFinding[]): ListUnsubscribeUri[] {
  const entries = splitEntries(header);
  if (entries.length === 0) findings.push({ level: 'error', message: 'List-Unsubscribe is empty: expected one or more <URI> (RFC 2369)' });
  return entries.map((entry) => {
    const bracketed = /^<([^<>]*)>$/.exec(entry);
    const uri = (bracketed ? bracketed[1]! : entry).replace(/\s+/g, '');
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase() ?? '';
    if (!bracketed) {
      const what = scheme ? `${uri} is not in angle brackets` : `"${entry}" is not a <URI>`;
      findings.push({ level: 'error', message: `${what}: List-Unsubscribe takes <URI>, comma-separated (RFC 2369)` });
      return { uri, scheme, valid: false };
    }
    const valid = wellFormed(uri, scheme);
    if (!valid) findings.push({ level: 'error', message: `<${uri}> is not a valid ${scheme ? `${scheme}: ` : ''}URI` });
    else if (scheme === 'http') findings.push({ level: 'warning', message: `<${uri}> uses http: unencrypted; use https` });
    else if (scheme !== 'https' && scheme !== 'mailto') findings.push({ level: 'warning', message: `<${uri}>: receivers act on mailto: and https: URIs only` });
    return { uri, scheme, valid };
  });
}

/** Entries separated by commas outside angle brackets, comments (RFC 5322 §3.2.2) dropped, trimmed, empty ones dropped. */
function splitEntries(value: string): string[] {
  const entries: string[] = [];
  let current = '';
  let depth = 0;
  let comment = 0;
  for (const char of value) {
    if (depth === 0 && (char === '(' || comment > 0)) {
      comment += char === '(' ? 1 : char === ')' ? -1 : 0;
      continue;
    }
    if (char === '<') depth++;
    else if (char === '>' && depth > 0) depth--;
    if (char === ',' && depth === 0) {
      entries.push(current);
      current = '';
    } else current += char;
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** mailto: with an address (RFC 6068), http(s): with a host, other schemes: anything after the colon. */
function wellFormed(uri: string, scheme: string): boolean {
  if (scheme === 'mailto') return /^mailto:[^@?\s]+@[^@?\s]+(\?.*)?$/i.test(uri);
  if (scheme === 'http' || scheme === 'https') {
    try {
      return new URL(uri).hostname !== '';
    } catch {
      return false;
    }
  }
  return scheme !== '' && uri.length > scheme.length + 1;
}

/** RFC 8058 §3.1: the exact POST body and an https URI. Returns whether one-click is offered. */
function checkOneClick(header: string | null, post: string | null, uris: ListUnsubscribeUri[], findings: ListUnsubscribeFinding[]): boolean {
  if (post === null) {
    if (header !== null) findings.push({ level: 'info', message: 'No List-Unsubscribe-Post: one-click unsubscribe (RFC 8058) is not offered' });
    return false;
  }
  if (header === null) {
    findings.push({ level: 'error', message: 'List-Unsubscribe-Post without List-Unsubscribe (RFC 8058 §3.1)' });
    return false;
  }
  if (post !== ONE_CLICK) {
    findings.push({ level: 'error', message: `List-Unsubscribe-Post must be exactly "${ONE_CLICK}" (RFC 8058 §3.1)` });
    return false;
  }
  if (!uris.some((uri) => uri.valid && uri.scheme === 'https')) {
    findings.push({ level: 'error', message: 'One-click unsubscribe needs an https URI in List-Unsubscribe (RFC 8058 §3.1)' });
    return false;
  }
  findings.push({ level: 'info', message: 'One-click unsubscribe (RFC 8058) is offered' });
  return true;
}

/** RFC 8058 §4: both fields must be covered by a DKIM signature (its `h=` tag); only the tag is read, not verified. */
function checkDkim(headers: HeaderField[], findings: ListUnsubscribeFinding[]): void {
  const signatures = headers.filter((field) => field.name.toLowerCase() === 'dkim-signature').map((field) => tags(field.value));
  const covering = signatures.find((sig) => {
    const signed = (sig.get('h') ?? '').split(':').map((name) => name.trim().toLowerCase());
    return signed.includes('list-unsubscribe') && signed.includes('list-unsubscribe-post');
  });
  if (covering) findings.push({ level: 'info', message: `List-Unsubscribe and List-Unsubscribe-Post are in the h= list of a DKIM signature (d=${covering.get('d') ?? '?'}; whether it verifies: the auth check)` });
  else if (signatures.length === 0) findings.push({ level: 'warning', message: 'No DKIM signature: receivers ignore one-click unless DKIM covers List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 §4)' });
  else findings.push({ level: 'warning', message: 'No DKIM signature covers both List-Unsubscribe and List-Unsubscribe-Post (h= tag; RFC 8058 §4)' });
}

/** The `tag=value` pairs of a DKIM-Signature (RFC 6376 §3.2), whitespace removed from values. */
function tags(value: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of value.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) map.set(pair.slice(0, eq).trim().toLowerCase(), pair.slice(eq + 1).replace(/\s+/g, ''));
  }
  return map;
}
