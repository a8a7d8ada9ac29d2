/**
 * Guards the smtp-server workaround in server/smtp/compat.ts: if an upgrade renames the method it
 * wraps, or stops needing it, this fails and says so.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { installQuotedLocalPartSupport, leaveSizeLimitToMailFromHook, quotedLocalPartSupportInstalled } from '../../server/smtp/compat.js';

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

  it('wraps the parser once and accepts quoted local parts with parameters', () => {
    installQuotedLocalPartSupport();
    installQuotedLocalPartSupport();
    expect(quotedLocalPartSupportInstalled()).toBe(true);
    const parse = (SMTPConnection.prototype as unknown as { _parseAddressCommand: (this: unknown, n: string, c: string) => unknown })._parseAddressCommand;
    const fakeConnection = { _server: { options: {}, logger: { error: () => undefined } }, session: {} };
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
});
