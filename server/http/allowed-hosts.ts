/**
 * DNS-rebinding protection: the HTTP server answers only requests whose `Host` header names the
 * sink. A page on `http://evil.example:8025` whose name the attacker re-points at 127.0.0.1 is
 * same-origin with itself, so CORS does not stop it; its requests still say `Host: evil.example`.
 *
 * Allowed without configuration: loopback names and addresses (`localhost`, `*.localhost`,
 * 127.0.0.0/8, `::1`), the bound `--host`, this machine's host name (`os.hostname()`, its first
 * label and `<label>.local`), and every IP address literal (an address cannot be re-pointed: a page
 * whose origin is an IP address is served by that address, so this covers the machine's own
 * interfaces and addresses NATed to it, e.g. a Docker host's). Everything else needs
 * `--allowed-host` (exact names, `*.example.org` for subdomains, `*` to turn the check off).
 * A request without `Host` (HTTP/1.0; Node refuses HTTP/1.1 without one) is not from a browser,
 * so it cannot be a rebinding attack, and is served.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { domainToASCII } from 'node:url';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { ApiErrorBody } from '../contract.js';

/** Top-level names under which nobody can register a domain, so `*.<name>` is a safe wildcard. */
const PRIVATE_TLDS = new Set(['localhost', 'local', 'test', 'internal', 'lan', 'home', 'corp', 'intranet', 'private']);
const LABEL = /^[a-z0-9_-]{1,63}$/;

/**
 * Normalises one `--allowed-host` entry: lowercased, a trailing dot dropped; `*`, a host name, an IP
 * address, or `*.` followed by a domain of at least two labels (or one private top-level name such
 * as `*.test`, `*.internal`, `*.local`).
 * @throws Error with a one-line reason when the entry is none of these (a port, a path, `*.com` …).
 */
export function normalizeAllowedHost(entry: string): string {
  const value = entry.trim().toLowerCase().replace(/\.$/, '');
  if (value === '*') return value;
  const bare = value.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return bare;
  const wildcard = value.startsWith('*.');
  const given = wildcard ? value.slice(2) : value;
  const name = /^[\x20-\x7e]*$/.test(given) ? given : domainToASCII(given); // IDN → punycode ('' if invalid)
  const labels = name.split('.');
  if (!labels.every((label) => LABEL.test(label))) {
    throw new Error('expected a host name (no scheme, port or path) such as mailsink or staging.example.org, *.example.org for its subdomains, or *');
  }
  if (wildcard && labels.length < 2 && !PRIVATE_TLDS.has(name)) {
    throw new Error(`*.${name} is too broad (anyone can register a name under ${name}); name a domain such as *.example.${name}`);
  }
  return wildcard ? `*.${name}` : name;
}

/**
 * The host of a `Host` header value (`name`, `name:port`, `[v6]:port`), lowercased without a
 * trailing dot or brackets; `null` when it is malformed.
 */
export function hostOfHeader(header: string): string | null {
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d*)?$/.exec(value);
  if (bracketed) return isIP(bracketed[1]!) === 6 ? bracketed[1]! : null;
  const match = /^([^:[\]]+)(?::\d*)?$/.exec(value);
  if (!match) return null;
  const host = match[1]!.replace(/\.$/, '');
  return isIP(host) || host.split('.').every((label) => /^[a-z0-9_-]{1,63}$/.test(label)) ? host : null;
}

/** Whether a host (as {@link hostOfHeader} returns it) is a loopback name or address. */
export function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^::ffff:127\./.test(host);
}

/** Which `Host` values the sink answers to. Built once per sink; the host name is read per check (it may change). */
export class HostPolicy {
  readonly #exact: ReadonlySet<string>;
  readonly #suffixes: readonly string[];
  readonly #any: boolean;

  /**
   * @param bindHost - The `--host` the listeners bound (a wildcard address adds nothing).
   * @param allowedHosts - `--allowed-host` entries, normalised by {@link normalizeAllowedHost}.
   */
  constructor(bindHost: string, allowedHosts: readonly string[]) {
    const bound = hostOfHeader(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
    this.#any = allowedHosts.includes('*');
    this.#exact = new Set([...allowedHosts.filter((entry) => !entry.startsWith('*')), ...(bound ? [bound] : [])]);
    this.#suffixes = allowedHosts.filter((entry) => entry.startsWith('*.')).map((entry) => entry.slice(1));
  }

  /** Whether a request with this `Host` header may be served (`undefined`: no header, not a browser). */
  allows(header: string | undefined): boolean {
    if (header === undefined || this.#any) return true;
    const host = hostOfHeader(header);
    if (host === null) return false;
    if (isIP(host) || isLoopbackName(host) || this.#exact.has(host)) return true;
    if (this.#suffixes.some((suffix) => host.endsWith(suffix))) return true;
    return ownNames().includes(host);
  }

  /** The `403 host_not_allowed` body for a refused `Host`. */
  refusal(header: string): ApiErrorBody {
    const host = hostOfHeader(header) ?? header;
    return {
      error: {
        code: 'host_not_allowed',
        message: `Host ${JSON.stringify(header)} is not allowed (DNS-rebinding protection); if you reach mailsink under this name, start it with --allowed-host ${host} (or MAILSINK_ALLOWED_HOSTS=${host})`,
        field: 'Host',
      },
    };
  }

  /** Middleware answering `403 host_not_allowed` (JSON) to a request whose `Host` is not allowed. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (this.allows(req.headers.host)) return next();
      res.status(403).json(this.refusal(req.headers.host!));
    };
  }

  /** Same check for a WebSocket upgrade request. */
  allowsRequest(req: Pick<IncomingMessage, 'headers'>): boolean {
    return this.allows(req.headers.host);
  }
}

/** This machine's names: the host name, its first label, and that label under `.local` (mDNS). */
function ownNames(): string[] {
  const name = hostname().toLowerCase().replace(/\.$/, '');
  const first = name.split('.')[0]!;
  return [name, first, `${first}.local`];
}
