import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, Health, MessageDetail, MessageList } from '../../server/contract.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

describe('REST API', () => {
  const sink = useSink();
  const ids: string[] = [];

  async function errorOf(path: string, init?: RequestInit): Promise<{ status: number; body: ApiErrorBody; type: string | null }> {
    const res = await fetch(sink().httpUrl + path, init);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as ApiErrorBody };
  }

  it('health reports the real ports and the message count', async () => {
    const t = transport(sink(), { pool: true });
    for (const n of [1, 2, 3, 4, 5]) {
      const info = await t.sendMail({ from: `s${n}@example.com`, to: 'r@example.org', subject: `Message ${n}`, text: `body ${n}` });
      ids.push(info.response.split(' ').pop()!);
    }
    t.close();
    const health = await api<Health>(sink(), '/api/health');
    expect(health).toEqual({ status: 'ok', version: '0.1.0', smtpPort: sink().smtpPort, httpPort: sink().httpPort, messages: 5, smtpPorts: [sink().smtpPort], smtpsPort: null, checks: { links: false, spam: false } });
  });

  it('lists summaries newest first with limit and offset', async () => {
    const page = await api<MessageList>(sink(), '/api/messages?limit=2&offset=1');
    expect(page.total).toBe(5);
    expect(page.count).toBe(2);
    expect(page.messages.map((m) => m.subject)).toEqual(['Message 4', 'Message 3']);
    expect(page.messages.map((m) => m.seq)).toEqual([4, 3]);
    expect(page.messages[0]).not.toHaveProperty('text');
    const all = await api<MessageList>(sink(), '/api/messages');
    expect(all.messages.map((m) => m.id)).toEqual([...ids].reverse());
  });

  it('filters the list with a query', async () => {
    const found = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent('subject:"message 2"')}`);
    expect(found.messages.map((m) => m.id)).toEqual([ids[1]]);
    const byFrom = await api<MessageList>(sink(), '/api/messages?query=from:s5@example.com');
    expect(byFrom.messages.map((m) => m.id)).toEqual([ids[4]]);
    const words = await api<MessageList>(sink(), '/api/messages?query=body%203');
    expect(words.messages.map((m) => m.id)).toEqual([ids[2]]);
  });

  it('GET by id and latest never change state; PATCH marks read', async () => {
    const latest = await api<MessageDetail>(sink(), '/api/messages/latest');
    expect(latest.id).toBe(ids[4]);
    await api(sink(), `/api/messages/${ids[4]}`);
    await fetchBytes(sink(), `/api/messages/${ids[4]}/raw`);
    await fetchBytes(sink(), `/api/messages/${ids[4]}/text`);
    expect((await api<MessageDetail>(sink(), `/api/messages/${ids[4]}`)).read).toBe(false);
    const patched = await api<{ id: string; read: boolean }>(sink(), `/api/messages/${ids[4]}`, json('PATCH', { read: true }));
    expect(patched).toMatchObject({ id: ids[4], read: true });
    expect((await api<MessageDetail>(sink(), `/api/messages/${ids[4]}`)).read).toBe(true);
  });

  it('serves the raw source as message/rfc822, as a download on request', async () => {
    const raw = await fetchBytes(sink(), `/api/messages/${ids[0]}/raw?download=1`);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(raw.headers.get('content-disposition')).toBe(`attachment; filename=${ids[0]}.eml`);
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
    expect(raw.body.toString()).toContain('Subject: Message 1\r\n');
  });

  it('unknown id → 404 JSON error naming the id', async () => {
    const res = await errorOf('/api/messages/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no message with id "does-not-exist"', field: 'id' } });
    expect((await errorOf('/api/messages/does-not-exist/raw')).status).toBe(404);
    expect((await errorOf(`/api/messages/${ids[0]}/attachments/9`)).body.error).toMatchObject({ code: 'not_found', field: 'partId' });
    expect((await errorOf(`/api/messages/${ids[0]}/html`)).body.error).toMatchObject({ code: 'no_html' });
    expect((await errorOf('/api/nope?x=1')).body.error).toEqual({ code: 'not_found', message: 'no route for GET /api/nope' });
  });

  it('bad input → 400 naming the field', async () => {
    for (const [path, field] of [
      ['/api/messages?limit=abc', 'limit'],
      ['/api/messages?limit=0', 'limit'],
      ['/api/messages?limit=1001', 'limit'],
      ['/api/messages?offset=-1', 'offset'],
      ['/api/messages?query=is:maybe', 'query'],
      [`/api/messages/${ids[0]}/attachments/..%2Fetc`, 'partId'],
    ] as const) {
      const res = await errorOf(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.field, path).toBe(field);
      expect(res.body.error.message, path).toContain(field === 'query' ? 'is:maybe' : field);
    }
    const badBody = await errorOf(`/api/messages/${ids[0]}`, json('PATCH', { read: 'yes' }));
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.field).toBe('read');
    const notJson = await errorOf(`/api/messages/${ids[0]}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
  });

  it('deletes one, then all', async () => {
    const del = await fetch(`${sink().httpUrl}/api/messages/${ids[0]}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await errorOf(`/api/messages/${ids[0]}`)).status).toBe(404);
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(4);
    expect((await fetch(`${sink().httpUrl}/api/messages`, { method: 'DELETE' })).status).toBe(204);
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(0);
    expect((await errorOf('/api/messages/latest')).body.error).toEqual({ code: 'not_found', message: 'no messages stored', field: 'id' });
  });
});

function json(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
