/**
 * The relay upstream of `--relay-url`: `smtp://[user:pass@]host[:port][?starttls=required|opportunistic|off]`
 * or `smtps://…` (implicit TLS, RFC 8314). The password is kept only here, never shown: {@link redactedUrl}
 * is the form for logs and the API.
 */
import type { StarttlsMode } from './types.js';

/** A parsed `--relay-url`. */
export interface RelayUpstream {
  /** Host name or IP address (IPv6 without brackets), lowercased. */
  host: string;
  port: number;
  /** Implicit TLS (`smtps://`). */
  secure: boolean;
  /** STARTTLS policy for `smtp://` (`off` for `smtps://`, which is TLS from the start). */
  starttls: StarttlsMode;
  /** SMTP AUTH credentials (RFC 4954), or `null`. */
  auth: { user: string; pass: string } | null;
  /** `smtp://host:port` without credentials or query: what logs and the API show. */
  url: string;
}

/** Why a `--relay-url` is unusable; the message never contains the password. */
export class RelayUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayUrlError';
  }
}

const MODES: readonly StarttlsMode[] = ['required', 'opportunistic', 'off'];

/**
 * Parses a relay URL. Defaults: port 25 (`smtp://`) or 465 (`smtps://`); STARTTLS `required`, but
 * `opportunistic` for a loopback host (a local test server).
 * @throws RelayUrlError naming what is wrong (never echoing credentials).
 */
export function parseRelayUrl(value: string): RelayUpstream {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new RelayUrlError('expected a URL such as smtp://user:pass@relay.example:587 or smtps://relay.example:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new RelayUrlError(`expected the scheme smtp:// or smtps:// (got ${url.protocol}//)`);
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === '') throw new RelayUrlError('expected a host, as in smtp://relay.example:587');
  if ((url.pathname !== '' && url.pathname !== '/') || url.hash !== '') throw new RelayUrlError('expected no path or fragment after host:port');
  const port = url.port === '' ? (secure ? 465 : 25) : Number(url.port);
  for (const key of url.searchParams.keys()) if (key !== 'starttls') throw new RelayUrlError(`unknown parameter "${key}" (only starttls=required|opportunistic|off)`);
  const given = url.searchParams.get('starttls');
  if (given !== null && !MODES.includes(given as StarttlsMode)) throw new RelayUrlError(`starttls must be required, opportunistic or off (got "${given}")`);
  if (secure && given !== null && given !== 'off') throw new RelayUrlError('starttls does not apply to smtps:// (TLS from the start)');
  const starttls: StarttlsMode = secure ? 'off' : ((given as StarttlsMode | null) ?? (isLoopback(host) ? 'opportunistic' : 'required'));
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { host, port, secure, starttls, auth: user === '' && pass === '' ? null : { user, pass }, url: `${url.protocol}//${shownHost}:${port}` };
}

/** Whether `host` is loopback (`localhost`, `127.0.0.0/8`, `::1`). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
