/**
 * Compatibility fixes for smtp-server 3.21.6, kept in one place and checked by
 * `test/unit/smtp-compat.test.ts`, which fails loudly if the upstream code they wrap changes.
 *
 * Greeting delay: `SMTPConnection.init()` waits a hard-coded 100 ms before the `220` greeting (an
 * early-talker check). nodemailer opens one connection per message, so a suite sending 1,000 mails
 * serially waits 100 s on it. We replace `init()` with the same steps minus the wait (or with the
 * wait given as the server option `greetingDelayMs`).
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

/** `<"quoted local part"@domain>` followed by optional ESMTP parameters. */
const QUOTED_PATH = /^([^:]*:\s*)<("(?:[^"\\\r\n]|\\[\x20-\x7e])*")@([^<>\s"]+)>(.*)$/s;

/**
 * Makes smtp-server accept quoted local parts in `MAIL FROM` and `RCPT TO`. Idempotent: a second
 * call does nothing. The patch changes behaviour only for commands the stock parser rejects.
 *
 * @throws Error when smtp-server no longer has the method this wraps (an upgrade changed it).
 */
export function installQuotedLocalPartSupport(): void {
  const proto = SMTPConnection.prototype as unknown as PatchablePrototype;
  if (proto[PATCHED]) return;
  const original = proto._parseAddressCommand;
  if (typeof original !== 'function') {
    throw new Error('smtp-server changed: SMTPConnection.prototype._parseAddressCommand is gone; revisit server/smtp/compat.ts');
  }
  proto._parseAddressCommand = function parseAddressCommand(rawName, rawCommand) {
    const parsed = original.call(this, rawName, rawCommand);
    if (parsed) return parsed;
    const match = QUOTED_PATH.exec((rawCommand ?? '').toString());
    if (!match) return false;
    const [, verb, localPart, domain, rest] = match as unknown as [string, string, string, string, string];
    const substitute = original.call(this, rawName, `${verb}<quoted-local-part@${domain}>${rest}`);
    if (!substitute) return false;
    const domainPart = substitute.address.slice(substitute.address.lastIndexOf('@') + 1);
    return { ...substitute, address: `${localPart}@${domainPart}` };
  };
  proto[PATCHED] = true;
}

interface InitInternals {
  _server: { options: { maxClients?: number; greetingDelayMs?: number }; connections: Set<unknown> };
  name: string;
  _setListeners(ready: () => void): void;
  send(code: number, message: string, context?: unknown): void;
  connectionReady(): void;
}

const GREETING_PATCHED = Symbol.for('mailsink.greetingDelay');

/**
 * Makes smtp-server greet at once (or after the server option `greetingDelayMs`) instead of after a
 * fixed 100 ms. Keeps its connection-limit check. Idempotent.
 *
 * @throws Error when smtp-server no longer has the methods this relies on.
 */
export function installGreetingDelayOption(): void {
  const proto = SMTPConnection.prototype as unknown as InitInternals & { init(): void; [GREETING_PATCHED]?: true };
  if (proto[GREETING_PATCHED]) return;
  if (typeof proto._setListeners !== 'function' || typeof proto.connectionReady !== 'function') {
    throw new Error('smtp-server changed: SMTPConnection._setListeners/connectionReady are gone; revisit server/smtp/compat.ts');
  }
  proto.init = function init(this: InitInternals) {
    this._setListeners(() => {
      const { maxClients, greetingDelayMs = 0 } = this._server.options;
      if (maxClients && this._server.connections.size > maxClients) {
        return this.send(421, this.name + ' Too many connected clients, try again in a moment', false);
      }
      if (greetingDelayMs <= 0) return this.connectionReady();
      setTimeout(() => this.connectionReady(), greetingDelayMs).unref();
    });
  };
  proto[GREETING_PATCHED] = true;
}

/** Whether {@link installQuotedLocalPartSupport} has run in this process. */
export function quotedLocalPartSupportInstalled(): boolean {
  return (SMTPConnection.prototype as unknown as PatchablePrototype)[PATCHED] === true;
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
 * gives hooks only the session, so the connection is found in the server's public `connections`
 * set and its socket (internal `_socket`) destroyed.
 *
 * @throws Error when smtp-server no longer keeps the socket where this expects it.
 */
export function dropConnection(server: { connections: Set<unknown> }, session: unknown): void {
  for (const connection of server.connections as Set<ConnectionInternals>) {
    if (connection.session !== session) continue;
    if (!connection._socket || typeof connection._socket.destroy !== 'function') {
      throw new Error('smtp-server changed: SMTPConnection._socket is gone; revisit dropConnection in server/smtp/compat.ts');
    }
    connection._socket.destroy();
    return;
  }
}
