/**
 * The SMTP side (the only `smtp-server` import besides `compat.ts` and the type-only helpers):
 * one server per plain port (`--smtp-port`, repeatable; STARTTLS offered) and one implicit-TLS
 * server (`--smtps-port`), all sharing the hooks of `hooks.ts`, so limits, fault rules, the store
 * and transcripts see one sink. Accepts any sender and recipient; the `250` to DATA comes after
 * the message is stored, and reads wait for its parse.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import type { Logger } from '../log.js';
import { installGreetingDelayOption, installQuotedLocalPartSupport, leaveSizeLimitToMailFromHook, limitStartTlsHandshake, observeSessions } from './compat.js';
import { createHooks } from './hooks.js';
import type { HookDeps } from './hooks.js';
import { tlsCredentials } from './tls.js';
import type { TlsCredentials } from './tls.js';

/** Longest wait for the TLS handshake after `220 Ready to start TLS` (at most the idle timeout). */
const STARTTLS_HANDSHAKE_MS = 10_000;

/** The running SMTP listeners of a sink. */
export interface SmtpListener {
  /** The first plain port (the real one when configured as 0). */
  readonly port: number;
  /** Every plain port, in configured order. */
  readonly ports: readonly number[];
  /** The implicit-TLS port, or `null`. */
  readonly smtpsPort: number | null;
  /** The certificate of STARTTLS and SMTPS. */
  readonly tls: TlsCredentials;
  /** Stops accepting, ends open sessions with `421 4.3.2` and resolves when every socket is closed. */
  close(): Promise<void>;
}

/** What the listener needs from the composition root: what its hooks need, less the servers it makes. */
export type SmtpListenerDeps = Omit<HookDeps, 'servers'>;

/**
 * Starts every SMTP listener on `config.host`. Each advertises SIZE, 8BITMIME, SMTPUTF8,
 * PIPELINING, ENHANCEDSTATUSCODES (RFC 2034: every reply but the greeting and the answers to
 * HELO/EHLO carries an RFC 3463 code, see replies.ts), AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 and
 * (plain ports) STARTTLS (RFC 3207). Limits: a
 * message over `maxMessageSize` → `552 5.3.4`; over `maxRecipients` → `452 4.5.3`; over
 * `maxConnections` (all ports together) → `421 4.3.2`; over `maxConnectionsPerAddress` from one
 * client address → `421 4.7.0`; no complete line for `idleTimeoutMs` while the client owes one →
 * `421 4.4.2` (see `idle-clock.ts`); a command line over `maxLineLength` octets → `421 4.5.0`. A
 * `421` closes the connection. With `--auth-users`, failed AUTH is throttled per address (`auth.ts`).
 *
 * @throws the listen error (e.g. `EADDRINUSE`) when a port cannot be bound; listeners already
 *   started are closed first.
 */
export async function startSmtpListener(deps: SmtpListenerDeps): Promise<SmtpListener> {
  const { config, log } = deps;
  const tls = await tlsCredentials(config.files.tls, config.host);
  const servers: SMTPServer[] = [];
  const hooks = createHooks({ ...deps, servers });
  const { observer, ...handlers } = hooks;

  const create = (secure: boolean): SMTPServer => {
    const options: SMTPServerOptions = {
      name: 'mailsink',
      banner: 'ready',
      size: config.maxMessageSize,
      authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
      authOptional: true,
      // With --require-tls, smtp-server answers AUTH before STARTTLS itself (reworded to 530 5.7.0 by the observer).
      allowInsecureAuth: !config.requireTls,
      secure,
      key: tls.key,
      cert: tls.cert,
      disableReverseLookup: true,
      logger: false,
      // Advertise ENHANCEDSTATUSCODES (RFC 2034); the codes themselves come from replies.ts via the observer.
      hideENHANCEDSTATUSCODES: false,
      socketTimeout: config.idleTimeoutMs, // a backstop: the idle clock of hooks.ts closes sessions that trickle bytes
      maxCommandLength: config.maxLineLength,
      ...(handlers as Partial<SMTPServerOptions>),
    };
    const server = new SMTPServer(options);
    // Each patch of compat.ts applies to this server only; an application's own SMTPServer keeps upstream behaviour.
    installQuotedLocalPartSupport(server);
    installGreetingDelayOption(server);
    leaveSizeLimitToMailFromHook(server);
    observeSessions(server, observer);
    limitStartTlsHandshake(server, Math.min(STARTTLS_HANDSHAKE_MS, config.idleTimeoutMs));
    servers.push(server);
    return server;
  };

  try {
    const start = async (secure: boolean, port: number) => {
      const server = create(secure);
      const bound = await listen(server, config.host, port);
      server.on('error', (err: Error) => logServerError(log, err));
      return bound;
    };
    const ports: number[] = [];
    for (const port of config.smtpPorts) ports.push(await start(false, port));
    const smtpsPort = config.smtpsPort === null ? null : await start(true, config.smtpsPort);
    return { port: ports[0]!, ports, smtpsPort, tls, close: () => Promise.all(servers.map(closeServer)).then(() => undefined) };
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    throw err;
  }
}

/** Logs an error of a server: a failed TLS handshake or a client that went away is the client's doing (info), anything else an error. */
function logServerError(log: Logger, err: Error & { code?: string; reason?: string; remoteAddress?: string }): void {
  if (/^ERR_(SSL|TLS)_/.test(err.code ?? '') || err.code === 'TLSError' || /SSL routines/.test(err.message)) {
    log.info(`TLS with ${err.remoteAddress ?? 'a client'} failed: ${err.reason ?? err.message.split('\n')[0]}`);
    return;
  }
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ETIMEDOUT') {
    log.info(`client ${err.remoteAddress ?? ''} went away: ${err.code}`.replace('  ', ' '));
    return;
  }
  log.error(`smtp error: ${err.message}`);
}

/** Listens and resolves with the bound port. */
function listen(server: SMTPServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.server.listening) {
      for (const connection of server.connections) connection.close();
      return resolve();
    }
    server.close(() => resolve());
    for (const connection of server.connections) {
      connection.send(421, '4.3.2 mailsink shutting down');
      connection.close();
    }
  });
}
