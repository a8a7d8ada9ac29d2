/** Release targets: `host:port` strings as `--release-allow` takes them, and the allow-list check. */

/** An upstream SMTP server. */
export interface ReleaseTarget {
  /** Host name or IP address, lowercased; IPv6 without brackets. */
  host: string;
  port: number;
}

/**
 * Parses `host:port` (`[v6]:port` for IPv6).
 * @returns the target, or `null` when malformed (no port, port outside 1–65535, empty host).
 */
export function parseReleaseTarget(value: string): ReleaseTarget | null {
  const match = /^\s*(?:\[([0-9a-f:.]+)\]|([^\s:[\]/@]+)):(\d{1,5})\s*$/i.exec(value);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { host: (match[1] ?? match[2]!).toLowerCase(), port };
}

/** The canonical `host:port` form (`[v6]:port`). */
export function formatReleaseTarget({ host, port }: ReleaseTarget): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Whether `target` is one of `allowed` (canonical `host:port` strings): host compared without case, no DNS lookup. */
export function isReleaseAllowed(target: ReleaseTarget, allowed: readonly string[]): boolean {
  const wanted = formatReleaseTarget({ host: target.host.toLowerCase(), port: target.port });
  return allowed.some((entry) => entry === wanted);
}
