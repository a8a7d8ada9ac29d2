/**
 * The OpenAPI 3.1 document at `GET /api/openapi.json`: every route the express app serves under
 * `/api` is in it (and nothing else), and real responses of a live sink — successes and errors —
 * validate against the schema the document gives for their status (converted back with zod's
 * `z.fromJSONSchema`, so the check is against the published document, not the source schemas).
 * Also the reference page `/api/docs`: static, no script, no external resources.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventBus } from '../../server/core/events.js';
import { FaultEngine } from '../../server/core/faults.js';
import { RejectionLog } from '../../server/core/rejections.js';
import { MessageParsing } from '../../server/core/message-parsing.js';
import { MessageStore } from '../../server/core/store.js';
import { WaitRegistry } from '../../server/core/waiters.js';
import { createParsePool } from '../../server/core/parse-pool.js';
import { createApp } from '../../server/http/app.js';
import { openApiPath } from '../../server/http/openapi.js';
import type { OpenApiDocument } from '../../server/http/openapi.js';
import { CheckService } from '../../server/checks/service.js';
import { checkSettings } from '../../server/checks/settings.js';
import { resolveConfig } from '../../server/config.js';
import { silentLogger } from '../../server/log.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

type Json = Record<string, unknown>;
interface Layer { route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] }; rawPath?: string }

/** `METHOD /path` of every route the app serves, read from express's own router stack. */
function servedRoutes(): string[] {
  const events = new EventBus();
  const store = new MessageStore({ maxMessages: 10, maxStoreBytes: 1e6 }, events);
  const parser = createParsePool(0);
  const parsing = new MessageParsing(parser, store, events);
  const app = createApp({
    store, faults: new FaultEngine(events, 1), rejections: new RejectionLog(10), faultSeed: 1, log: silentLogger, version: '0.0.0',
    uiDir: null, ports: () => ({ smtpPort: 0, httpPort: 0 }), waiters: new WaitRegistry(store, events, parsing), maxMessageSize: 1000, parser, parsing,
    checks: new CheckService({ store, parsing, events, settings: checkSettings(resolveConfig()), log: silentLogger }),
  });
  const walk = (stack: Layer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      if (layer.route) return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${(prefix + layer.route!.path).replace(/(.)\/$/, '$1')}`);
      return layer.handle.stack ? walk(layer.handle.stack, prefix + mount) : [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
}

function documentedRoutes(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
}

/** Replaces `$ref`s by the component they name (the schemas have no cycles). */
function deref(node: unknown, components: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((n) => deref(n, components));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as Json)['$ref'];
  if (typeof ref === 'string') return deref(components[ref.replace('#/components/schemas/', '')], components);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v, components)]));
}

describe('OpenAPI document', () => {
  const sink = useSink({ maxMessageSize: '1M' });
  let doc: OpenApiDocument;
  const exercised = new Set<string>();

  /** Sends a request, then checks its status is documented for the route and the body matches its schema. */
  async function check(method: string, template: string, path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(sink().httpUrl + path, { ...init, method });
    const key = `${method} ${openApiPath(template)}`;
    exercised.add(key);
    const operation = doc.paths[openApiPath(template)]?.[method.toLowerCase()] as Json | undefined;
    const response = (operation?.['responses'] as Record<string, Json> | undefined)?.[String(res.status)];
    expect(response, `${key} → ${res.status} is not documented`).toBeDefined();
    const content = response!['content'] as Record<string, { schema: Json }> | undefined;
    if (!content) {
      expect(await res.text(), key).toBe('');
      return res;
    }
    const [type, { schema }] = Object.entries(content)[0]!;
    if (type !== '*/*') expect(res.headers.get('content-type'), key).toMatch(new RegExp(`^${type.replace(/[/+.]/g, '\\$&')}`));
    if (type === 'application/json' && schema['type'] !== 'string') {
      const body: unknown = await res.clone().json();
      const result = z.fromJSONSchema(deref(schema, doc.components.schemas) as never).safeParse(body);
      expect(result.success, `${key} → ${res.status}: ${result.error?.message}`).toBe(true);
    }
    return res;
  }

  it('is OpenAPI 3.1 with the package version', async () => {
    doc = await api<OpenApiDocument>(sink(), '/api/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'mailsink', version: '0.1.0' });
    expect(Object.keys(doc.components.schemas)).toContain('MessageDetail');
  });

  it('documents exactly the routes the app serves under /api', () => {
    // MailHog's own routes (/api/v2/…, /api/v1/messages/:id…) are documented in the README, as MailHog has no OpenAPI document;
    // Mailpit's are in the document (tag mailpit), and so are the routes both share.
    const mailhogOnly = (path: string) => /^\/api\/v2\//.test(path) || /^\/api\/v1\/messages\/:/.test(path);
    const served = servedRoutes().filter((route) => route.split(' ')[1]!.startsWith('/api') && !mailhogOnly(route.split(' ')[1]!));
    expect(served.length).toBeGreaterThan(20);
    expect([...new Set(served.map((r) => r.replace(/:(\w+)/g, '{$1}')))].sort()).toEqual(documentedRoutes(doc).sort());
  });

  it('real responses validate against the documented schemas', async () => {
    const t = transport(sink());
    const info = await t.sendMail({
      from: 'A <a@example.test>', to: 'b+tag@example.test', cc: 'c@example.test', bcc: 'hidden@example.test', subject: 'Schema', text: 'code 111222 https://x.example/',
      html: '<a href="https://x.example/">x</a><img src="cid:logo">',
      attachments: [{ filename: 'f.txt', content: 'f' }, { filename: 'logo.png', content: Buffer.from('png'), cid: 'logo' }],
    });
    t.close();
    const id = info.response.split(' ').pop()!;
    const m = `/api/messages/${id}`;
    const rfc822 = { headers: { 'content-type': 'message/rfc822' } };
    const jsonBody = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const requests: [string, string, string, RequestInit?][] = [
      ['GET', '/api/health', '/api/health'], ['GET', '/api/openapi.json', '/api/openapi.json'], ['GET', '/api/docs', '/api/docs'],
      ['GET', '/api/messages', '/api/messages?query=mailbox:b@example.test'], ['GET', '/api/messages', '/api/messages?query=is:maybe'],
      ['POST', '/api/messages', '/api/messages', { ...rfc822, body: 'From: i@example.test\r\nTo: j@example.test\r\nSubject: imp\r\n\r\nx\r\n' }],
      ['POST', '/api/messages', '/api/messages?rcptTo=k@example.test,l@example.test', { ...rfc822, body: 'Subject: no rcpt\r\n\r\nx\r\n' }],
      ['POST', '/api/messages', '/api/messages', { ...rfc822, body: 'Subject: no rcpt\r\n\r\nx\r\n' }],
      ['POST', '/api/messages', '/api/messages', { headers: { 'content-type': 'text/plain' }, body: 'x' }],
      ['POST', '/api/messages', '/api/messages', { ...rfc822, body: 'x'.repeat(2 * 1024 * 1024) }],
      ['GET', '/api/messages/wait', '/api/messages/wait?query=subject:Schema'], ['GET', '/api/messages/wait', '/api/messages/wait?query=subject:none&timeoutMs=10'],
      ['GET', '/api/messages/wait', '/api/messages/wait?after=-1'], ['GET', '/api/messages/cursor', '/api/messages/cursor'],
      ['GET', '/api/messages/:id', m], ['GET', '/api/messages/:id', '/api/messages/latest'], ['GET', '/api/messages/:id', '/api/messages/nope'],
      ['PATCH', '/api/messages/:id', m, jsonBody({ read: true })], ['PATCH', '/api/messages/:id', m, jsonBody({ read: 1 })], ['PATCH', '/api/messages/:id', '/api/messages/nope', jsonBody({ read: true })],
      ['GET', '/api/messages/:id/raw', `${m}/raw`], ['GET', '/api/messages/:id/raw', '/api/messages/nope/raw'], ['GET', '/api/messages/:id/html', `${m}/html`],
      ['GET', '/api/messages/:id/text', `${m}/text`], ['GET', '/api/messages/:id/links', `${m}/links`], ['GET', '/api/messages/:id/links', '/api/messages/nope/links'],
      ['GET', '/api/messages/:id/attachments/:partId', `${m}/attachments/2`], ['GET', '/api/messages/:id/attachments/:partId', `${m}/attachments/x`],
      ['GET', '/api/messages/:id/attachments/:partId', `${m}/attachments/9`], ['GET', '/api/mailboxes', '/api/mailboxes'],
      ['POST', '/api/faults', '/api/faults', jsonBody([{ stage: 'rcptTo', match: { rcptTo: '*@bounce.test' }, reply: { code: 550, enhancedCode: '5.1.1' }, times: 2 }])],
      ['POST', '/api/faults', '/api/faults', jsonBody({ stage: 'nope' })], ['GET', '/api/faults', '/api/faults'],
      ['GET', '/api/rejections', '/api/rejections'], ['GET', '/api/rejections', '/api/rejections?limit=0'],
      ['GET', '/api/messages/:id/checks/auth', `${m}/checks/auth`], ['GET', '/api/messages/:id/checks/auth', `${m}/checks/auth?clientIp=nope`], ['GET', '/api/messages/:id/checks/auth', '/api/messages/nope/checks/auth'],
      ['GET', '/api/messages/:id/checks/html', `${m}/checks/html`], ['GET', '/api/messages/:id/checks/html', '/api/messages/nope/checks/html'],
      ['GET', '/api/messages/:id/checks/list-unsubscribe', `${m}/checks/list-unsubscribe`], ['GET', '/api/messages/:id/checks/list-unsubscribe', '/api/messages/nope/checks/list-unsubscribe'],
      ['GET', '/api/messages/:id/checks/links', `${m}/checks/links`], ['GET', '/api/messages/:id/checks/links', `${m}/checks/links?follow=maybe`], ['GET', '/api/messages/:id/checks/links', '/api/messages/nope/checks/links'],
      ['GET', '/api/messages/:id/checks/links', `${m}/checks/links?timeoutMs=5`], ['GET', '/api/messages/:id/checks/links', `${m}/checks/links`, { headers: { origin: 'http://evil.example' } }],
      ['GET', '/api/messages/:id/checks/spam', `${m}/checks/spam`], ['GET', '/api/messages/:id/checks/spam', '/api/messages/nope/checks/spam'],
      ['GET', '/api/probe', '/api/probe'], ['POST', '/api/probe', '/api/probe', jsonBody({ target: 'smtp://127.0.0.1:25' })],
      ['POST', '/api/messages/:id/release', `${m}/release`, jsonBody({})], ['POST', '/api/messages/:id/release', `${m}/release`, jsonBody({ to: 'x' })],
      ['POST', '/api/messages/:id/release', '/api/messages/nope/release', jsonBody({})], ['GET', '/api/messages/:id/delivery', `${m}/delivery`],
      ['GET', '/api/messages/:id/delivery', '/api/messages/nope/delivery'], ['GET', '/api/relay', '/api/relay'],
    ];
    for (const [method, template, path, init] of requests) await check(method, template, path, init);
    const transcriptId = ((await (await check('GET', '/api/messages/:id/transcript', `${m}/transcript`)).json()) as { id: string }).id;
    for (const path of ['/api/messages/nope/transcript', `/api/transcripts/${transcriptId}`, '/api/transcripts/nope']) await check('GET', path.startsWith('/api/transcripts') ? '/api/transcripts/:id' : '/api/messages/:id/transcript', path);

    // Mailpit API v1 (server/http/compat): every documented route, real responses against its schemas.
    const v1 = `/api/v1/message/${id}`;
    const mailpit: [string, string, string, RequestInit?][] = [
      ['GET', '/api/v1/messages', '/api/v1/messages?start=0&limit=5'], ['GET', '/api/v1/search', '/api/v1/search?query=subject:Schema'],
      ['GET', '/api/v1/search', '/api/v1/search?query='], ['GET', '/api/v1/message/:id', v1], ['GET', '/api/v1/message/:id', '/api/v1/message/nope'],
      ['GET', '/api/v1/message/:id/html-check', `${v1}/html-check`], ['GET', '/api/v1/message/:id/html-check', '/api/v1/message/nope/html-check'],
      ['GET', '/api/v1/message/:id/html-check', '/api/v1/message/latest/html-check?query=subject:imp'],
      ['GET', '/api/v1/message/:id/headers', `${v1}/headers`], ['GET', '/api/v1/message/:id/raw', `${v1}/raw`],
      ['GET', '/api/v1/message/:id/part/:partId', `${v1}/part/2`], ['GET', '/api/v1/message/:id/part/:partId/thumb', `${v1}/part/2/thumb`],
      ['PUT', '/api/v1/messages', '/api/v1/messages', jsonBody({ IDs: [id], Read: false })], ['PUT', '/api/v1/messages', '/api/v1/messages', jsonBody({ IDs: [id], Search: 'x' })],
      ['POST', '/api/v1/send', '/api/v1/send', jsonBody({ From: { Email: 'p@example.test' }, To: [{ Email: 'q@example.test' }], Subject: 'sent', Tags: ['t1'] })],
      ['POST', '/api/v1/send', '/api/v1/send', jsonBody({ From: { Email: 'bad' } })], ['GET', '/api/v1/tags', '/api/v1/tags'],
      ['PUT', '/api/v1/tags', '/api/v1/tags', jsonBody({ IDs: [id], Tags: ['a'] })], ['PUT', '/api/v1/tags/:tag', '/api/v1/tags/a', jsonBody({ Name: 'b' })],
      ['DELETE', '/api/v1/tags/:tag', '/api/v1/tags/b'], ['GET', '/api/v1/chaos', '/api/v1/chaos'], ['PUT', '/api/v1/chaos', '/api/v1/chaos', jsonBody({ Sender: { ErrorCode: 999 } })],
      ['PUT', '/api/v1/chaos', '/api/v1/chaos', jsonBody({})], ['GET', '/api/v1/info', '/api/v1/info'], ['GET', '/api/v1/webui', '/api/v1/webui'],
      ['GET', '/api/v1/message/:id/link-check', `${v1}/link-check?follow=true`], ['GET', '/api/v1/message/:id/link-check', '/api/v1/message/nope/link-check'],
      ['GET', '/api/v1/message/:id/link-check', `${v1}/link-check`, { headers: { origin: 'http://evil.example' } }], ['GET', '/api/v1/message/:id/sa-check', `${v1}/sa-check`],
      ['POST', '/api/v1/message/:id/release', `${v1}/release`, jsonBody({ To: ['x@example.test'] })], ['POST', '/api/v1/message/:id/release', '/api/v1/message/nope/release', jsonBody({})],
      ['DELETE', '/api/v1/search', '/api/v1/search?query=subject:sent'], ['DELETE', '/api/v1/messages', '/api/v1/messages', jsonBody({ IDs: ['nope'] })],
    ];
    for (const [method, template, path, init] of mailpit) await check(method, template, path, init);

    const t2 = transport(sink());
    await t2.sendMail({ from: 'a@example.test', to: 'x@bounce.test', subject: 's', text: 't' }).catch(() => undefined);
    t2.close();
    expect(((await (await check('GET', '/api/rejections', '/api/rejections')).json()) as { total: number }).total).toBe(1);
    const ruleId = ((await (await check('GET', '/api/faults', '/api/faults')).json()) as { rules: { id: string }[] }).rules[0]!.id;
    const bulk: [string, string, string, RequestInit?][] = [
      ['PUT', '/api/faults/:id', `/api/faults/${ruleId}`, jsonBody({ stage: 'rcptTo', reply: { code: 451 } })], ['PUT', '/api/faults/:id', `/api/faults/${ruleId}`, jsonBody({ stage: 'x' })],
      ['PUT', '/api/faults/:id', '/api/faults/nope', jsonBody({ stage: 'rcptTo', reply: { code: 451 } })], ['PATCH', '/api/faults/:id', `/api/faults/${ruleId}`, jsonBody({ enabled: false })],
      ['PATCH', '/api/faults/:id', `/api/faults/${ruleId}`, jsonBody({ enabled: 'no' })], ['PATCH', '/api/faults/:id', '/api/faults/nope', jsonBody({ enabled: true })],
      ['PUT', '/api/faults/order', '/api/faults/order', jsonBody({ ids: [ruleId] })], ['PUT', '/api/faults/order', '/api/faults/order', jsonBody({ ids: ['nope'] })],
      ['PATCH', '/api/messages', '/api/messages', jsonBody({ ids: [id, 'nope'], read: true, addTags: ['bulk'] })], ['PATCH', '/api/messages', '/api/messages', jsonBody({ query: '', removeTags: ['bulk'] })],
      ['PATCH', '/api/messages', '/api/messages', jsonBody({ read: true })], ['GET', '/api/messages/export', `/api/messages/export?ids=${id}`],
      ['GET', '/api/messages/export', '/api/messages/export?ids=a&query=b'], ['GET', '/api/tags', '/api/tags'],
      ['DELETE', '/api/messages', '/api/messages', { ...jsonBody({ ids: ['nope'] }), method: 'DELETE' }],
    ];
    for (const [method, template, path, init] of bulk) await check(method, template, path, init);
    for (const [method, template, path] of [
      ['DELETE', '/api/faults/:id', `/api/faults/${ruleId}`], ['DELETE', '/api/faults/:id', '/api/faults/nope'], ['DELETE', '/api/faults', '/api/faults'],
      ['DELETE', '/api/rejections', '/api/rejections'], ['DELETE', '/api/messages/:id', m], ['DELETE', '/api/messages/:id', m],
      ['DELETE', '/api/messages', '/api/messages?query=from:i@example.test'], ['DELETE', '/api/messages', '/api/messages?query=-'], ['DELETE', '/api/messages', '/api/messages'],
    ] as const) await check(method, template, path);
    // Every documented operation was exercised at least once.
    expect([...exercised].sort()).toEqual(documentedRoutes(doc).sort());
  });

  it('serves a static reference page without script or external resources', async () => {
    const res = await fetch(`${sink().httpUrl}/api/docs`);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('script-src');
    const html = await res.text();
    expect(html).not.toMatch(/<script|\bon\w+=|https?:\/\/(?!127\.0\.0\.1)/i);
    // A path wraps only after a `/` (never at the hyphen of `list-unsubscribe`): each segment unbreakable, <wbr> after each `/`.
    const pathHtml = (path: string) => `<code class="path">${path.split('/').map((segment) => `<span class="seg">${segment}</span>`).join('/<wbr>')}</code>`;
    for (const path of Object.keys(doc.paths)) expect(html).toContain(pathHtml(path));
    expect(pathHtml('/api/messages/{id}/checks/list-unsubscribe')).toBe(
      '<code class="path"><span class="seg"></span>/<wbr><span class="seg">api</span>/<wbr><span class="seg">messages</span>/<wbr><span class="seg">{id}</span>/<wbr><span class="seg">checks</span>/<wbr><span class="seg">list-unsubscribe</span></code>',
    );
    // Every table sits in a horizontally scrollable wrapper, so a wide one never widens the page.
    expect(html.match(/<table>/g)?.length).toBeGreaterThan(Object.keys(doc.paths).length);
    expect(html.match(/<div class="tw"><table>/g)?.length).toBe(html.match(/<table>/g)?.length);
    expect(html).toMatch(/\.tw\{overflow-x:auto[;}]/);
    expect(html).toContain('<a href="/api/openapi.json">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // Each nav link holds method then path with nothing between (no underlined blank before the path).
    const nav = /<nav>(.*?)<\/nav>/s.exec(html)?.[1] ?? '';
    const navLinks = [...nav.matchAll(/<a href="#[^"]+">(.*?)<\/a>/g)].map((match) => match[1]!);
    expect(navLinks.length).toBe(Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods as object).length, 0));
    for (const link of navLinks) expect(link).toMatch(/^<span class="m (get|post|put|patch|delete)">\w+<\/span><code class="path"><span class="seg"><\/span>\/<wbr><span class="seg">api<\/span>.*<\/code>$/);
    expect(html).toContain(`<span class="m put">put</span>${pathHtml('/api/faults/order')}`);
  });
});
