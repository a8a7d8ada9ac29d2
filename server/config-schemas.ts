/**
 * Zod schemas of the option kinds added for TLS, AUTH, limits and the HTTP side: file paths,
 * switches, durations, origins and lists (the environment form of a repeatable flag is one
 * comma- or space-separated string).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { normalizeAllowedHost } from './http/allowed-hosts.js';
import { formatReleaseTarget, parseReleaseTarget } from './relay/targets.js';
import { parseRelayUrl, RelayUrlError } from './relay/upstream.js';
import type { RelayUpstream } from './relay/upstream.js';

const PORT_MESSAGE = 'expected a port number from 0 to 65535 (0 picks a free port)';
/** A TCP port, 0 to 65535 (0: the system picks a free one). */
export const portNumber = z.coerce.number({ message: PORT_MESSAGE }).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);
const port = portNumber;

export const file = z.string().trim().min(1, 'expected a file path').nullable();
export const flag = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const word = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(word)) return true;
  if (['false', '0', 'no', 'off'].includes(word)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected true or false' });
  return false;
});
/** A duration: a number is milliseconds (the `…Ms` option in code); a string may carry a unit and is seconds without one (flags, variables). */
export const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? (Number.isSafeInteger(value) && value >= 1 && value <= 86_400_000 ? value : null) : parseDurationMs(value);
  if (ms === null) ctx.addIssue({ code: 'custom', message: 'expected a duration such as 300s, 5m or 500ms (a bare number is seconds)' });
  return ms ?? 0;
});
/** `host:port` (`[v6]:port`) of an SMTP server, normalized (host lowercased). */
export const hostPort = z.string().transform((value, ctx) => {
  const target = parseReleaseTarget(value);
  if (!target) {
    ctx.addIssue({ code: 'custom', message: 'expected HOST:PORT such as 127.0.0.1:2525 or [::1]:2525' });
    return z.NEVER;
  }
  return formatReleaseTarget(target);
});
/** `--relay-url`: an `smtp://` or `smtps://` URL, parsed (see `relay/upstream.ts`); the reason for a bad one never shows the password. */
export const relayUrl = z.union([z.string(), z.custom<RelayUpstream>((value) => typeof value === 'object' && value !== null && 'host' in value)]).transform((value, ctx): RelayUpstream => {
  if (typeof value !== 'string') return value;
  try {
    return parseRelayUrl(value);
  } catch (err) {
    if (!(err instanceof RelayUrlError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
    return z.NEVER;
  }
});
/** A recipient glob of `--relay-allow`/`--relay-deny` (`*@team.example`; `*` any run, `?` one character). */
export const addressPattern = z.string().trim().min(1, 'expected an address pattern such as *@team.example').refine((value) => !/[\s,]/.test(value), 'expected an address pattern such as *@team.example (no spaces or commas)');
/** An IPv4 or IPv6 address (no brackets, no port). */
export const ipAddress = z.string().trim().refine((value) => isIP(value) !== 0, 'expected an IPv4 or IPv6 address such as 192.0.2.10');
export const origin = z.string().refine((value) => value === '*' || normalOrigin(value) === value, 'expected an origin such as http://localhost:3000 (scheme, host, optional port; no path) or *');

/** An `--allowed-host` entry, normalised (lowercase, punycode, no trailing dot); see {@link normalizeAllowedHost}. */
export const allowedHost = z.string().transform((value, ctx) => {
  try {
    return normalizeAllowedHost(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** A list option: an array, or a string of items separated by commas or white space (the environment form). */
export function listOf<T extends z.ZodType>(item: T, min = 0) {
  return z.union([z.array(z.unknown()), z.string(), z.number()]).transform((value, ctx): z.output<T>[] => {
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/).filter((part) => part !== '') : [value];
    const out: z.output<T>[] = [];
    for (const entry of items) {
      const result = item.safeParse(entry);
      if (!result.success) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(entry)}: ${result.error.issues[0]?.message ?? 'invalid value'}` });
        return z.NEVER;
      }
      out.push(result.data as z.output<T>);
    }
    if (out.length < min) ctx.addIssue({ code: 'custom', message: `expected at least ${min} value` });
    return out;
  });
}

export const smtpPorts = listOf(port, 1).refine((ports) => new Set(ports.filter((p) => p !== 0)).size === ports.filter((p) => p !== 0).length, 'a port is given twice');

/** Parses `300s`, `5m`, `500ms`, `1h` or a bare number of seconds into milliseconds; `null` if malformed, under 1 ms or over a day. */
export function parseDurationMs(value: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value);
  if (!match) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
  const ms = Math.round(Number(match[1]) * unit);
  return ms >= 1 && ms <= 86_400_000 ? ms : null;
}

/** The origin of a URL (`scheme://host[:port]`, lowercased, default port dropped), or `null` when it is not a web origin. */
export function normalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}
