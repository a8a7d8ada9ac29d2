/**
 * Guards the smtp-server workaround in server/smtp/compat.ts: if an upgrade renames the method it
 * wraps, or stops needing it, this fails and says so.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { mailsinkReply } from '../../server/smtp/replies.js';
import { dropConnection, installQuotedLocalPartSupport, leaveSizeLimitToMailFromHook, limitStartTlsHandshake, observeSessions } from '../../server/smtp/compat.js';

const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve('smtp-server/package.json'));

describe('smtp-server compatibility shim', () => {
  it('targets the smtp-server version it was written for', () => {
    const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version, 'smtp-server was upgraded: re-check server/smtp/compat.ts and this test').toBe('3.21.6');
  });

  it('upstream still splits the address command on white space before parsing the path', () => {
    const source = readFileSync(path.join(pkgDir, 'dist/esm/smtp-connection.js'), 'utf8');
    expect(source).toContain("parts = parts.join(':').trim().split(/\\s+/);");
  });

  it('upstream init() still waits a fixed 100 ms before the greeting (what installGreetingDelayOption replaces)', () => {
    const source = readFileSync(path.join(pkgDir, 'dist/esm/smtp-connection.js'), 'utf8');
    const init = /\n    init\(\) \{[\s\S]*?\n    \}\n/.exec(source)?.[0] ?? '';
    expect(init).toContain('this._setListeners(() => {');
    expect(init).toContain('this._server.options.maxClients && this._server.connections.size > this._server.options.maxClients');
    expect(init).toContain('setTimeout(() => this.connectionReady(), 100)');
  });

  it('wraps the parser once and accepts quoted local parts with parameters, for marked servers only', () => {
    const marked = { options: {} };
    installQuotedLocalPartSupport(marked);
    const parse = (SMTPConnection.prototype as unknown as { _parseAddressCommand: (this: unknown, n: string, c: string) => unknown })._parseAddressCommand;
    installQuotedLocalPartSupport(marked);
    expect((SMTPConnection.prototype as unknown as { _parseAddressCommand: unknown })._parseAddressCommand).toBe(parse); // wrapped once
    const fakeConnection = { _server: { options: marked.options, logger: { error: () => undefined } }, session: {} };
    const otherConnection = { _server: { options: {}, logger: { error: () => undefined } }, session: {} };
    expect(parse.call(otherConnection, 'rcpt to', 'RCPT TO:<"odd user"@example.org>')).toBe(false); // upstream behaviour
    expect(parse.call(otherConnection, 'rcpt to', 'RCPT TO:<plain@example.org>')).toEqual({ address: 'plain@example.org', args: false });
    expect(parse.call(fakeConnection, 'rcpt to', 'RCPT TO:<"odd user"@example.org>')).toEqual({ address: '"odd user"@example.org', args: false });
    expect(parse.call(fakeConnection, 'mail from', 'MAIL FROM:<"a b"@example.com> SIZE=100')).toEqual({ address: '"a b"@example.com', args: { SIZE: '100' } });
    expect(parse.call(fakeConnection, 'rcpt to', 'RCPT TO:<plain@example.org>')).toEqual({ address: 'plain@example.org', args: false });
    expect(parse.call(fakeConnection, 'rcpt to', 'RCPT TO:<"x"@bad domain>')).toBe(false);
  });

  it('upstream still refuses a declared SIZE over the limit inside _validateMailParams (what leaveSizeLimitToMailFromHook skips)', () => {
    const source = readFileSync(path.join(pkgDir, 'dist/esm/smtp-connection.js'), 'utf8');
    expect(source).toContain('const validationError = this._validateMailParams(parsed);');
    expect(source).toContain('this._server.options.size && Number(args.SIZE) > this._server.options.size');
  });

  it('leaves the SIZE limit to onMailFrom only for marked servers; SIZE syntax is still checked', () => {
    type Validate = (this: unknown, parsed: { address: string; args: Record<string, string | true> | false }) => { code: number } | null;
    const marked = { options: { size: 1000 } };
    leaveSizeLimitToMailFromHook(marked);
    leaveSizeLimitToMailFromHook(marked);
    const validate = (SMTPConnection.prototype as unknown as { _validateMailParams: Validate })._validateMailParams;
    const connection = (options: object) => ({ _server: { options }, session: { envelope: {} } });
    const big = { address: 'a@example.com', args: { SIZE: '5000', BODY: '8BITMIME' } };
    expect(validate.call(connection(marked.options), big)).toBeNull();
    expect(big.args).toEqual({ SIZE: '5000', BODY: '8BITMIME' }); // the hook still sees SIZE
    expect(validate.call(connection(marked.options), { address: 'a@example.com', args: { SIZE: 'lots' } })).toMatchObject({ code: 501 });
    expect(validate.call(connection(marked.options), { address: 'a@example.com', args: { SIZE: '10', BODY: 'BINARY' } })).toMatchObject({ code: 501 });
    expect(validate.call(connection({ size: 1000 }), big)).toMatchObject({ code: 552 });
  });

  it('upstream still has the single reply write site, the command dispatcher and the texts mailsink rewords', () => {
    const source = readFileSync(path.join(pkgDir, 'dist/esm/smtp-connection.js'), 'utf8');
    expect(source).toContain('    send(code, data, context) {');
    expect(source).toContain('    _onCommand(command, callback) {');
    expect(source).toContain('        if (this._upgrading) {\n            return done();');
    expect(source).toContain("return { commandName: 'AUTH', line: '/* secured */' };"); // _nextHandler marks AUTH continuation lines
    // The texts the observer in server/smtp/hooks.ts replaces with enhanced-code replies.
    expect(source).toContain("this.send(421, 'Timeout - closing connection');");
    expect(source).toContain("this.send(421, 'Error: ' + err.message);");
    expect(readFileSync(path.join(pkgDir, 'dist/esm/smtp-stream.js'), 'utf8')).toContain("return new Error('Command line too long');");
    expect(source).toContain("this.send(538, 'Error: Must issue a STARTTLS command first');");
  });

  it('observeSessions shows commands and replies of marked servers only, and may replace a reply', () => {
    type Conn = { send(code: number, data?: string | string[]): void; _onCommand(command: Buffer, callback?: () => void): void };
    const seen: string[] = [];
    const marked = { options: { hideENHANCEDSTATUSCODES: true } as Record<string | symbol, unknown> };
    observeSessions(marked, {
      command: (session, line, inAuth) => void seen.push(`${session.id} C ${line}${inAuth ? ' (auth)' : ''}`),
      reply: (session, code, text) => {
        seen.push(`${session.id} S ${code} ${String(text)}`);
        return code === 421 ? { code: 421, text: '4.4.2 replaced' } : undefined;
      },
    });
    const written: string[] = [];
    const connection = (server: object) =>
      Object.assign(Object.create(SMTPConnection.prototype) as Conn, {
        _server: { ...server, options: (server as { options: object }).options, logger: { debug: () => undefined } },
        session: { id: 's1' },
        name: 'mailsink',
        _upgrading: false,
        _nextHandler: false,
        _ready: false,
        _socket: { destroyed: false, readyState: 'open', write: (payload: string) => void written.push(payload) },
        close: () => undefined,
      });
    const conn = connection(marked);
    conn.send(250, 'OK');
    conn.send(421, 'Timeout - closing connection');
    conn._onCommand(Buffer.from('NOOP'), () => undefined); // not ready: answered 421 "You talk too soon"
    expect(written).toEqual(['250 OK\r\n', '421 4.4.2 replaced\r\n', '421 4.4.2 replaced\r\n']);
    expect(seen).toEqual(['s1 S 250 OK', 's1 S 421 Timeout - closing connection', 's1 C NOOP', 's1 S 421 mailsink You talk too soon']);
    const other = connection({ options: { hideENHANCEDSTATUSCODES: true } });
    written.length = 0;
    other.send(421, 'Timeout - closing connection');
    expect(written).toEqual(['421 Timeout - closing connection\r\n']);
    expect(seen).toHaveLength(4);
  });

  it('upstream STARTTLS upgrade still flags the handshake with _upgrading (what limitStartTlsHandshake watches)', () => {
    const source = readFileSync(path.join(pkgDir, 'dist/esm/smtp-connection.js'), 'utf8');
    const upgrade = /\n    upgrade\(callback, secureCallback\) \{[\s\S]*?\n    \}\n/.exec(source)?.[0] ?? '';
    expect(upgrade).toContain('this._upgrading = true;');
    expect(upgrade).toContain('this._upgrading = false;');
    expect(upgrade).toContain('this._armTimeout(tlsSocket);');
    const marked = { options: {} };
    limitStartTlsHandshake(marked, 50);
    limitStartTlsHandshake(marked, 50);
    expect(typeof (SMTPConnection.prototype as unknown as { upgrade: unknown }).upgrade).toBe('function');
  });

  it('upstream still caps a mailbox at 253 octets; the wrapped parser accepts the 254 RFC 5321 §4.5.3.1.3 allows', () => {
    const source = readFileSync(path.join(pkgDir, 'dist/esm/smtp-connection.js'), 'utf8');
    expect(source).toContain('else if (localPart.length + 1 + domain.length > 253) {');
    const marked = { options: {} };
    installQuotedLocalPartSupport(marked);
    const parse = (SMTPConnection.prototype as unknown as { _parseAddressCommand: (this: unknown, n: string, c: string) => unknown })._parseAddressCommand;
    const fakeConnection = { _server: { options: marked.options, logger: { error: () => undefined } }, session: {} };
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}`; // 188 octets
    const mailbox = (localLength: number, last = 'a') => `${'a'.repeat(localLength - 1)}${last}@${domain}`;
    expect(mailbox(65)).toHaveLength(254);
    expect(parse.call(fakeConnection, 'rcpt to', `RCPT TO:<${mailbox(65)}> NOTIFY=NEVER`)).toEqual({ address: mailbox(65), args: { NOTIFY: 'NEVER' } });
    expect(parse.call(fakeConnection, 'rcpt to', `RCPT TO:<${mailbox(66)}>`)).toBe(false);
    expect(parse.call(fakeConnection, 'rcpt to', `RCPT TO:<${mailbox(65, '.')}>`)).toBe(false);
    expect(parse.call(fakeConnection, 'rcpt to', `RCPT TO:<a..${mailbox(62)}>`)).toBe(false);
  });

  it('dropConnection destroys the socket of the session it finds, and throws when no server holds the session', () => {
    const destroyed: string[] = [];
    const session = { id: 'b' };
    const servers = [
      { connections: new Set<unknown>([{ session: { id: 'a' }, _socket: { destroy: () => void destroyed.push('a') } }]) },
      { connections: new Set<unknown>([{ session, _socket: { destroy: () => void destroyed.push('b') } }]) },
    ];
    dropConnection(servers, session);
    expect(destroyed).toEqual(['b']);
    expect(() => dropConnection(servers, { id: 'gone' })).toThrow(/no connection of this session/);
    expect(destroyed).toEqual(['b']);
  });

  it('upstream still labels the replies replies.ts words by context, writes the texts it rewords, and hides ENHANCEDSTATUSCODES only by option', () => {
    const source = readFileSync(path.join(pkgDir, 'dist/esm/smtp-connection.js'), 'utf8');
    for (const site of [
      "this.send(250, 'Accepted', 'MAIL_FROM_OK');",
      "this.send(250, 'Accepted', 'RCPT_TO_OK');",
      "this.send(501, 'Error: Bad sender address syntax', 'SENDER_SYNTAX_ERROR');",
      "this.send(501, 'Error: Bad recipient address syntax', 'MAILBOX_SYNTAX_ERROR');",
      "this.send(452, 'Error: too many recipients', 'TOO_MANY_RECIPIENTS');",
      "this.send(421, 'Server shutting down', commandName);",
      "this.send(221, 'Bye');",
      "this.send(501, 'Error: Bad hostname syntax', false);", // HELO/EHLO answers pass false: no enhanced code (RFC 2034 §3)
      "this.send(250, [formattedResponse].concat(features || []), false);",
      "let features = ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'DSN'].filter(feature => !this._server.options['hide' + feature]);",
    ]) {
      expect(source).toContain(site);
    }
    expect(readFileSync(path.join(pkgDir, 'dist/esm/sasl.js'), 'utf8')).toContain("this.send(501, 'Error: invalid userdata');");
  });

  it('mailsinkReply: context labels, reworded texts, defaults per code; greeting, EHLO, 3xx and coded texts untouched', () => {
    expect(mailsinkReply(250, 'Accepted', 'MAIL_FROM_OK')).toEqual({ code: 250, text: '2.1.0 Accepted' });
    expect(mailsinkReply(250, 'Accepted', 'RCPT_TO_OK')).toEqual({ code: 250, text: '2.1.5 Accepted' });
    expect(mailsinkReply(250, 'OK', 'NOOP')).toEqual({ code: 250, text: '2.0.0 OK' });
    expect(mailsinkReply(421, 'Timeout - closing connection', undefined)).toEqual({ code: 421, text: '4.4.2 Idle timeout, closing connection' });
    expect(mailsinkReply(538, 'Error: Must issue a STARTTLS command first', undefined)).toEqual({ code: 530, text: '5.7.0 Must issue a STARTTLS command first' });
    expect(mailsinkReply(550, 'x', 'MAIL_FROM_OK')).toEqual({ code: 550, text: '5.1.1 x' }); // a label of another class is ignored
    expect(mailsinkReply(599, 'odd', undefined)).toEqual({ code: 599, text: '5.0.0 odd' });
    expect(mailsinkReply(220, 'mailsink ESMTP ready', false)).toBeUndefined();
    expect(mailsinkReply(250, ['mailsink Nice to meet you', 'PIPELINING'], false)).toBeUndefined();
    expect(mailsinkReply(354, 'End data with <CR><LF>.<CR><LF>', 'DATA')).toBeUndefined();
    expect(mailsinkReply(334, undefined, undefined)).toBeUndefined();
    expect(mailsinkReply(250, '2.0.0 Ok: queued as x', 'DATA_OK')).toBeUndefined();
  });
});
