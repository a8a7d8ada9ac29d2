/**
 * Parses the probe's target: `smtp://host[:port]` (default 25) or `smtps://host[:port]` (default
 * 465, implicit TLS, RFC 8314). Credentials in the URL are refused: they would end up in shell
 * history and reports; use `--auth` or `MAILSINK_PROBE_AUTH` instead.
 */
import { isIP } from 'node:net';

/** Where to connect and how. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly implicitTls: boolean;
  /** SNI name: the host unless it is an IP address. */
  readonly servername: string | undefined;
  /** The domain for the default recipient: the host, or `example.com` for an IP address. */
  readonly mailDomain: string;
  /** e.g. `smtps://mail.example.org:465` */
  readonly display: string;
}

/**
 * @throws Error naming the expected form for anything but an smtp:// or smtps:// URL with a host.
 */
export function parseProbeTarget(value: string): ProbeTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`expected smtp://host:port or smtps://host:port (got ${JSON.stringify(value)})`);
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '' || url.pathname.replace(/^\/$/, '') !== '' || url.search !== '') {
    throw new Error(`expected smtp://host:port or smtps://host:port (got ${JSON.stringify(value)})`);
  }
  if (url.username !== '' || url.password !== '') throw new Error('credentials do not belong in the target URL: use --auth user:pass or MAILSINK_PROBE_AUTH');
  const implicitTls = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (implicitTls ? 465 : 25) : Number(url.port);
  const ip = isIP(host) !== 0;
  return {
    host,
    port,
    implicitTls,
    servername: ip ? undefined : host,
    mailDomain: ip ? 'example.com' : host,
    display: `${url.protocol}//${host.includes(':') ? `[${host}]` : host}:${port}`,
  };
}
