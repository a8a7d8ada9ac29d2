/**
 * The certificate of STARTTLS and SMTPS: the one of `--tls-cert`/`--tls-key`, or a self-signed
 * one made at start with `selfsigned` (ECDSA P-256, SHA-256, valid from yesterday for 397 days,
 * names: localhost, 127.0.0.1, ::1, `mailsink`, this machine's host name and the bound host).
 * Clients must not verify it (or trust it explicitly): it is a test server.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import os from 'node:os';
import { generate } from 'selfsigned';
import type { TlsFiles } from '../config-files.js';

/** The key pair in use and where it came from. */
export interface TlsCredentials extends TlsFiles {
  /** `true` when made at start (self-signed), `false` when from `--tls-cert`/`--tls-key`. */
  readonly generated: boolean;
  /** SHA-256 fingerprint of the certificate, `AA:BB:…`. */
  readonly fingerprint256: string;
}

const DAY_MS = 86_400_000;

/** Names the generated certificate is valid for: loopback, the compose service name, the host name, and `host` when it is specific. */
function altNames(host: string): { type: 2 | 7; value?: string; ip?: string }[] {
  const names = new Set(['localhost', 'mailsink', os.hostname().toLowerCase()]);
  const ips = new Set(['127.0.0.1', '::1']);
  if (isIP(host)) {
    if (host !== '0.0.0.0' && host !== '::') ips.add(host);
  } else {
    names.add(host.toLowerCase());
  }
  return [...[...names].filter((name) => /^[a-z0-9.-]+$/.test(name)).map((value) => ({ type: 2 as const, value })), ...[...ips].map((ip) => ({ type: 7 as const, ip }))];
}

/**
 * The configured key pair, or a new self-signed one.
 * @param files - `config.files.tls` (already checked while resolving the configuration).
 * @param host - The bound host (`--host`), added to the generated certificate's names.
 */
export async function tlsCredentials(files: TlsFiles | null, host: string): Promise<TlsCredentials> {
  if (files) return { ...files, generated: false, fingerprint256: new X509Certificate(files.cert).fingerprint256 };
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'mailsink' }, { name: 'organizationName', value: 'mailsink self-signed test certificate' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 397 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: altNames(host) },
    ],
  });
  return { cert: pems.cert, key: pems.private, generated: true, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}
