/**
 * The link check (`--enable-link-check`) against loopback HTTP servers this file starts on port 0:
 * statuses, a 301→302→200 chain with each hop, a loop, a server that never answers (small
 * `timeoutMs`), a refused connection, HEAD refused (405) then GET, images, `mailto:` skipped; 409
 * when off; 403 for a request a web page of another site sent; Mailpit's `link-check` through the
 * unchanged `mailpit-api` client.
 */
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MailpitClient } from 'mailpit-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Health } from '../../server/contract.js';
import { linksCheckSchema } from '../../server/http/checks-schemas/links.js';
import { api, useSink } from '../helpers/sink.js';
import type { Sink } from '../../server/sink.js';
import { transport } from '../helpers/smtp.js';

/** Requests the site saw: method, path and headers. */
const seen: { method: string; path: string; headers: IncomingHttpHeaders }[] = [];
let site: Server;
let base = '';
let refused = '';

/** `/busy/*` requests are held until 5 are open at once, then all answered: more would show in `mostOpen`, fewer would time out. */
const held: ServerResponse[] = [];
let open = 0;
let mostOpen = 0;
function busy(res: ServerResponse): void {
  open++;
  mostOpen = Math.max(mostOpen, open);
  res.on('finish', () => open--);
  held.push(res);
  if (held.length === 5) for (const waiting of held.splice(0)) waiting.writeHead(200).end();
}

beforeAll(async () => {
  site = createServer((req, res) => {
    seen.push({ method: req.method!, path: req.url!, headers: req.headers });
    const redirect = (status: number, to: string) => void res.writeHead(status, { location: to }).end();
    if (req.url === '/hang') return; // never answers
    if (req.url === '/r1') return redirect(301, '/r2');
    if (req.url === '/r2') return redirect(302, `${base}/final`);
    if (req.url === '/loop') return redirect(302, '/loop');
    if (req.url === '/no-head' && req.method === 'HEAD') return void res.writeHead(405).end();
    if (req.url === '/missing') return void res.writeHead(404).end();
    if (req.url!.startsWith('/busy/')) return busy(res);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(req.method === 'GET' ? 'x'.repeat(1_000_000) : undefined);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  site.closeAllConnections();
  await new Promise((resolve) => site.close(resolve));
});

async function send(sink: Sink, html: string, text: string): Promise<string> {
  const t = transport(sink);
  try {
    return String((await t.sendMail({ from: 'app@example.com', to: 'links@example.test', subject: 'links', html, text })).response).split(' ').pop()!;
  } finally {
    t.close();
  }
}

/** GET with raw headers (node:http: fetch would not send Sec-Fetch-Site as given). */
function getWith(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject).end();
  });
}

const link = (url: string, fields: Record<string, unknown>) => ({ url, kind: 'link', redirects: [], finalUrl: url, error: null, durationMs: expect.any(Number), ...fields });

describe('link check enabled', () => {
  const sink = useSink({ enableLinkCheck: true, corsOrigins: ['http://app.example:3000'] });

  it('checks every http(s) link and image once, following redirects hop by hop', async () => {
    const html = [
      `<a href="${base}/ok">ok</a> <a href="mailto:help@example.test">mail</a> <a href="${base}/missing">gone</a>`,
      `<a href="${base}/r1">moved</a> <a href="${base}/hang">slow</a> <a href="${base}/no-head">get only</a>`,
      `<a href="${refused}">down</a> <a href="${base}/loop">loop</a> <a href="${base}/ok">ok again</a>`,
      `<img src="${base}/logo.png"><img src="cid:inline@x"><table background="${base}/bg.png"><tr><td>x</td></tr></table>`,
    ].join('\n');
    const id = await send(sink(), html, `Also ${base}/ok and ${base}/text-only.`);
    const { version, checks } = await api<Health>(sink(), '/api/health');
    expect(checks).toEqual({ links: true, spam: false }); // the inbox offers its "Check links" button
    seen.length = 0;
    const body = await api(sink(), `/api/messages/${id}/checks/links?timeoutMs=300`);
    expect(linksCheckSchema.parse(body)).toEqual(body);
    expect(body).toEqual({
      checked: 10, errors: 4, skipped: 0,
      links: [
        link(`${base}/ok`, { status: 200, statusText: 'OK', ok: true }),
        link(`${base}/missing`, { status: 404, statusText: 'Not Found', ok: false }),
        link(`${base}/r1`, { status: 200, statusText: 'OK', ok: true, redirects: [{ url: `${base}/r1`, status: 301 }, { url: `${base}/r2`, status: 302 }], finalUrl: `${base}/final` }),
        link(`${base}/hang`, { status: null, statusText: 'no answer within 300 ms', ok: false, error: 'timeout' }),
        link(`${base}/no-head`, { status: 200, statusText: 'OK', ok: true }),
        link(refused, { status: null, statusText: 'connection refused', ok: false, error: 'ECONNREFUSED' }),
        link(`${base}/loop`, { status: 302, statusText: `redirect loop back to ${base}/loop`, ok: false, redirects: [{ url: `${base}/loop`, status: 302 }], error: 'redirect-loop' }),
        { ...link(`${base}/logo.png`, { status: 200, statusText: 'OK', ok: true }), kind: 'image' },
        { ...link(`${base}/bg.png`, { status: 200, statusText: 'OK', ok: true }), kind: 'image' },
        link(`${base}/text-only`, { status: 200, statusText: 'OK', ok: true }),
      ],
    });
    expect(seen.filter((r) => r.path === '/no-head').map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(seen.filter((r) => r.path === '/ok').map((r) => r.method)).toEqual(['HEAD']);
    expect(new Set(seen.map((r) => r.headers['user-agent']))).toEqual(new Set([`mailsink-link-check/${version}`]));
    expect(seen.filter((r) => r.headers.cookie !== undefined || r.headers.authorization !== undefined)).toEqual([]);
  });

  it("fetches 5 URLs at once, never more", async () => {
    const urls = Array.from({ length: 10 }, (_, i) => `${base}/busy/${i}`);
    const id = await send(sink(), urls.map((url) => `<a href="${url}">${url}</a>`).join(' '), '');
    const body = await api<{ links: { status: number }[] }>(sink(), `/api/messages/${id}/checks/links?timeoutMs=30000`);
    expect(body.links.map((l) => l.status)).toEqual(urls.map(() => 200));
    expect(mostOpen).toBe(5);
  });

  it('follow=false reports the redirect itself; a bad timeoutMs is a 400 naming it', async () => {
    const id = await send(sink(), `<a href="${base}/r1">moved</a>`, '');
    expect(await api(sink(), `/api/messages/${id}/checks/links?follow=false`)).toEqual({
      checked: 1, errors: 0, skipped: 0, links: [link(`${base}/r1`, { status: 301, statusText: 'Moved Permanently', ok: true })],
    });
    const res = await fetch(`${sink().httpUrl}/api/messages/${id}/checks/links?timeoutMs=5`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('timeoutMs');
  });

  it('refuses a request a web page of another site sent, before fetching anything', async () => {
    const id = await send(sink(), `<a href="${base}/ok">ok</a>`, '');
    const url = `${sink().httpUrl}/api/messages/${id}/checks/links`;
    seen.length = 0;
    const noCors = await getWith(url, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' });
    expect(noCors.status).toBe(403);
    expect(JSON.parse(noCors.body)).toEqual({ error: { code: 'origin_not_allowed', message: 'a cross-site request from a web page may not make the sink fetch URLs' } });
    const foreign = await getWith(url, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect([foreign.status, JSON.parse(foreign.body).error.code]).toEqual([403, 'origin_not_allowed']);
    const mailpitPath = `${sink().httpUrl}/api/v1/message/${id}/link-check`;
    expect(await getWith(mailpitPath, { 'sec-fetch-site': 'same-site' })).toEqual({ status: 403, body: 'a same-site request from a web page may not make the sink fetch URLs' });
    expect(seen).toEqual([]);
    expect((await getWith(url, { origin: 'http://app.example:3000', 'sec-fetch-site': 'cross-site' })).status).toBe(200);
    expect((await getWith(url, { 'sec-fetch-site': 'none' })).status).toBe(200);
  });

  it("answers Mailpit's link-check through the mailpit-api client", async () => {
    const id = await send(sink(), `<a href="${base}/r1">moved</a> <a href="${base}/missing">gone</a> <a href="${refused}">down</a> <img src="${base}/logo.png">`, '');
    const mailpit = new MailpitClient(sink().httpUrl);
    expect(await mailpit.linkCheck(id)).toEqual({
      Errors: 2,
      Links: [
        { URL: `${base}/r1`, StatusCode: 301, Status: 'Moved Permanently' },
        { URL: `${base}/missing`, StatusCode: 404, Status: 'Not Found' },
        { URL: refused, StatusCode: 0, Status: 'connection refused' },
        { URL: `${base}/logo.png`, StatusCode: 200, Status: 'OK' },
      ],
    });
    expect((await mailpit.linkCheck('latest', true)).Links[0]).toEqual({ URL: `${base}/r1`, StatusCode: 200, Status: 'OK' });
    await expect(mailpit.linkCheck('nope')).rejects.toThrow(/404 Not Found at GET .*: 404 page not found$/);
  });
});

describe('link check off (the default)', () => {
  const sink = useSink();

  it('answers 409 naming --enable-link-check, and Mailpit 400 in plain text', async () => {
    const id = await send(sink(), `<a href="${base}/ok">ok</a>`, '');
    seen.length = 0;
    const res = await fetch(`${sink().httpUrl}/api/messages/${id}/checks/links`);
    const message = 'the link check is off: start mailsink with --enable-link-check (MAILSINK_ENABLE_LINK_CHECK=true) to let it fetch the URLs a message names';
    expect([res.status, await res.json()]).toEqual([409, { error: { code: 'check_unavailable', message } }]);
    await expect(new MailpitClient(sink().httpUrl).linkCheck(id)).rejects.toThrow(`400 Bad Request at GET ${sink().httpUrl}/api/v1/message/${id}/link-check?follow=false: ${message}`);
    expect(seen).toEqual([]);
  });
});
