/**
 * The `--dns-records` file format (every type, multi-string TXT, comments, each kind of bad line
 * with its line number), reading it at config time, and the resolver the auth check builds from it.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AuthCheck } from '../../server/checks/auth-types.js';
import { DnsRecordsError, parseDnsRecords } from '../../server/checks/dns-records.js';
import { createDnsResolver, dnsSource } from '../../server/checks/dns-resolver.js';
import { checkSettings } from '../../server/checks/settings.js';
import { ConfigError, resolveConfig } from '../../server/config.js';
import type { authCheckSchema } from '../../server/http/checks-schemas/auth.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const GOOD = [
  '# records of the tests',
  '',
  'S1._DomainKey.Example.Test.  txt  "v=DKIM1; k=rsa; " "p=MIIB" "IjAN"   # a key in three strings',
  'example.test TXT "v=spf1 ip4:192.0.2.10 -all"',
  '_dmarc.example.test\tTXT\t"v=DMARC1; p=reject; rua=mailto:d#1@example.test"',
  'quoted.example.test TXT "say \\"hi\\" \\\\ bye" ""',
  'example.test MX 10 mx1.example.test.',
  'mx1.example.test A 192.0.2.25',
  'mx1.example.test AAAA 2001:DB8::25',
  'key.example.test CNAME s1._domainkey.example.test',
  '   ',
].join('\r\n');

/** The error a bad text throws. */
function problem(text: string): DnsRecordsError {
  try {
    parseDnsRecords(text);
  } catch (err) {
    if (err instanceof DnsRecordsError) return err;
    throw err;
  }
  throw new Error(`parsed without error: ${JSON.stringify(text)}`);
}

describe('--dns-records format', () => {
  it('reads every type, names case-insensitive without the trailing dot, TXT as its strings', () => {
    expect(parseDnsRecords(GOOD)).toEqual([
      { name: 's1._domainkey.example.test', type: 'TXT', value: ['v=DKIM1; k=rsa; ', 'p=MIIB', 'IjAN'], line: 3 },
      { name: 'example.test', type: 'TXT', value: ['v=spf1 ip4:192.0.2.10 -all'], line: 4 },
      { name: '_dmarc.example.test', type: 'TXT', value: ['v=DMARC1; p=reject; rua=mailto:d#1@example.test'], line: 5 },
      { name: 'quoted.example.test', type: 'TXT', value: ['say "hi" \\ bye', ''], line: 6 },
      { name: 'example.test', type: 'MX', value: { priority: 10, exchange: 'mx1.example.test' }, line: 7 },
      { name: 'mx1.example.test', type: 'A', value: '192.0.2.25', line: 8 },
      { name: 'mx1.example.test', type: 'AAAA', value: '2001:db8::25', line: 9 },
      { name: 'key.example.test', type: 'CNAME', value: 's1._domainkey.example.test', line: 10 },
    ]);
    expect(parseDnsRecords('')).toEqual([]);
  });

  it.each([
    ['example.test', 'line 2: expected NAME TYPE VALUE'],
    ['example.test TXT', 'line 2: expected NAME TYPE VALUE'],
    ['example.test SRV "x"', 'line 2: expected TYPE TXT, MX, A, AAAA or CNAME, got "SRV"'],
    ['exa mple.test. TXT "x"', 'line 2: expected TYPE TXT, MX, A, AAAA or CNAME, got "mple.test."'],
    ['bad..name TXT "x"', 'line 2: expected a domain name as NAME (letters, digits, "_" and "-" in dot-separated labels), got "bad..name"'],
    ['"example.test" TXT "x"', 'line 2: expected NAME and TYPE without quotes (only a TXT value is quoted)'],
    ['example.test TXT v=spf1 -all', 'line 2: expected the TXT value as one or more double-quoted strings, e.g. "v=spf1 -all"'],
    ['example.test TXT "v=spf1" -all', 'line 2: expected the TXT value as one or more double-quoted strings, e.g. "v=spf1 -all"'],
    ['example.test TXT "v=spf1 -all', 'line 2: expected a closing " before the end of the line'],
    ['example.test TXT "a\\nb"', 'line 2: expected \\" or \\\\ after a backslash inside quotes'],
    ['example.test MX mx1.example.test', 'line 2: expected the MX value as PRIORITY EXCHANGE (0–65535 and a name), got "mx1.example.test"'],
    ['example.test MX 70000 mx1.example.test', 'line 2: expected the MX value as PRIORITY EXCHANGE (0–65535 and a name), got "70000 mx1.example.test"'],
    ['example.test MX 10 -bad-', 'line 2: expected a domain name as MX EXCHANGE (letters, digits, "_" and "-" in dot-separated labels), got "-bad-"'],
    ['mx1.example.test A 192.0.2.300', 'line 2: expected an IPv4 address as the A value, got "192.0.2.300"'],
    ['mx1.example.test A 2001:db8::1', 'line 2: expected an IPv4 address as the A value, got "2001:db8::1"'],
    ['mx1.example.test AAAA 192.0.2.1', 'line 2: expected an IPv6 address as the AAAA value, got "192.0.2.1"'],
    ['a.example.test CNAME b.example.test c.example.test', 'line 2: expected one name as the CNAME value, got "b.example.test c.example.test"'],
    ['a.example.test CNAME "b.example.test"', 'line 2: expected the CNAME value without quotes (only a TXT value is quoted), got "b.example.test"'],
  ])('%j on line 2 → %s', (line, message) => {
    const error = problem(`# first line\n${line}\nexample.test TXT "fine"\n`);
    expect(error.message).toBe(message);
    expect(error.line).toBe(2);
  });

  it('a name with a CNAME holds no other record, in either order', () => {
    expect(problem('a.example.test TXT "x"\n\na.example.test CNAME b.example.test').message).toBe(
      'line 3: expected no CNAME for a.example.test: line 1 gives it a TXT record, and a CNAME is the only record of its name (RFC 1034 §3.6.2)',
    );
    expect(problem('A.example.test. CNAME b.example.test\na.example.test A 192.0.2.1').message).toBe(
      'line 2: expected no other record for a.example.test: line 1 gives it a CNAME, and a CNAME is the only record of its name (RFC 1034 §3.6.2)',
    );
  });
});

describe('--dns-records at config time', () => {
  const write = useTmpFiles();

  it('is read into the check settings', () => {
    const config = resolveConfig({ dnsRecords: write('good.txt', GOOD) });
    expect(config.files.dnsRecords).toHaveLength(8);
    expect(checkSettings(config).dnsRecords).toBe(config.files.dnsRecords);
    expect(checkSettings(resolveConfig()).dnsRecords).toBeNull();
  });

  it('a bad line or a missing file is a ConfigError naming the option, the file and the line', () => {
    const bad = write('bad.txt', 'example.test TXT "ok"\nexample.test TXT oops\n');
    expect(() => resolveConfig({ dnsRecords: bad })).toThrow(ConfigError);
    expect(() => resolveConfig({ dnsRecords: bad })).toThrow(
      `invalid dnsRecords: ${bad} line 2: expected the TXT value as one or more double-quoted strings, e.g. "v=spf1 -all"`,
    );
    expect(() => resolveConfig({ dnsRecords: `${bad}.missing` })).toThrow(`invalid dnsRecords: cannot read ${bad}.missing: ENOENT`);
  });
});

describe('the resolver of the records', () => {
  const records = parseDnsRecords(GOOD + '\nloop1.example.test CNAME loop2.example.test\nloop2.example.test CNAME loop1.example.test\n');

  it('answers in the shape of dns.promises.resolve, following CNAMEs', async () => {
    const asked: string[] = [];
    const resolve = createDnsResolver(records, false, (name, rrtype) => asked.push(`${rrtype} ${name}`));
    expect(await resolve('S1._domainkey.example.test.', 'TXT')).toEqual([['v=DKIM1; k=rsa; ', 'p=MIIB', 'IjAN']]);
    expect(await resolve('key.example.test', 'TXT')).toEqual([['v=DKIM1; k=rsa; ', 'p=MIIB', 'IjAN']]);
    expect(await resolve('key.example.test', 'CNAME')).toEqual(['s1._domainkey.example.test']);
    expect(await resolve('example.test', 'MX')).toEqual([{ exchange: 'mx1.example.test', priority: 10 }]);
    expect(await resolve('mx1.example.test', 'A')).toEqual(['192.0.2.25']);
    expect(await resolve('mx1.example.test', 'AAAA')).toEqual(['2001:db8::25']);
    expect(asked).toEqual(['TXT S1._domainkey.example.test.', 'TXT key.example.test', 'CNAME key.example.test', 'MX example.test', 'A mx1.example.test', 'AAAA mx1.example.test']);
  });

  it('offline, a name the file lacks is ENOTFOUND, a type it lacks ENODATA, a CNAME loop ESERVFAIL', async () => {
    const resolve = createDnsResolver(records, false);
    await expect(resolve('nowhere.example.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND', hostname: 'nowhere.example.test', message: 'queryTxt ENOTFOUND nowhere.example.test' });
    await expect(resolve('mx1.example.test', 'TXT')).rejects.toMatchObject({ code: 'ENODATA', message: 'queryTxt ENODATA mx1.example.test' });
    await expect(resolve('loop1.example.test', 'TXT')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    await expect(createDnsResolver(null, false)('example.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('names its source', () => {
    expect([dnsSource(records, false), dnsSource(records, true), dnsSource(null, true), dnsSource(null, false)]).toEqual(['records', 'records+live', 'live', 'none']);
  });
});

describe('response schema of the auth check', () => {
  it('is exactly AuthCheck', () => {
    expectTypeOf<z.output<typeof authCheckSchema>>().toEqualTypeOf<AuthCheck>();
  });
});
