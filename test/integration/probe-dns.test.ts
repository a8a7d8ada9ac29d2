/**
 * `mailsink probe --dns` against a DNS server on loopback (the `dns2` package) serving a test
 * zone, never the internet: MX, SPF with its 10-lookup limit counted through includes, DMARC,
 * MTA-STS, TLS-RPT and the PTR of the server's address against its banner.
 */
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../server/probe/probe.js';
import { runCli } from '../helpers/cli.js';
import { useSink } from '../helpers/sink.js';

const { Packet } = dns2;

/** name → records; TXT values as one string each. */
const ZONE: Record<string, { type: 'MX' | 'TXT' | 'A' | 'PTR'; value: string; priority?: number }[]> = {
  'good.test': [
    { type: 'MX', value: 'mx1.good.test', priority: 10 },
    { type: 'MX', value: 'mx2.good.test', priority: 20 },
    { type: 'TXT', value: 'v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all' },
    { type: 'TXT', value: 'google-site-verification=abc' },
  ],
  '_spf.good.test': [{ type: 'TXT', value: 'v=spf1 a mx -all' }],
  '_dmarc.good.test': [{ type: 'TXT', value: 'v=DMARC1; p=reject; rua=mailto:dmarc@good.test' }],
  '_mta-sts.good.test': [{ type: 'TXT', value: 'v=STSv1; id=20261201' }],
  '_smtp._tls.good.test': [{ type: 'TXT', value: 'v=TLSRPTv1; rua=mailto:tls@good.test' }],
  'bad.test': [{ type: 'TXT', value: `v=spf1 ${Array.from({ length: 6 }, (_, i) => `include:s${i}.bad.test`).join(' ')} ~all` }],
  ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`s${i}.bad.test`, [{ type: 'TXT' as const, value: 'v=spf1 a mx -all' }]])),
  '_dmarc.bad.test': [{ type: 'TXT', value: 'v=DMARC1; p=none' }],
  '1.0.0.127.in-addr.arpa': [{ type: 'PTR', value: 'mx1.good.test' }],
  'mx1.good.test': [{ type: 'A', value: '127.0.0.1' }],
};

// dns2's Resource type wants a toBuffer on every record; the server encodes plain objects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function answer(request: any): any {
  const response = Packet.createResponseFromRequest(request);
  const [question] = request.questions;
  const name = question!.name.toLowerCase();
  const records = ZONE[name];
  if (!records) {
    response.header.rcode = Packet.RCODE.NXDOMAIN;
    return response;
  }
  const answers: object[] = response.answers;
  for (const record of records) {
    if (Packet.TYPE[record.type] !== question!.type) continue;
    const base = { name: question!.name, type: Packet.TYPE[record.type], class: Packet.CLASS.IN, ttl: 60 };
    if (record.type === 'MX') answers.push({ ...base, exchange: record.value, priority: record.priority });
    else if (record.type === 'TXT') answers.push({ ...base, data: record.value });
    else if (record.type === 'A') answers.push({ ...base, address: record.value });
    else answers.push({ ...base, domain: record.value });
  }
  return response;
}

describe('probe --dns against a test zone on loopback', () => {
  const sink = useSink();
  let server: ReturnType<typeof dns2.createServer>;
  let dnsServer = '';

  beforeAll(async () => {
    server = dns2.createServer({ udp: true, handle: (request, send) => send(answer(request)) });
    await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
    dnsServer = `127.0.0.1:${(server.addresses().udp as AddressInfo).port}`;
  });
  afterAll(() => server?.close());

  it('a domain with every record passes each check; the PTR of 127.0.0.1 is forward-confirmed', async () => {
    const report = await runProbe({ target: `smtp://127.0.0.1:${sink().smtpPort}`, starttls: 'never', dns: { domain: 'good.test', server: dnsServer } });
    expect(report.dns).toEqual({
      domain: 'good.test',
      mx: [{ exchange: 'mx1.good.test', priority: 10 }, { exchange: 'mx2.good.test', priority: 20 }],
      spf: 'v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all',
      spfLookups: 3,
      dmarc: 'v=DMARC1; p=reject; rua=mailto:dmarc@good.test',
      mtaSts: 'v=STSv1; id=20261201',
      tlsRpt: 'v=TLSRPTv1; rua=mailto:tls@good.test',
      ptr: { address: '127.0.0.1', names: ['mx1.good.test'], forwardConfirmed: true },
    });
    const dnsFindings = report.findings.filter((finding) => finding.stage === 'dns');
    expect(dnsFindings.map((finding) => `${finding.level}: ${finding.text}`)).toEqual([
      'pass: MX of good.test: 10 mx1.good.test, 20 mx2.good.test',
      'pass: SPF: v=spf1 ip4:192.0.2.0/24 include:_spf.good.test -all (3 of 10 lookups)',
      'pass: DMARC: v=DMARC1; p=reject; rua=mailto:dmarc@good.test',
      'pass: MTA-STS: v=STSv1; id=20261201',
      'pass: TLS-RPT: v=TLSRPTv1; rua=mailto:tls@good.test',
      'pass: PTR of 127.0.0.1: mx1.good.test (forward-confirmed)',
      'warn: banner host name mailsink differs from the PTR name mx1.good.test',
    ]);
  });

  it('SPF over 10 lookups, DMARC p=none and missing MX/MTA-STS/TLS-RPT are reported; the CLI exits 2', async () => {
    const result = await runCli(['probe', `smtp://127.0.0.1:${sink().smtpPort}`, '--starttls', 'never', '--dns', 'bad.test', '--dns-server', dnsServer, '--json'], {}, 30_000);
    const report = JSON.parse(result.stdout) as Awaited<ReturnType<typeof runProbe>>;
    expect(report.dns!.spfLookups).toBe(18);
    expect(report.findings.filter((finding) => finding.stage === 'dns').map((finding) => `${finding.level}: ${finding.text}`)).toEqual([
      'warn: no MX record for bad.test: senders fall back to its A/AAAA record',
      'fail: SPF needs 18 DNS lookups, over the limit of 10 (RFC 7208 §4.6.4): receivers return permerror',
      'warn: DMARC: v=DMARC1; p=none (p=none only monitors)',
      'warn: no MTA-STS record at _mta-sts.bad.test: senders may deliver without TLS if it is stripped',
      'warn: no TLS-RPT record at _smtp._tls.bad.test: you hear of no TLS failures',
      'pass: PTR of 127.0.0.1: mx1.good.test (forward-confirmed)',
      'warn: banner host name mailsink differs from the PTR name mx1.good.test',
    ]);
    expect(result.status).toBe(2);
  });
});
