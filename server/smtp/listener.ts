/**
 * The SMTP side (the only `smtp-server` import besides `compat.ts`): accepts any sender and
 * recipient, records the envelope, applies fault rules at each stage, and answers `250` to DATA only
 * after the message is stored and its event published, so `await sendMail()` followed by a GET
 * always finds it.
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { Config } from '../config.js';
import type { Envelope, FaultStage } from '../contract.js';
import type { FaultContext, FaultEngine } from '../core/faults.js';
import type { ParsePool } from '../core/parse-pool.js';
import type { RejectionLog } from '../core/rejections.js';
import type { MessageStore } from '../core/store.js';
import type { Logger } from '../log.js';
import { dropConnection, installGreetingDelayOption, installQuotedLocalPartSupport, leaveSizeLimitToMailFromHook } from './compat.js';

/** A running SMTP listener. */
export interface SmtpListener {
  /** The bound port (the real one when configured as 0). */
  readonly port: number;
  /** Stops accepting, ends open sessions with `421 4.3.2` and resolves when the socket is closed. */
  close(): Promise<void>;
}

/** What the listener needs from the composition root. */
export interface SmtpListenerDeps {
  config: Config;
  store: MessageStore;
  faults: FaultEngine;
  rejections: RejectionLog;
  /** Parses received messages off the main thread. */
  parser: ParsePool;
  log: Logger;
}

/** An error smtp-server turns into a reply line: `responseCode` then the message. */
export function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/** Outcome of a fault check: go on (`null`), reply with this error, or the connection was dropped. */
type FaultOutcome = null | (Error & { responseCode: number }) | 'dropped';

/**
 * Starts the SMTP listener on `config.host:config.smtpPort`.
 * Advertises SIZE, 8BITMIME, SMTPUTF8, PIPELINING and AUTH PLAIN LOGIN (any credentials accepted,
 * also without TLS; RFC 4954). A message larger than `maxMessageSize` is drained to the final dot and
 * refused with `552 5.3.4` (RFC 3463); at most `maxMessageSize` bytes of it are held while
 * streaming, and none once the limit is passed. A `MAIL FROM` declaring a larger `SIZE=` gets the
 * same `552` at once (RFC 1870). Both are recorded in the rejection log with `ruleId: null`.
 *
 * @throws the listen error (e.g. `EADDRINUSE`) when the port cannot be bound.
 */
export async function startSmtpListener({ config, store, faults, rejections, parser, log }: SmtpListenerDeps): Promise<SmtpListener> {
  installQuotedLocalPartSupport();
  installGreetingDelayOption();

  /** Checks the rules of a stage and applies delay, disconnect or reply; records refusals. */
  const checkFaults = async (stage: FaultStage, session: SMTPServerSession, context: FaultContext, argument: string | null): Promise<FaultOutcome> => {
    const action = faults.evaluate(stage, context);
    if (!action) return null;
    log.info(`fault ${action.rule.id} (${action.rule.description}) fired for ${session.remoteAddress}`);
    if (action.delayMs > 0) await sleep(action.delayMs);
    if (!action.disconnect && !action.reply) return null;
    const reply = action.reply ? `${action.reply.code} ${action.reply.message}` : null;
    rejections.record({ stage, ruleId: action.rule.id, reply, disconnected: action.disconnect, argument, envelope: envelopeSoFar(session, context) });
    if (action.disconnect) {
      dropConnection(server, session);
      return 'dropped';
    }
    return smtpError(action.reply!.code, action.reply!.message);
  };

  /** The built-in size limit's `552 5.3.4` (RFC 3463), recorded like a rule's refusal. */
  const refuseOversized = (stage: FaultStage, session: SMTPServerSession, context: FaultContext, argument: string | null) => {
    const reply = '5.3.4 Message size exceeds fixed maximum message size';
    rejections.record({ stage, ruleId: null, reply: `552 ${reply}`, disconnected: false, argument, envelope: envelopeSoFar(session, context) });
    log.info(`552 oversized message from ${session.remoteAddress} refused at ${stage}`);
    return smtpError(552, reply);
  };

  /** Runs a hook's fault check and answers its callback: error, drop (no answer), or `onPass`. */
  const guard = (check: Promise<FaultOutcome>, callback: (err?: Error | null) => void, onPass: () => void) => {
    check.then(
      (outcome) => {
        if (outcome === 'dropped') return;
        if (outcome) return callback(outcome);
        onPass();
      },
      (err: unknown) => callback(smtpError(451, `4.3.0 Local error: ${err instanceof Error ? err.message : String(err)}`)),
    );
  };

  const server = new SMTPServer({
    name: 'mailsink',
    banner: 'ready',
    size: config.maxMessageSize,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      guard(checkFaults('connect', session, contextOf(session), session.remoteAddress), callback, () => callback());
    },
    onAuth(auth, session, callback) {
      const context = { ...contextOf(session), authUser: auth.username ?? null };
      guard(checkFaults('auth', session, context, auth.username ?? null), callback, () => callback(null, { user: auth.username }));
    },
    onMailFrom(address, session, callback) {
      const context = { ...contextOf(session), mailFrom: address.address };
      // A declared SIZE over the limit (RFC 1870); smtp-server leaves this check to us, see compat.ts.
      if (address.args && Number(address.args['SIZE'] ?? 0) > config.maxMessageSize) return callback(refuseOversized('mailFrom', session, context, address.address));
      guard(checkFaults('mailFrom', session, context, address.address), callback, () => callback());
    },
    onRcptTo(address, session, callback) {
      const context = { ...contextOf(session), rcptTo: [address.address] };
      guard(checkFaults('rcptTo', session, context, address.address), callback, () => callback());
    },
    onData(stream, session, callback) {
      receiveData(stream, config.maxMessageSize).then(
        async (raw) => {
          if (raw === null) return callback(refuseOversized('data', session, contextOf(session), null));
          const { parsed, parseError } = await parser.parse(raw);
          const context = { ...contextOf(session), subject: parsed?.subject ?? '' };
          guard(checkFaults('data', session, context, null), callback, () => {
            const message = store.add({ envelope: envelopeOf(session), raw, parsed, parseError });
            log.info(`stored ${message.id} (${raw.length} bytes) from ${session.remoteAddress}`);
            callback(null, `2.0.0 Ok: queued as ${message.id}`);
          });
        },
        (err: unknown) => {
          log.error(`DATA failed: ${err instanceof Error ? err.message : String(err)}`);
          callback(smtpError(451, '4.3.0 Local error while receiving the message'));
        },
      );
    },
  });
  leaveSizeLimitToMailFromHook(server);
  await listen(server, config.host, config.smtpPort);
  server.on('error', (err) => log.error(`smtp error: ${err.message}`));
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => closeServer(server) };
}

/**
 * Reads the whole DATA stream. Resolves `null` (after draining) when the message exceeds `maxBytes`,
 * keeping no chunks past the limit.
 */
function receiveData(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxBytes) chunks.push(chunk);
      else chunks = [];
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || length > maxBytes ? null : Buffer.concat(chunks, length)));
  });
}

function authUserOf(session: SMTPServerSession): string | null {
  const user = session.user as unknown;
  return typeof user === 'string' ? user : user == null ? null : String(user);
}

function contextOf(session: SMTPServerSession): FaultContext {
  const { mailFrom, rcptTo } = session.envelope;
  return {
    remoteAddress: session.remoteAddress,
    authUser: authUserOf(session),
    mailFrom: mailFrom ? mailFrom.address : null,
    rcptTo: rcptTo.map((rcpt) => rcpt.address),
  };
}

function envelopeSoFar(session: SMTPServerSession, context: FaultContext) {
  const { mailFrom, rcptTo } = session.envelope;
  return {
    mailFrom: context.mailFrom ?? (mailFrom ? mailFrom.address : ''),
    rcptTo: rcptTo.map((rcpt) => rcpt.address),
    heloName: session.hostNameAppearsAs || '',
    remoteAddress: session.remoteAddress,
    authUser: context.authUser,
  };
}

function envelopeOf(session: SMTPServerSession): Envelope {
  const { mailFrom, rcptTo } = session.envelope;
  return {
    mailFrom: mailFrom ? mailFrom.address : '',
    rcptTo: rcptTo.map((rcpt) => rcpt.address),
    mailParams: mailFrom && mailFrom.args ? { ...(mailFrom.args as Record<string, string | true>) } : {},
    heloName: session.hostNameAppearsAs || '',
    remoteAddress: session.remoteAddress,
    remotePort: session.remotePort,
    secure: Boolean(session.secure),
    authUser: authUserOf(session),
  };
}

function listen(server: SMTPServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const connection of server.connections) {
      connection.send(421, '4.3.2 mailsink shutting down');
      connection.close();
    }
  });
}
