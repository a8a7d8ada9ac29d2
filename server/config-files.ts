/**
 * Files named by options, read and checked once while the configuration is resolved: the TLS
 * certificate and key (`--tls-cert`, `--tls-key`), the user files (`--auth-users`,
 * `--ui-auth-file`), the DNS records of the message checks (`--dns-records`) and the relay's CA certificates (`--relay-ca`). A problem is a {@link ConfigFileError} naming the option's key; `config.ts`
 * turns it into a one-line `ConfigError` naming the flag or variable.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DnsRecordsError, parseDnsRecords } from './checks/dns-records.js';
import type { DnsRecord } from './checks/dns-records.js';
import { CredentialsError, parseCredentials } from './core/credentials.js';
import type { CredentialList } from './core/credentials.js';

/** PEM text of a certificate (chain) and its private key. */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
}

/** What the files held. */
export interface LoadedFiles {
  /** From `--tls-cert`/`--tls-key`; `null` means a self-signed certificate is made at start. */
  readonly tls: TlsFiles | null;
  /** From `--auth-users`; `null` means any SMTP credentials are accepted. */
  readonly authUsers: CredentialList | null;
  /** From `--ui-auth-file`; `null` means the web inbox and API are open. */
  readonly uiUsers: CredentialList | null;
  /** From `--dns-records`; `null` means the checks have no records of their own. */
  readonly dnsRecords: readonly DnsRecord[] | null;
  /** From `--relay-ca`: PEM CA certificate(s) the relay upstream's certificate is checked against; `null`: the system's. */
  readonly relayCa: string | null;
}

/** Paths as configured (`null` when not set). */
export interface FilePaths {
  tlsCert: string | null;
  tlsKey: string | null;
  authUsers: string | null;
  uiAuthFile: string | null;
  dnsRecords: string | null;
  relayCa: string | null;
}

/** A file option that cannot be used; `key` is the option's config key, `reason` one line. */
export class ConfigFileError extends Error {
  readonly key: keyof FilePaths;
  readonly reason: string;
  constructor(key: keyof FilePaths, reason: string) {
    super(reason);
    this.name = 'ConfigFileError';
    this.key = key;
    this.reason = reason;
  }
}

function read(key: keyof FilePaths, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError(key, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/**
 * Reads and checks every configured file.
 * @param name - The option name to use in messages for a key (e.g. `--tls-cert`).
 * @throws ConfigFileError for an unreadable file, a certificate or key that is not PEM, a key that
 *   does not match the certificate, one of the pair without the other, a malformed user file, or a
 *   records file with a line that is not a record (the reason names the line), or a `--relay-ca`
 *   file without a PEM certificate.
 */
export function loadConfigFiles(paths: FilePaths, name: (key: keyof FilePaths) => string): LoadedFiles {
  return Object.freeze({
    tls: loadTls(paths, name),
    authUsers: loadUsers('authUsers', paths.authUsers),
    uiUsers: loadUsers('uiAuthFile', paths.uiAuthFile),
    dnsRecords: loadDnsRecords(paths.dnsRecords),
    relayCa: loadCa(paths.relayCa),
  });
}

function loadTls(paths: FilePaths, name: (key: keyof FilePaths) => string): TlsFiles | null {
  if (paths.tlsCert === null && paths.tlsKey === null) return null;
  if (paths.tlsCert === null) throw new ConfigFileError('tlsKey', `needs ${name('tlsCert')} too`);
  if (paths.tlsKey === null) throw new ConfigFileError('tlsCert', `needs ${name('tlsKey')} too`);
  const cert = read('tlsCert', paths.tlsCert);
  const key = read('tlsKey', paths.tlsKey);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (err) {
    throw new ConfigFileError('tlsCert', `${paths.tlsCert} is not a PEM certificate: ${firstLine(err)}`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new ConfigFileError('tlsKey', `${paths.tlsKey} is not a PEM private key: ${firstLine(err)}`);
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new ConfigFileError('tlsKey', `${paths.tlsKey} is not the key of the certificate in ${paths.tlsCert}`);
  return Object.freeze({ cert, key });
}

function loadUsers(key: 'authUsers' | 'uiAuthFile', file: string | null): CredentialList | null {
  if (file === null) return null;
  try {
    return parseCredentials(read(key, file));
  } catch (err) {
    if (err instanceof CredentialsError) throw new ConfigFileError(key, `${file}: ${err.message}`);
    throw err;
  }
}

function loadDnsRecords(file: string | null): readonly DnsRecord[] | null {
  if (file === null) return null;
  try {
    return parseDnsRecords(read('dnsRecords', file));
  } catch (err) {
    if (err instanceof DnsRecordsError) throw new ConfigFileError('dnsRecords', `${file} ${err.message}`);
    throw err;
  }
}

/** The PEM text of `--relay-ca`, checked to hold at least one certificate, each of them parseable. */
function loadCa(file: string | null): string | null {
  if (file === null) return null;
  const text = read('relayCa', file);
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ConfigFileError('relayCa', `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new ConfigFileError('relayCa', `${file} is not a PEM certificate: ${firstLine(err)}`);
    }
  }
  return text;
}
