/**
 * The DNS the authentication check sees: the records of `--dns-records`, and the system resolver
 * for other names only with `--dns-live`. Offline, a name the file lacks does not exist, so results
 * are the same on every run and machine.
 */
import { promises as dns } from 'node:dns';
import type { DnsRecord } from './dns-records.js';
import { normalizeDnsName } from './dns-records.js';

/**
 * mailauth's resolver contract, that of `dns.promises.resolve(name, rrtype)`: TXT → `string[][]`
 * (each record's strings), MX → `{ exchange, priority }[]`, A/AAAA/CNAME → `string[]`. A name that
 * does not exist rejects with `code: 'ENOTFOUND'`; a name without records of the type with
 * `code: 'ENODATA'` (mailauth treats both as "no record").
 */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/** Where names come from; see `AuthCheck.dnsSource`. */
export type DnsSource = 'records' | 'records+live' | 'live' | 'none';

/** Most CNAMEs followed for one question (a loop or a longer chain is `ESERVFAIL`). */
const MAX_CNAME_CHAIN = 8;

/** Timeout of one live query in ms, and its tries (the system resolver's servers). */
const LIVE_TIMEOUT_MS = 3000;
const LIVE_TRIES = 2;

/** The source of a settings pair. */
export function dnsSource(records: readonly DnsRecord[] | null, live: boolean): DnsSource {
  if (records) return live ? 'records+live' : 'records';
  return live ? 'live' : 'none';
}

/**
 * A resolver over `records`, falling back to the system resolver for names the records lack when
 * `live` is set. CNAMEs in the records are followed for every other type, as a recursive resolver
 * does (a DKIM key published as a CNAME to a provider's name).
 * @param onQuery - Called with every question asked (name as asked, type), for tests and logs.
 */
export function createDnsResolver(records: readonly DnsRecord[] | null, live: boolean, onQuery?: (name: string, rrtype: string) => void): DnsResolver {
  const byName = new Map<string, DnsRecord[]>();
  for (const record of records ?? []) byName.set(record.name, [...(byName.get(record.name) ?? []), record]);
  let system: dns.Resolver | null = null;
  const liveResolve = (name: string, rrtype: string): Promise<unknown> => {
    system ??= new dns.Resolver({ timeout: LIVE_TIMEOUT_MS, tries: LIVE_TRIES });
    return system.resolve(name, rrtype);
  };
  const answer = async (name: string, rrtype: string, chain: number): Promise<unknown> => {
    const held = byName.get(normalizeDnsName(name));
    if (!held) {
      if (live) return liveResolve(name, rrtype);
      throw dnsError('ENOTFOUND', name, rrtype);
    }
    const type = rrtype.toUpperCase();
    const matching = held.filter((record) => record.type === type);
    if (matching.length > 0) return matching.map(rdata);
    const cname = held.find((record) => record.type === 'CNAME');
    if (cname && type !== 'CNAME') {
      if (chain >= MAX_CNAME_CHAIN) throw dnsError('ESERVFAIL', name, rrtype);
      return answer(cname.value as string, rrtype, chain + 1);
    }
    throw dnsError('ENODATA', name, rrtype);
  };
  return async (name, rrtype) => {
    onQuery?.(name, rrtype);
    return answer(name, rrtype, 0);
  };
}

/** A record's data in the shape `dns.promises.resolve` gives it. */
function rdata(record: DnsRecord): unknown {
  switch (record.type) {
    case 'TXT':
      return [...record.value];
    case 'MX':
      return { exchange: record.value.exchange, priority: record.value.priority };
    default:
      return record.value;
  }
}

/** An error like Node's `dns` module throws (`code`, `syscall`, `hostname`). */
function dnsError(code: 'ENOTFOUND' | 'ENODATA' | 'ESERVFAIL', name: string, rrtype: string): Error {
  const syscall = `query${rrtype.charAt(0).toUpperCase()}${rrtype.slice(1).toLowerCase()}`;
  return Object.assign(new Error(`${syscall} ${code} ${name}`), { code, syscall, hostname: name });
}
