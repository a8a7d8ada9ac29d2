/**
 * One URL of the link check, asked now: `HEAD` (then `GET` when the server refuses `HEAD` with 405
 * or 501, its body cancelled once the headers are in), redirects followed by hand so each hop is
 * recorded (RFC 9110 §15.4: 301, 302, 303, 307, 308), a timeout per request. No cookies and no
 * credentials are sent (user info in a URL is dropped); every request carries the given `User-Agent`.
 */
import type { LinkStatus } from './links-types.js';

/** Most redirects followed for one URL; one more is `too-many-redirects`. */
export const MAX_REDIRECTS = 10;

/** How a URL is probed. */
export interface ProbeSettings {
  /** Follow redirects (`false`: report the first answer, a 3xx included). */
  follow: boolean;
  /** Timeout of each request (until the response headers), in milliseconds. */
  timeoutMs: number;
  /** The `User-Agent` header sent. */
  userAgent: string;
}

type Reply = { status: number; statusText: string; location: string | null } | { error: string; statusText: string };

/** Probes `url` (absolute, http: or https:); never throws: failures are in `error`. */
export async function probeUrl(url: string, kind: LinkStatus['kind'], settings: ProbeSettings): Promise<LinkStatus> {
  const started = performance.now();
  const redirects: LinkStatus['redirects'] = [];
  const seen = new Set<string>();
  let current = withoutCredentials(new URL(url));
  const result = ({ status, statusText, error }: { status: number | null; statusText: string; error: string | null }): LinkStatus => ({
    url, kind, status, statusText, ok: error === null && status !== null && status < 400,
    redirects, finalUrl: current.href, error, durationMs: Math.round(performance.now() - started),
  });
  for (;;) {
    seen.add(current.href);
    const reply = await ask(current, settings);
    if ('error' in reply) return result({ status: null, statusText: reply.statusText, error: reply.error });
    const { status, statusText } = reply;
    if (!settings.follow || ![301, 302, 303, 307, 308].includes(status)) return result({ status, statusText, error: null });
    const next = reply.location === null ? null : httpUrl(reply.location, current);
    if (!next) return result({ status, statusText: `${status} without an http(s) Location`, error: 'bad-redirect' });
    redirects.push({ url: current.href, status });
    if (seen.has(next.href)) return result({ status, statusText: `redirect loop back to ${next.href}`, error: 'redirect-loop' });
    if (redirects.length > MAX_REDIRECTS) return result({ status, statusText: `more than ${MAX_REDIRECTS} redirects`, error: 'too-many-redirects' });
    current = next;
  }
}

/** `HEAD url`, or `GET url` when the server does not do `HEAD`. */
async function ask(url: URL, settings: ProbeSettings): Promise<Reply> {
  const head = await request(url, 'HEAD', settings);
  return 'status' in head && (head.status === 405 || head.status === 501) ? request(url, 'GET', settings) : head;
}

async function request(url: URL, method: 'HEAD' | 'GET', settings: ProbeSettings): Promise<Reply> {
  try {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      credentials: 'omit',
      headers: { 'user-agent': settings.userAgent, accept: '*/*' },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined); // only the headers matter
    return { status: res.status, statusText: res.statusText, location: res.headers.get('location') };
  } catch (err) {
    return failure(err, settings.timeoutMs);
  }
}

/** A fetch failure as an error code and one human line. */
function failure(err: unknown, timeoutMs: number): { error: string; statusText: string } {
  const { name, message, cause } = err as { name?: string; message?: string; cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
  if (name === 'TimeoutError' || name === 'AbortError') return { error: 'timeout', statusText: `no answer within ${timeoutMs} ms` };
  if (cause?.message === 'bad port') return { error: 'bad-port', statusText: 'port refused by the fetch standard (e.g. 25)' };
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  const known: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'no such host', ECONNRESET: 'connection reset', EAI_AGAIN: 'name lookup failed', UND_ERR_SOCKET: 'connection closed by the server' };
  return { error: code ?? 'network', statusText: (code && known[code]) ?? cause?.message ?? message ?? String(err) };
}

/** `location` resolved against `base` when it is an http(s) URL, else `null`. */
function httpUrl(location: string, base: URL): URL | null {
  try {
    const url = new URL(location, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? withoutCredentials(url) : null;
  } catch {
    return null;
  }
}

function withoutCredentials(url: URL): URL {
  url.username = '';
  url.password = '';
  return url;
}
