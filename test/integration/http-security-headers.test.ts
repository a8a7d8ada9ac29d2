/**
 * Every HTTP response carries the security headers — JSON, errors (400, 401, 403, 404, 413), bodies,
 * attachments, the docs page, the inbox page and its static files: a CSP with `frame-ancestors` and
 * no inline script, `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`. Message
 * bodies and raw sources are served with types and CSPs that cannot run script in the inbox origin.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { FaultEngine } from '../../server/core/faults.js';
import { createParsePool } from '../../server/core/parse-pool.js';
import { RejectionLog } from '../../server/core/rejections.js';
import { MessageParsing } from '../../server/core/message-parsing.js';
import { MessageStore } from '../../server/core/store.js';
import { WaitRegistry } from '../../server/core/waiters.js';
import { createApp } from '../../server/http/app.js';
import { CheckService } from '../../server/checks/service.js';
import { checkSettings } from '../../server/checks/settings.js';
import { resolveConfig } from '../../server/config.js';
import { silentLogger } from '../../server/log.js';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

/** Checks the headers every response must carry; returns the CSP. */
function expectSecurityHeaders(res: Response, what: string): string {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, `${what}: CSP`).toMatch(/frame-ancestors '(self|none)'/);
  expect(csp, `${what}: CSP`).toMatch(/default-src '(none|self)'/);
  expect(csp, `${what}: no inline script`).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(res.headers.get('x-content-type-options'), `${what}: nosniff`).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), `${what}: referrer`).toBe('no-referrer');
  return csp;
}

describe('security headers on every response', () => {
  const sink = useSink({ maxMessageSize: '64K' });
  let id = '';

  beforeAll(async () => {
    const t = transport(sink());
    const info = await t.sendMail({
      from: 'a@example.com',
      to: 'b@example.org',
      subject: 'headers',
      text: 'text body',
      html: '<p>html <script>alert(1)</script></p>',
      attachments: [{ filename: 'page.html', content: '<script>alert(2)</script>', contentType: 'text/html' }],
    });
    t.close();
    id = info.response.split(' ').pop()!;
  });

  it('API responses, errors, bodies, attachments and the docs page', async () => {
    const m = `/api/messages/${id}`;
    const requests: [string, string, RequestInit?, number?][] = [
      ['health', '/api/health'],
      ['list', '/api/messages'],
      ['detail', m],
      ['links', `${m}/links`],
      ['transcript', `${m}/transcript`],
      ['text', `${m}/text`],
      ['unknown message 404', '/api/messages/nope', undefined, 404],
      ['unknown route 404', '/api/nope', undefined, 404],
      ['bad query 400', '/api/messages?query=is:maybe', undefined, 400],
      ['invalid JSON 400', m, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{' }, 400],
      ['JSON too large 413', m, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ read: true, pad: 'x'.repeat(200_000) }) }, 413],
      ['import too large 413', '/api/messages', { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: 'x'.repeat(100_000) }, 413],
      ['foreign write 403', '/api/messages', { method: 'DELETE', headers: { origin: 'https://evil.example' } }, 403],
      ['openapi', '/api/openapi.json'],
      ['docs page', '/api/docs'],
    ];
    for (const [what, path, init, status = 200] of requests) {
      const res = await fetch(sink().httpUrl + path, init);
      expect(res.status, what).toBe(status);
      expectSecurityHeaders(res, what);
    }
  });

  it('raw source, HTML body and attachments cannot be sniffed or run as script', async () => {
    const raw = await fetch(`${sink().httpUrl}/api/messages/${id}/raw`);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(expectSecurityHeaders(raw, 'raw')).toContain('sandbox');
    const html = await fetch(`${sink().httpUrl}/api/messages/${id}/html`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const htmlCsp = expectSecurityHeaders(html, 'html');
    expect(htmlCsp).toMatch(/(^|; )sandbox( |;|$)/);
    expect(htmlCsp).not.toContain('script-src');
    expect(htmlCsp).not.toContain('allow-scripts');
    // No <base> from the message, no remote images, styles or fonts (tracking pixels) unless ?remote=1.
    expect(htmlCsp).toContain("base-uri 'none'");
    expect(htmlCsp).not.toMatch(/https?:/);
    const remoteCsp = expectSecurityHeaders(await fetch(`${sink().httpUrl}/api/messages/${id}/html?remote=1`), 'html remote');
    expect(remoteCsp).toContain("img-src 'self' data: blob: http: https:");
    expect(remoteCsp).toContain("base-uri 'none'");
    expect(remoteCsp).toMatch(/(^|; )sandbox( |;|$)/);
    expect(remoteCsp).not.toContain('script-src');
    const bad = await fetch(`${sink().httpUrl}/api/messages/${id}/html?remote=yes`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request', field: 'remote' } });
    const detail = (await (await fetch(`${sink().httpUrl}/api/messages/${id}`)).json()) as MessageDetail;
    const attachment = await fetch(sink().httpUrl + detail.attachments[0]!.url);
    expect(attachment.headers.get('content-disposition')).toBe('attachment; filename=page.html');
    const attachmentCsp = expectSecurityHeaders(attachment, 'attachment');
    expect(attachmentCsp).toMatch(/(^|; )sandbox$/);
  });
});

describe('security headers with basic auth', () => {
  const write = useTmpFiles();
  const sink = useSink({ uiAuthFile: write('users', 'u:p\n') });

  it('the 401 and the open health check carry them', async () => {
    expectSecurityHeaders(await fetch(`${sink().httpUrl}/api/messages`), '401');
    expectSecurityHeaders(await fetch(`${sink().httpUrl}/`), '401 page');
    expectSecurityHeaders(await fetch(`${sink().httpUrl}/api/health`), 'health');
  });
});

describe('security headers on the inbox page and its static files', () => {
  let server: Server;
  let base = '';
  const parser = createParsePool(0);
  const uiDir = mkdtempSync(path.join(tmpdir(), 'mailsink-ui-'));

  beforeAll(async () => {
    mkdirSync(path.join(uiDir, 'assets'));
    writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    writeFileSync(path.join(uiDir, 'assets', 'app.js'), 'console.log(1)');
    const events = new EventBus();
    const store = new MessageStore({ maxMessages: 10, maxStoreBytes: 1e6 }, events);
    const parsing = new MessageParsing(parser, store, events);
    const app = createApp({
      store, faults: new FaultEngine(events, 1), rejections: new RejectionLog(10), faultSeed: 1, log: silentLogger, version: '0.0.0',
      uiDir, ports: () => ({ smtpPort: 0, httpPort: 0 }), waiters: new WaitRegistry(store, events, parsing), maxMessageSize: 1000, parser, parsing,
      checks: new CheckService({ store, parsing, events, settings: checkSettings(resolveConfig()), log: silentLogger }),
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await parser.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('index, assets, the single-page fallback and the API next to them', async () => {
    for (const [what, path, type] of [
      ['page', '/', 'text/html'],
      ['index.html', '/index.html', 'text/html'],
      ['script asset', '/assets/app.js', 'text/javascript'],
      ['page route', '/messages/some-id', 'text/html'],
      ['api', '/api/health', 'application/json'],
    ] as const) {
      const res = await fetch(base + path);
      expect(res.status, what).toBe(200);
      expect(res.headers.get('content-type'), what).toContain(type);
      const csp = expectSecurityHeaders(res, what);
      if (type === 'text/html') expect(csp, what).toMatch(/script-src 'self'(;|$)/);
    }
  });
});
