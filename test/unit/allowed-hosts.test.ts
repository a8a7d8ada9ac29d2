/** `--allowed-host` entries, `Host` header parsing and the policy behind the DNS-rebinding check. */
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromCli, resolveConfig } from '../../server/config.js';
import { HostPolicy, hostOfHeader, normalizeAllowedHost } from '../../server/http/allowed-hosts.js';

describe('normalizeAllowedHost', () => {
  it('lowercases, drops a trailing dot and brackets, turns IDNs into punycode', () => {
    expect(normalizeAllowedHost(' MailSink. ')).toBe('mailsink');
    expect(normalizeAllowedHost('*.Staging.Example.org')).toBe('*.staging.example.org');
    expect(normalizeAllowedHost('*.bücher.example')).toBe('*.xn--bcher-kva.example');
    expect(normalizeAllowedHost('[::1]')).toBe('::1');
    expect(normalizeAllowedHost('*.test')).toBe('*.test');
    expect(normalizeAllowedHost('my_project_mailsink_1')).toBe('my_project_mailsink_1');
    expect(normalizeAllowedHost('*')).toBe('*');
  });

  it('refuses ports, schemes, paths, inner wildcards and wildcards over a public top-level name', () => {
    for (const entry of ['mailsink:8025', 'http://mailsink', 'mailsink/x', '*example.org', 'a.*.example.org', '', 'a..b']) {
      expect(() => normalizeAllowedHost(entry), entry).toThrow(/^expected a host name/);
    }
    expect(() => normalizeAllowedHost('*.com')).toThrow('*.com is too broad (anyone can register a name under com); name a domain such as *.example.com');
  });
});

describe('hostOfHeader', () => {
  it('takes the host of name, name:port and [v6]:port; null when malformed', () => {
    expect(hostOfHeader('Example.ORG.:8025')).toBe('example.org');
    expect(hostOfHeader('[::1]:8025')).toBe('::1');
    expect(hostOfHeader('127.0.0.1')).toBe('127.0.0.1');
    for (const bad of ['', 'a b', '::1', 'user@host', '[evil.example]', 'a:1:2', 'a/b']) expect(hostOfHeader(bad), bad).toBeNull();
  });
});

describe('HostPolicy', () => {
  it('allows the bound host name (not a wildcard address) and only what is listed', () => {
    expect(new HostPolicy('devbox.lan', []).allows('devbox.lan:8025')).toBe(true);
    expect(new HostPolicy('0.0.0.0', []).allows('devbox.lan:8025')).toBe(false);
    expect(new HostPolicy('::', []).allows('[::]:8025')).toBe(true); // an IP literal
    const policy = new HostPolicy('127.0.0.1', ['mailsink', '*.example.org']);
    expect(policy.allows('mailsink')).toBe(true);
    expect(policy.allows('a.example.org')).toBe(true);
    expect(policy.allows('example.org')).toBe(false);
    expect(policy.allows('aexample.org')).toBe(false);
    expect(policy.allows(undefined)).toBe(true);
  });
});

describe('the --allowed-host option', () => {
  it('is repeatable, and MAILSINK_ALLOWED_HOSTS takes a comma-separated list', () => {
    expect(configFromCli(['--allowed-host', 'mailsink', '--allowed-host', '*.example.org'], {})).toMatchObject({ config: { allowedHosts: ['mailsink', '*.example.org'] } });
    expect(configFromCli([], { MAILSINK_ALLOWED_HOSTS: 'mailsink, staging.example.org' })).toMatchObject({ config: { allowedHosts: ['mailsink', 'staging.example.org'] } });
    expect(resolveConfig({}).allowedHosts).toEqual([]);
  });

  it('a bad entry is a ConfigError naming the flag or the variable in one line', () => {
    const fromFlag = () => configFromCli(['--allowed-host', 'mailsink:8025'], {});
    expect(fromFlag).toThrow(ConfigError);
    expect(fromFlag).toThrow(/^invalid --allowed-host: "mailsink:8025": expected a host name \(no scheme, port or path\)/);
    expect(() => configFromCli([], { MAILSINK_ALLOWED_HOSTS: '*.org' })).toThrow(/^invalid MAILSINK_ALLOWED_HOSTS: "\*\.org": \*\.org is too broad/);
  });
});
