/**
 * DNS checks for `mailsink probe --dns DOMAIN`: MX (RFC 5321 §5), SPF (RFC 7208, with its limit of
 * 10 DNS-querying mechanisms, §4.6.4), DMARC (RFC 7489), MTA-STS (RFC 8461) and TLS-RPT (RFC 8460)
 * records, and the PTR of the server's address against its banner (forward-confirmed). Uses the
 * system resolver, or `server` (`host[:port]`) when given.
 */
import { Resolver } from 'node:dns/promises';
import type { ProbeDns, ProbeFinding } from './report.js';

/** RFC 7208 §4.6.4: at most 10 mechanisms and modifiers that query DNS. */
export const SPF_LOOKUP_LIMIT = 10;

async function txt(resolver: Resolver, name: string): Promise<string[]> {
  try {
    return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  } catch (err) {
    if (['ENOTFOUND', 'ENODATA'].includes((err as NodeJS.ErrnoException).code ?? '')) return [];
    throw err;
  }
}

/** Counts the DNS-querying terms of an SPF record, following include: and redirect= (loops stop at `depth` 10). */
async function spfLookups(resolver: Resolver, record: string, depth = 0): Promise<number> {
  let count = 0;
  for (const term of record.split(/\s+/).slice(1)) {
    const bare = term.replace(/^[+?~-]/, '').toLowerCase();
    const include = /^include:(.+)$/.exec(bare) ?? /^redirect=(.+)$/.exec(bare);
    if (include) {
      count += 1;
      if (depth < SPF_LOOKUP_LIMIT) {
        const nested = (await txt(resolver, include[1]!)).find((value) => /^v=spf1(\s|$)/i.test(value));
        if (nested) count += await spfLookups(resolver, nested, depth + 1);
      }
    } else if (/^(a|mx|ptr|exists)([:/]|$)/.test(bare)) count += 1;
  }
  return count;
}

/** The `in-addr.arpa` / `ip6.arpa` name of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
export function reverseName(address: string): string {
  if (!address.includes(':')) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const full = [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return `${full.map((group) => group.padStart(4, '0')).join('').split('').reverse().join('.')}.ip6.arpa`;
}

async function ptrOf(resolver: Resolver, address: string): Promise<NonNullable<ProbeDns['ptr']>> {
  // resolvePtr asks DNS only (reverse() would answer from /etc/hosts first)
  const names = await resolver.resolvePtr(reverseName(address.replace(/^::ffff:/, ''))).catch(() => [] as string[]);
  let forwardConfirmed = false;
  for (const name of names) {
    const forward = await (address.includes(':') ? resolver.resolve6(name) : resolver.resolve4(name)).catch(() => [] as string[]);
    if (forward.includes(address)) forwardConfirmed = true;
  }
  return { address, names, forwardConfirmed };
}

function recordFindings(dns: ProbeDns): ProbeFinding[] {
  const out: ProbeFinding[] = [];
  const d = dns.domain;
  out.push(dns.mx.length > 0 ? { level: 'pass', stage: 'dns', text: `MX of ${d}: ${dns.mx.map((mx) => `${mx.priority} ${mx.exchange}`).join(', ')}` } : { level: 'warn', stage: 'dns', text: `no MX record for ${d}: senders fall back to its A/AAAA record` });
  if (!dns.spf) out.push({ level: 'fail', stage: 'dns', text: `no SPF record for ${d}: receivers cannot tell which servers may send for it` });
  else if (dns.spfLookups !== null && dns.spfLookups > SPF_LOOKUP_LIMIT) out.push({ level: 'fail', stage: 'dns', text: `SPF needs ${dns.spfLookups} DNS lookups, over the limit of ${SPF_LOOKUP_LIMIT} (RFC 7208 §4.6.4): receivers return permerror` });
  else if (/\s\+?all\b/i.test(` ${dns.spf}`) && !/[-~?]all\b/i.test(dns.spf)) out.push({ level: 'fail', stage: 'dns', text: `SPF ends in +all: anyone may send as ${d}` });
  else out.push({ level: /-all\b|~all\b/i.test(dns.spf) ? 'pass' : 'warn', stage: 'dns', text: `SPF: ${dns.spf} (${dns.spfLookups ?? 0} of ${SPF_LOOKUP_LIMIT} lookups)` });
  if (!dns.dmarc) out.push({ level: 'fail', stage: 'dns', text: `no DMARC record at _dmarc.${d}: large mailbox providers require one of bulk senders` });
  else out.push({ level: /;\s*p=none\b/i.test(dns.dmarc) ? 'warn' : 'pass', stage: 'dns', text: `DMARC: ${dns.dmarc}${/;\s*p=none\b/i.test(dns.dmarc) ? ' (p=none only monitors)' : ''}` });
  out.push(dns.mtaSts ? { level: 'pass', stage: 'dns', text: `MTA-STS: ${dns.mtaSts}` } : { level: 'warn', stage: 'dns', text: `no MTA-STS record at _mta-sts.${d}: senders may deliver without TLS if it is stripped` });
  out.push(dns.tlsRpt ? { level: 'pass', stage: 'dns', text: `TLS-RPT: ${dns.tlsRpt}` } : { level: 'warn', stage: 'dns', text: `no TLS-RPT record at _smtp._tls.${d}: you hear of no TLS failures` });
  return out;
}

function ptrFindings(ptr: ProbeDns['ptr'], bannerHost: string | null): ProbeFinding[] {
  if (!ptr) return [];
  if (ptr.names.length === 0) return [{ level: 'warn', stage: 'dns', text: `no PTR record for ${ptr.address}: many receivers distrust mail from it` }];
  const out: ProbeFinding[] = [{ level: ptr.forwardConfirmed ? 'pass' : 'warn', stage: 'dns', text: `PTR of ${ptr.address}: ${ptr.names.join(', ')}${ptr.forwardConfirmed ? ' (forward-confirmed)' : ' (does not resolve back to the address)'}` }];
  if (bannerHost && !ptr.names.some((name) => name.toLowerCase() === bannerHost.toLowerCase())) {
    out.push({ level: 'warn', stage: 'dns', text: `banner host name ${bannerHost} differs from the PTR name ${ptr.names[0]}` });
  }
  return out;
}

/**
 * Looks the domain's records up and grades them.
 * @param options.address - The server's address as connected (for PTR), or `null`.
 * @param options.bannerHost - The host name in its banner, compared with the PTR name.
 */
export async function checkDns(options: { domain: string; server: string | null; address: string | null; bannerHost: string | null; timeoutMs: number }): Promise<{ records: ProbeDns; findings: ProbeFinding[] }> {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 1 });
  if (options.server) resolver.setServers([options.server]);
  const domain = options.domain.replace(/\.$/, '').toLowerCase();
  try {
    const mx = await resolver.resolveMx(domain).catch(() => []);
    const spf = (await txt(resolver, domain)).find((value) => /^v=spf1(\s|$)/i.test(value)) ?? null;
    const records: ProbeDns = {
      domain,
      mx: mx.sort((a, b) => a.priority - b.priority).map(({ exchange, priority }) => ({ exchange, priority })),
      spf,
      spfLookups: spf ? await spfLookups(resolver, spf) : null,
      dmarc: (await txt(resolver, `_dmarc.${domain}`)).find((value) => /^v=DMARC1/i.test(value)) ?? null,
      mtaSts: (await txt(resolver, `_mta-sts.${domain}`)).find((value) => /^v=STSv1/i.test(value)) ?? null,
      tlsRpt: (await txt(resolver, `_smtp._tls.${domain}`)).find((value) => /^v=TLSRPTv1/i.test(value)) ?? null,
      ptr: options.address ? await ptrOf(resolver, options.address) : null,
    };
    return { records, findings: [...recordFindings(records), ...ptrFindings(records.ptr, options.bannerHost)] };
  } catch (err) {
    const records: ProbeDns = { domain, mx: [], spf: null, spfLookups: null, dmarc: null, mtaSts: null, tlsRpt: null, ptr: null };
    return { records, findings: [{ level: 'fail', stage: 'dns', text: `DNS lookups for ${domain} failed: ${(err as Error).message}` }] };
  }
}
