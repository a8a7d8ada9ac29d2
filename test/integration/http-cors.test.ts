/**
 * CORS is off by default: a page from another origin gets no `Access-Control-Allow-Origin`, its
 * preflights and writes are refused (`403 origin_not_allowed`), and its WebSocket too. Origins in
 * `--cors-origin` are allowed (with credentials), `*` allows any (without). The sink's own origin
 * and clients that send no `Origin` are always let in.
 */
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, MessageList, SinkEvent } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const APP = 'http://app.example:3000';
const EVIL = 'https://evil.example';

/** Resolves with 101 once `hello` arrives, or the refusing status. */
function wsStatus(sink: Sink, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${sink.httpUrl.replace(/^http/, 'ws')}/api/events`, 'mailsink.v1', origin ? { origin } : {});
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('message', (data) => {
      if ((JSON.parse(data.toString()) as SinkEvent).type === 'hello') resolve(101);
      ws.close();
    });
    ws.on('error', (err) => (err.message.includes('Unexpected server response') ? undefined : reject(err)));
  });
}

const preflight = (sink: Sink, origin: string, method = 'DELETE') =>
  fetch(`${sink.httpUrl}/api/messages`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' } });

async function sendOne(sink: Sink): Promise<void> {
  const t = transport(sink);
  await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 'cors', text: 'x' });
  t.close();
}

describe('CORS off by default', () => {
  const sink = useSink();

  it('a foreign origin gets no CORS headers on reads, 403 on preflights and writes, and nothing changes', async () => {
    await sendOne(sink());
    const read = await fetch(`${sink().httpUrl}/api/messages`, { headers: { origin: EVIL } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await preflight(sink(), EVIL);
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const write = await fetch(`${sink().httpUrl}/api/messages`, { method: 'DELETE', headers: { origin: EVIL } });
    expect(write.status).toBe(403);
    expect((await write.json()) as ApiErrorBody).toEqual({ error: { code: 'origin_not_allowed', message: `origin ${EVIL} may not call this API (allow it with --cors-origin)` } });
    const faults = await fetch(`${sink().httpUrl}/api/faults`, { method: 'POST', headers: { origin: 'null', 'content-type': 'application/json' }, body: JSON.stringify({ stage: 'connect', reply: { code: 421 } }) });
    expect(faults.status).toBe(403);
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(1);
    expect(await api<{ rules: unknown[] }>(sink(), '/api/faults')).toMatchObject({ rules: [] });
  });

  it('the sink\'s own origin and clients without Origin may write', async () => {
    const own = new URL(sink().httpUrl).origin;
    expect((await fetch(`${sink().httpUrl}/api/messages/latest`, { method: 'PATCH', headers: { origin: own, 'content-type': 'application/json' }, body: '{"read":true}' })).status).toBe(200);
    expect((await fetch(`${sink().httpUrl}/api/messages`, { method: 'DELETE' })).status).toBe(204);
  });

  it('the WebSocket admits its own origin and no-Origin clients, not a foreign origin', async () => {
    expect(await wsStatus(sink())).toBe(101);
    expect(await wsStatus(sink(), new URL(sink().httpUrl).origin)).toBe(101);
    expect(await wsStatus(sink(), EVIL)).toBe(403);
    expect(await wsStatus(sink(), APP)).toBe(403);
  });
});

describe('--cors-origin', () => {
  const sink = useSink({ corsOrigins: [APP] });

  it('allows the listed origin, with credentials; preflights get the methods and headers', async () => {
    const read = await fetch(`${sink().httpUrl}/api/messages`, { headers: { origin: APP } });
    expect(read.headers.get('access-control-allow-origin')).toBe(APP);
    expect(read.headers.get('access-control-allow-credentials')).toBe('true');
    expect(read.headers.get('vary')).toContain('Origin');
    const pre = await preflight(sink(), APP, 'PATCH');
    expect(pre.status).toBe(204);
    expect(Object.fromEntries(['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers'].map((h) => [h, pre.headers.get(h)]))).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, HEAD, POST, PATCH, DELETE',
      'access-control-allow-headers': 'Content-Type, Authorization',
    });
    expect((await fetch(`${sink().httpUrl}/api/messages`, { method: 'DELETE', headers: { origin: APP } })).status).toBe(204);
    expect(await wsStatus(sink(), APP)).toBe(101);
  });

  it('still refuses other origins', async () => {
    expect((await preflight(sink(), EVIL)).status).toBe(403);
    expect((await fetch(`${sink().httpUrl}/api/messages`, { headers: { origin: EVIL } })).headers.get('access-control-allow-origin')).toBeNull();
    expect(await wsStatus(sink(), EVIL)).toBe(403);
  });
});

describe('--cors-origin *', () => {
  const sink = useSink({ corsOrigins: ['*'] });

  it('allows any origin, without credentials', async () => {
    const read = await fetch(`${sink().httpUrl}/api/messages`, { headers: { origin: EVIL } });
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    expect(read.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight(sink(), EVIL)).status).toBe(204);
    expect(await wsStatus(sink(), EVIL)).toBe(101);
  });
});
