/**
 * The smtp-server hooks of one sink, shared by all its listeners: limits first (connections, TLS
 * and AUTH requirements, size, recipients), then fault rules, then the normal path; the `250` to
 * DATA only after the message is stored. Every refusal is written to the
 * rejection log with the id of the session's transcript, and every command and reply goes to the
 * transcript (AUTH secrets masked, message data only counted). A message is parsed after its ack
 * (see `MessageParsing`), unless a data-stage fault rule needs its subject first.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';
import type { SMTPServer, SMTPServerAddress, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { Config } from '../config.js';
import type { FaultStage } from '../contract.js';
import type { BcryptPool } from '../core/bcrypt-pool.js';
import type { FaultContext, FaultEngine } from '../core/faults.js';
import type { MessageParsing } from '../core/message-parsing.js';
import type { ParsePool } from '../core/parse-pool.js';
import type { RejectionLog } from '../core/rejections.js';
import type { Pending, Store, StoredMessage } from '../core/store.js';
import type { TranscriptLog } from '../core/transcripts.js';
import type { Logger } from '../log.js';
import { createAuthHook } from './auth.js';
import { dropConnection } from './compat.js';
import { IdleClock } from './idle-clock.js';
import type { ReplacementReply, SessionObserver } from './compat.js';
import { mailsinkReply } from './replies.js';
import { contextOf, envelopeOf, envelopeSoFar, LIMIT_REPLIES, maskCommand, receiveData, replyLines, smtpError } from './session.js';
import type { SmtpError } from './session.js';

/** What the hooks need from the composition root. */
export interface HookDeps {
  config: Config;
  store: Store;
  faults: FaultEngine;
  rejections: RejectionLog;
  transcripts: TranscriptLog;
  /** Parses a message before the data-stage fault check, when such rules exist. */
  parser: ParsePool;
  /** bcrypt comparisons for `--auth-users` (off the main thread). */
  bcrypt: BcryptPool;
  /** Parses stored messages after the ack. */
  parsing: MessageParsing;
  log: Logger;
  /** Every SMTP server of the sink (all ports), for the connection count and to drop a connection. */
  servers: readonly SMTPServer[];
}

/** Outcome of a fault check: go on (`null`), reply with this error, or the connection was dropped. */
export type FaultOutcome = null | SmtpError | 'dropped';

/** Builds the hooks (`onConnect` … `onClose`) and the transcript observer of a sink's SMTP servers. */
export function createHooks(deps: HookDeps) {
  const { config, store, faults, rejections, transcripts, parser, parsing, log, servers } = deps;

  /** Records a refusal by a built-in limit and returns the error that makes smtp-server send it. */
  const refuse = (stage: FaultStage, session: SMTPServerSession, context: FaultContext, argument: string | null, reply: ReplacementReply): SmtpError => {
    rejections.record({ stage, ruleId: null, ruleDescription: null, reply: `${reply.code} ${reply.text}`, disconnected: reply.code === 421, argument, envelope: envelopeSoFar(session, context), transcriptId: session.id });
    log.info(`${reply.code} ${reply.text} to ${session.remoteAddress} at ${stage}`);
    return smtpError(reply.code, reply.text);
  };

  /** Checks the rules of a stage and applies delay, disconnect or reply; records refusals. */
  const checkFaults = async (stage: FaultStage, session: SMTPServerSession, context: FaultContext, argument: string | null): Promise<FaultOutcome> => {
    const action = faults.evaluate(stage, context);
    if (!action) return null;
    log.info(`fault ${action.rule.id} (${action.rule.description}) fired for ${session.remoteAddress}`);
    if (action.delayMs > 0) await sleep(action.delayMs);
    if (!action.disconnect && !action.reply) return null;
    const reply = action.reply ? `${action.reply.code} ${action.reply.message}` : null;
    // A 421 closes the connection as surely as a drop does (RFC 5321 §3.8).
    rejections.record({ stage, ruleId: action.rule.id, ruleDescription: action.rule.description, reply, disconnected: action.disconnect || action.reply?.code === 421, argument, envelope: envelopeSoFar(session, context), transcriptId: session.id });
    if (action.disconnect) {
      transcripts.record(session.id, 'note', 'connection dropped by a fault rule');
      dropConnection(servers, session);
      return 'dropped';
    }
    return smtpError(action.reply!.code, action.reply!.message);
  };

  /** Runs a hook's fault check and answers its callback: error, drop (no answer), or `onPass`. */
  const guard = (check: Promise<FaultOutcome>, callback: (err?: Error | null) => void, onPass: () => void) => {
    check.then(
      (outcome) => {
        if (outcome === 'dropped') return;
        if (outcome) return callback(outcome);
        onPass();
      },
      (err: unknown) => {
        log.error(`fault check failed: ${err instanceof Error ? err.message : String(err)}`);
        callback(smtpError(451, `4.3.0 Local error: ${err instanceof Error ? err.message : String(err)}`));
      },
    );
  };

  /** `--idle-timeout`, from the last complete line (see idle-clock.ts); smtp-server's socket timeout stays as a backstop. */
  const idle = new IdleClock(config.idleTimeoutMs, (sessionId) => {
    const connection = servers.flatMap((server) => [...server.connections]).find((c) => c.session.id === sessionId);
    if (!connection) return;
    log.info(`${LIMIT_REPLIES.idleTimeout.code} ${LIMIT_REPLIES.idleTimeout.text} to ${connection.remoteAddress}`);
    connection.send(LIMIT_REPLIES.idleTimeout.code, LIMIT_REPLIES.idleTimeout.text, false); // a 421 also closes it
  });

  const observer: SessionObserver = {
    command(session, line, inAuthExchange) {
      idle.command(session.id);
      transcripts.record(session.id, 'client', inAuthExchange ? '***' : maskCommand(line));
    },
    reply(session, code, text, context) {
      idle.reply(session.id);
      // Every reply gets its RFC 3463 enhanced status code (one table: replies.ts).
      const replacement = mailsinkReply(code, text, context);
      for (const line of replyLines(replacement?.code ?? code, replacement?.text ?? text)) transcripts.record(session.id, 'server', line);
      return replacement;
    },
  };

  const connectionCount = () => servers.reduce((sum, server) => sum + server.connections.size, 0);
  const connectionsFrom = (address: string) => servers.reduce((sum, server) => sum + [...server.connections].filter((c) => c.remoteAddress === address).length, 0);

  return {
    observer,
    onAuth: createAuthHook({ config, bcrypt: deps.bcrypt, checkFaults, guard, refuse }),
    onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void) {
      idle.open(session.id);
      transcripts.open(session.id, { remoteAddress: session.remoteAddress, remotePort: session.remotePort, localPort: session.localPort, secure: Boolean(session.secure) });
      const context = contextOf(session);
      if (connectionCount() > config.maxConnections) return callback(refuse('connect', session, context, session.remoteAddress, LIMIT_REPLIES.tooManyConnections));
      if (connectionsFrom(session.remoteAddress) > config.maxConnectionsPerAddress) return callback(refuse('connect', session, context, session.remoteAddress, LIMIT_REPLIES.tooManyFromAddress));
      guard(checkFaults('connect', session, context, session.remoteAddress), callback, () => callback());
    },
    onSecure(socket: unknown, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const tls = socket as TLSSocket;
      transcripts.setSecure(session.id);
      transcripts.record(session.id, 'note', `TLS established: ${tls.getProtocol?.() ?? 'TLS'}, ${tls.getCipher?.()?.name ?? 'unknown cipher'}`);
      callback();
    },
    onClose(session: SMTPServerSession) {
      idle.close(session.id);
      transcripts.close(session.id);
    },
    onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const context = { ...contextOf(session), mailFrom: address.address };
      if (config.requireTls && !session.secure) return callback(refuse('mailFrom', session, context, address.address, LIMIT_REPLIES.tlsRequired));
      if (config.authRequired && !context.authUser) return callback(refuse('mailFrom', session, context, address.address, LIMIT_REPLIES.authRequired));
      // A declared SIZE over the limit (RFC 1870); smtp-server leaves this check to us, see compat.ts.
      if (address.args && Number(address.args['SIZE'] ?? 0) > config.maxMessageSize) return callback(refuse('mailFrom', session, context, address.address, LIMIT_REPLIES.oversized));
      guard(checkFaults('mailFrom', session, context, address.address), callback, () => callback());
    },
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const context = { ...contextOf(session), rcptTo: [address.address] };
      const accepted = session.envelope.rcptTo;
      if (accepted.length >= config.maxRecipients && !accepted.some((rcpt) => rcpt.address.toLowerCase() === address.address.toLowerCase())) {
        return callback(refuse('rcptTo', session, context, address.address, LIMIT_REPLIES.tooManyRecipients));
      }
      guard(checkFaults('rcptTo', session, context, address.address), callback, () => callback());
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      stream.on('data', (chunk: Buffer) => idle.data(session.id, chunk));
      stream.once('end', () => idle.dataEnd(session.id));
      receiveData(stream, config.maxMessageSize).then(
        async ({ raw, sizeBytes }) => {
          transcripts.record(session.id, 'note', `${sizeBytes} octets of message data (not recorded)`);
          if (raw === null) return callback(refuse('data', session, contextOf(session), null, LIMIT_REPLIES.oversized));
          const facts = faults.hasActiveRules('data') || store.factsFirst === true ? await parser.facts(raw) : null;
          const context = { ...contextOf(session), subject: facts?.subject ?? '' };
          guard(checkFaults('data', session, context, null), callback, () => {
            const stored = (message: StoredMessage) => {
              parsing.admit(message, facts ?? undefined);
              transcripts.attachMessage(session.id, message.id);
              log.info(`stored ${message.id} (${raw.length} bytes) from ${session.remoteAddress}`);
              callback(null, `2.0.0 Ok: queued as ${message.id}`);
            };
            // The 250 goes out only once the store has the message (committed, for a database engine).
            settle(() => store.add({ envelope: envelopeOf(session), raw, ...(store.factsFirst === true && facts ? { facts } : {}) }), stored, (err) => {
              log.error(`not stored, answered 451: ${err instanceof Error ? err.message : String(err)}`);
              transcripts.record(session.id, 'note', 'the store refused the message: answered 451, nothing kept');
              callback(smtpError(451, STORE_UNAVAILABLE_REPLY));
            });
          });
        },
        (err: unknown) => {
          // Almost always a client that hung up mid-DATA: nothing was stored, nothing is wrong here.
          log.info(`DATA not completed from ${session.remoteAddress}: ${err instanceof Error ? err.message : String(err)}`);
          callback(smtpError(451, '4.3.0 Local error while receiving the message'));
        },
      );
    },
  };
}

/** The `451` text when the store cannot take a message (database unreachable): the client keeps it and retries (RFC 5321 §4.2.5). */
export const STORE_UNAVAILABLE_REPLY = '4.3.0 Mail store unavailable, message not accepted: try again later';

/** Calls `ok` with a {@link Pending} result: in the same tick when it is a plain value (memory engine), else once it resolves; `fail` on a throw or rejection. */
function settle<T>(run: () => Pending<T>, ok: (value: T) => void, fail: (err: unknown) => void): void {
  let result: Pending<T>;
  try {
    result = run();
  } catch (err) {
    return fail(err);
  }
  if (result instanceof Promise) result.then(ok, fail);
  else ok(result);
}
