/**
 * Compatibility fixes for smtp-server 3.21.6, kept in one place and checked by
 * `test/unit/smtp-compat.test.ts`, which fails loudly if the upstream code they wrap changes.
 *
 * Greeting delay: `SMTPConnection.init()` waits a hard-coded 100 ms before the `220` greeting (an
 * early-talker check). nodemailer opens one connection per message, so a suite sending 1,000 mails
 * serially waits 100 s on it. For mailsink's servers `init()` runs the same steps minus the wait
 * (or with the wait given to `installGreetingDelayOption`).
 *
 * Quoted local parts: RFC 5321 §4.1.2 allows `RCPT TO:<"odd user"@example.org>` (a
 * `Quoted-string` local part, which may contain spaces). smtp-server splits the command on white
 * space before it looks at the address, so it answers `501 Bad recipient address syntax` before any
 * hook runs. We wrap its address parser: when the stock parser refuses a command whose path has a
 * quoted local part, we hand it the same command with a placeholder local part (so its parameter
 * parsing and validation of the domain still apply) and put the quoted local part back afterwards.
 *
 * Declared size: smtp-server answers `MAIL FROM:<…> SIZE=n` over its `size` option with its own
 * `552` before any hook runs, so the refusal never reached the rejection log. For the servers we
 * mark, its parameter check skips that one comparison and `onMailFrom` refuses instead.
 *
 * Scope: the wrappers sit on smtp-server's shared `SMTPConnection.prototype`, but each one looks for
 * a mark on the connection's server options (set by the function that installs it, for that server
 * only) and otherwise calls the original method unchanged. An application that runs its own
 * `SMTPServer` in the same process as a sink keeps upstream behaviour (checked by
 * `test/integration/smtp-compat-scope.test.ts`).
 */
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

interface ParsedAddressCommand {
  address: string;
  args: Record<string, string | true> | false;
}

type AddressParser = (this: unknown, rawName: string, rawCommand: string | Buffer) => ParsedAddressCommand | false;

interface PatchablePrototype {
  _parseAddressCommand: AddressParser;
  [PATCHED]?: true;
}

const PATCHED = Symbol.for('mailsink.quotedLocalPart');
/** Set on a server's options to let its address parser accept quoted and 254-octet paths. */
const QUOTED_IN_SERVER = Symbol.for('mailsink.quotedLocalPart.server');

/** A connection as the wrappers see it: only its server's options, to look for a mark. */
interface MarkedConnection {
  _server?: { options?: Record<symbol, unknown> };
}

/** The value of `mark` on the options of the connection's server (`undefined` for servers mailsink did not set up). */
function markOf(connection: unknown, mark: symbol): unknown {
  return (connection as MarkedConnection | undefined)?._server?.options?.[mark];
}

function markServer(server: { options: object }, mark: symbol, value: unknown): void {
  (server.options as Record<symbol, unknown>)[mark] = value;
}

/** `<"quoted local part"@domain>` followed by optional ESMTP parameters. */
const QUOTED_PATH = /^([^:]*:\s*)<("(?:[^"\\\r\n]|\\[\x20-\x7e])*")@([^<>\s"]+)>(.*)$/s;

/** `<local@domain>` with a plain local part, followed by optional ESMTP parameters. */
const FULL_LENGTH_PATH = /^([^:]*:\s*)<([^<>\s"@]+)@([^<>\s"@]+)>(.*)$/s;

/**
 * A mailbox of exactly 254 octets: RFC 5321 §4.5.3.1.3 allows a path of 256 octets with its angle
 * brackets, smtp-server stops at 253. The stock parser checks the command with the local part one
 * character shorter (so every other rule still applies; a local part may not end in a dot) and the
 * full local part is put back.
 */
function parseFullLengthPath(parse: (command: string) => ParsedAddressCommand | false, [, verb, local, domain, rest]: [string, string, string, string, string]): ParsedAddressCommand | false {
  if (local.length + 1 + domain.length !== 254 || local.length < 2 || local.endsWith('.')) return false;
  const shorter = parse(`${verb}<${local.slice(0, -1)}@${domain}>${rest}`);
  if (!shorter) return false;
  return { ...shorter, address: `${local}${shorter.address.slice(shorter.address.lastIndexOf('@'))}` };
}

/**
 * Makes the `server`'s `MAIL FROM` and `RCPT TO` accept quoted local parts, and mailboxes of the
 * full 254 octets RFC 5321 allows. Other servers keep the stock parser. The wrapper is installed
 * once per process; it changes behaviour only for commands the stock parser rejects.
 *
 * @throws Error when smtp-server no longer has the method this wraps (an upgrade changed it).
 */
export function installQuotedLocalPartSupport(server: { options: object }): void {
  const proto = SMTPConnection.prototype as unknown as PatchablePrototype;
  if (!proto[PATCHED]) {
    const original = proto._parseAddressCommand;
    if (typeof original !== 'function') {
      throw new Error('smtp-server changed: SMTPConnection.prototype._parseAddressCommand is gone; revisit server/smtp/compat.ts');
    }
    proto._parseAddressCommand = function parseAddressCommand(rawName, rawCommand) {
      const parsed = original.call(this, rawName, rawCommand);
      if (parsed || markOf(this, QUOTED_IN_SERVER) !== true) return parsed;
      return parseRefusedPath((command) => original.call(this, rawName, command), (rawCommand ?? '').toString());
    };
    proto[PATCHED] = true;
  }
  markServer(server, QUOTED_IN_SERVER, true);
}

/** A second look at a path the stock parser refused: a 254-octet mailbox or a quoted local part. */
function parseRefusedPath(parse: (command: string) => ParsedAddressCommand | false, command: string): ParsedAddressCommand | false {
  const full = FULL_LENGTH_PATH.exec(command);
  if (full) return parseFullLengthPath(parse, full as unknown as [string, string, string, string, string]);
  const match = QUOTED_PATH.exec(command);
  if (!match) return false;
  const [, verb, localPart, domain, rest] = match as unknown as [string, string, string, string, string];
  const substitute = parse(`${verb}<quoted-local-part@${domain}>${rest}`);
  if (!substitute) return false;
  const domainPart = substitute.address.slice(substitute.address.lastIndexOf('@') + 1);
  return { ...substitute, address: `${localPart}@${domainPart}` };
}

interface InitInternals {
  _server: { options: { maxClients?: number }; connections: Set<unknown> };
  name: string;
  _setListeners(ready: () => void): void;
  send(code: number, message: string, context?: unknown): void;
  connectionReady(): void;
}

const GREETING_PATCHED = Symbol.for('mailsink.greetingDelay');
/** Set on a server's options: its greeting delay in ms (0: greet at once). */
const GREETING_DELAY = Symbol.for('mailsink.greetingDelay.server');

/**
 * Makes `server` greet after `greetingDelayMs` (0: at once) instead of smtp-server's fixed 100 ms,
 * keeping its connection-limit check. Other servers keep the stock `init()` (and its early-talker
 * check: a client that talks before the `220` is refused with `421 … You talk too soon`).
 *
 * @throws Error when smtp-server no longer has the methods this relies on.
 */
export function installGreetingDelayOption(server: { options: object }, greetingDelayMs = 0): void {
  const proto = SMTPConnection.prototype as unknown as InitInternals & { init(): void; [GREETING_PATCHED]?: true };
  if (!proto[GREETING_PATCHED]) {
    const original = proto.init;
    if (typeof original !== 'function' || typeof proto._setListeners !== 'function' || typeof proto.connectionReady !== 'function') {
      throw new Error('smtp-server changed: SMTPConnection.init/_setListeners/connectionReady are gone; revisit server/smtp/compat.ts');
    }
    proto.init = function init(this: InitInternals) {
      const delayMs = markOf(this, GREETING_DELAY);
      if (typeof delayMs !== 'number') return original.call(this);
      this._setListeners(() => {
        const { maxClients } = this._server.options;
        if (maxClients && this._server.connections.size > maxClients) {
          return this.send(421, this.name + ' Too many connected clients, try again in a moment', false);
        }
        if (delayMs <= 0) return this.connectionReady();
        setTimeout(() => this.connectionReady(), delayMs).unref();
      });
    };
    proto[GREETING_PATCHED] = true;
  }
  markServer(server, GREETING_DELAY, Math.max(0, greetingDelayMs));
}

interface MailParamsValidator {
  _validateMailParams: (this: { _server: { options: object } }, parsed: ParsedAddressCommand) => unknown;
  [SIZE_PATCHED]?: true;
}

const SIZE_PATCHED = Symbol.for('mailsink.sizeLimitInHook');
/** Set on a server's options to leave the `SIZE=` limit check to its `onMailFrom` hook. */
const SIZE_IN_HOOK = Symbol.for('mailsink.sizeLimitInHook.server');

/**
 * Leaves the limit check of a declared `MAIL FROM:<…> SIZE=n` (RFC 1870) to the server's
 * `onMailFrom` hook, so the refusal goes through the application (and its rejection log) instead of
 * a `552` that smtp-server writes before any hook runs. The parameter's syntax is still checked by
 * smtp-server, and the hook still sees `address.args.SIZE`. Only servers passed here are affected;
 * their `onMailFrom` must refuse an oversized declaration itself.
 *
 * @throws Error when smtp-server no longer has the method this wraps (an upgrade changed it).
 */
export function leaveSizeLimitToMailFromHook(server: { options: object }): void {
  const proto = SMTPConnection.prototype as unknown as MailParamsValidator;
  if (!proto[SIZE_PATCHED]) {
    const original = proto._validateMailParams;
    if (typeof original !== 'function') {
      throw new Error('smtp-server changed: SMTPConnection.prototype._validateMailParams is gone; revisit server/smtp/compat.ts');
    }
    proto._validateMailParams = function validateMailParams(parsed) {
      const size = parsed && parsed.args ? parsed.args['SIZE'] : undefined;
      const inHook = (this._server.options as Record<symbol, unknown>)[SIZE_IN_HOOK] === true;
      if (!inHook || typeof size !== 'string' || !/^\d{1,20}$/.test(size)) return original.call(this, parsed);
      const { SIZE: _declared, ...args } = parsed.args as Record<string, string | true>;
      return original.call(this, { ...parsed, args });
    };
    proto[SIZE_PATCHED] = true;
  }
  (server.options as Record<symbol, unknown>)[SIZE_IN_HOOK] = true;
}

interface ConnectionInternals {
  session?: unknown;
  _socket?: { destroy(): void };
}

/**
 * Drops the TCP connection of a session without any reply (a fault rule's `disconnect`). smtp-server
 * gives hooks only the session, so the connection is found in the public `connections` set of one
 * of `servers` and its socket (internal `_socket`) destroyed.
 *
 * @throws Error when no server holds a connection of this session (the caller must answer the
 *   client instead of leaving it waiting), or smtp-server no longer keeps the socket where this
 *   expects it.
 */
export function dropConnection(servers: Iterable<{ connections: Set<unknown> }>, session: unknown): void {
  for (const server of servers) {
    for (const connection of server.connections as Set<ConnectionInternals>) {
      if (connection.session !== session) continue;
      if (!connection._socket || typeof connection._socket.destroy !== 'function') {
        throw new Error('smtp-server changed: SMTPConnection._socket is gone; revisit dropConnection in server/smtp/compat.ts');
      }
      connection._socket.destroy();
      return;
    }
  }
  throw new Error('dropConnection: no connection of this session in the sink\'s SMTP servers (smtp-server changed how it keeps connections?)');
}

/** What an observer sees of a session: its id (the smtp-server session id). */
export interface ObservedSession {
  id: string;
}

/** A reply line to send instead of smtp-server's own (written as is: smtp-server adds no enhanced code to it). */
export interface ReplacementReply {
  code: number;
  text: string;
}

/**
 * Sees every command line and reply of the sessions of one server (for transcripts), and may
 * replace a reply (for smtp-server's fixed texts that carry no enhanced status code).
 */
export interface SessionObserver {
  /** A command line as received, before it runs; `inAuthExchange` for the lines that answer an AUTH challenge. */
  command(session: ObservedSession, line: string, inAuthExchange: boolean): void;
  /**
   * A reply about to be written: one line, several (EHLO), or none (a bare `334`), with the context
   * smtp-server gave `send()` (`false` for the greeting and HELO/EHLO answers, else a label such as
   * `MAIL_FROM_OK`, a command name, or nothing). Return a replacement or nothing.
   */
  reply(session: ObservedSession, code: number, text: string | readonly string[] | undefined, context: unknown): ReplacementReply | void;
}

interface ObservableConnection {
  _server: { options: Record<symbol, unknown> };
  session: ObservedSession;
  _nextHandler: unknown;
  _upgrading: boolean;
  _socket?: { destroyed?: boolean };
  send(code: number, data?: string | readonly string[], context?: unknown): void;
  _onCommand(command: Buffer, callback?: () => void): void;
}

const OBSERVER_PATCHED = Symbol.for('mailsink.sessionObserver');
const OBSERVER = Symbol.for('mailsink.sessionObserver.server');

/**
 * Routes every command line (`_onCommand`, which smtp-server calls for each line outside DATA)
 * and reply (`send`, its single write site) of the sessions of `server` through `observer`, which
 * words each reply in full: smtp-server's own enhanced codes (`hideENHANCEDSTATUSCODES: false`)
 * are never added to these servers' replies.
 * Lines smtp-server discards without answering (plaintext sent during a STARTTLS handshake) and
 * replies it does not write (socket gone) are not shown. Other servers are not affected.
 *
 * @throws Error when smtp-server no longer has the methods this wraps.
 */
export function observeSessions(server: { options: object }, observer: SessionObserver): void {
  const proto = SMTPConnection.prototype as unknown as ObservableConnection & { [OBSERVER_PATCHED]?: true };
  if (!proto[OBSERVER_PATCHED]) {
    const send = proto.send;
    const onCommand = proto._onCommand;
    if (typeof send !== 'function' || typeof onCommand !== 'function') {
      throw new Error('smtp-server changed: SMTPConnection.send/_onCommand are gone; revisit observeSessions in server/smtp/compat.ts');
    }
    proto.send = function observedSend(this: ObservableConnection, code, data, context) {
      const watcher = this._server.options[OBSERVER] as SessionObserver | undefined;
      if (!watcher) return send.call(this, code, data, context);
      // The observer words the reply in full; smtp-server must not add its own enhanced code (context false).
      if (this._upgrading || !this._socket || this._socket.destroyed) return send.call(this, code, data, false);
      const replacement = watcher.reply(this.session, code, data, context);
      if (replacement) return send.call(this, replacement.code, replacement.text, false);
      return send.call(this, code, data, false);
    };
    proto._onCommand = function observedCommand(this: ObservableConnection, command, callback) {
      const watcher = this._server.options[OBSERVER] as SessionObserver | undefined;
      if (watcher && !this._upgrading) watcher.command(this.session, (command ?? '').toString(), Boolean(this._nextHandler));
      return onCommand.call(this, command, callback);
    };
    proto[OBSERVER_PATCHED] = true;
  }
  (server.options as Record<symbol, unknown>)[OBSERVER] = observer;
}

interface UpgradableConnection {
  _server: { options: Record<symbol, unknown> };
  _upgrading: boolean;
  _socket?: { destroyed?: boolean; destroy(): void; once(event: 'close', listener: () => void): unknown };
  upgrade(callback: () => void, secureCallback?: () => void): void;
}

const HANDSHAKE_PATCHED = Symbol.for('mailsink.startTlsHandshakeLimit');
const HANDSHAKE_LIMIT = Symbol.for('mailsink.startTlsHandshakeLimit.server');

/**
 * Bounds the TLS handshake after `220 Ready to start TLS` to `limitMs` for the sessions of
 * `server`. smtp-server waits for it as long as its idle timeout (minutes), so a client that
 * pipelined commands after STARTTLS (they are discarded, RFC 3207 §4.2) and then waits for their
 * replies would hold its connection that long; the connection is closed instead.
 *
 * @throws Error when smtp-server no longer has the method this wraps.
 */
export function limitStartTlsHandshake(server: { options: object }, limitMs: number): void {
  const proto = SMTPConnection.prototype as unknown as UpgradableConnection & { [HANDSHAKE_PATCHED]?: true };
  if (!proto[HANDSHAKE_PATCHED]) {
    const upgrade = proto.upgrade;
    if (typeof upgrade !== 'function') throw new Error('smtp-server changed: SMTPConnection.upgrade is gone; revisit limitStartTlsHandshake in server/smtp/compat.ts');
    proto.upgrade = function limitedUpgrade(this: UpgradableConnection, callback, secureCallback) {
      upgrade.call(this, callback, secureCallback);
      const limit = this._server.options[HANDSHAKE_LIMIT];
      if (typeof limit !== 'number' || !this._upgrading) return;
      const raw = this._socket;
      // Weak references and a cleared timer: a pending timer must not hold a closed connection in memory.
      const connection = new WeakRef(this);
      const rawRef = raw ? new WeakRef(raw) : null;
      const timer = setTimeout(() => {
        const socket = rawRef?.deref();
        if (connection.deref()?._upgrading && socket && !socket.destroyed) socket.destroy();
      }, limit).unref();
      raw?.once('close', () => clearTimeout(timer));
    };
    proto[HANDSHAKE_PATCHED] = true;
  }
  (server.options as Record<symbol, unknown>)[HANDSHAKE_LIMIT] = limitMs;
}
