/**
 * Bulk changes on every store engine (memory, SQLite, PostgreSQL): `PATCH /api/messages` (read flag,
 * tags added and removed, by ids or by query, `updated` counting only messages that changed,
 * `missing` ids), `DELETE /api/messages` with a JSON body of ids, `GET /api/tags` with counts, the
 * `message.updated` events they publish, and 400s naming the field.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, MessageSummary, SinkEvent } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { connectEvents } from '../helpers/events.js';
import { startPostgres } from '../helpers/postgres.js';
import type { TestPostgres } from '../helpers/postgres.js';
import { api, startTestSink } from '../helpers/sink.js';

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function importMessage(sink: Sink, subject: string, xTags?: string): Promise<string> {
  const raw = `From: app@example.com\r\nTo: user@example.org\r\nSubject: ${subject}\r\n${xTags ? `X-Tags: ${xTags}\r\n` : ''}\r\nbody\r\n`;
  const summary = await api<MessageSummary>(sink, '/api/messages', { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw });
  return summary.id;
}

async function errorOf(res: Response): Promise<ApiErrorBody['error'] & { status: number }> {
  return { status: res.status, ...((await res.json()) as ApiErrorBody).error };
}

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-bulk-'));
let postgres: TestPostgres | undefined;
afterAll(async () => {
  await postgres?.close();
});

const ENGINES: [string, () => Promise<string>][] = [
  ['memory', async () => 'memory'],
  ['sqlite', async () => `sqlite:${path.join(dir, 'bulk.db')}`],
  ['postgres', async () => (postgres ??= await startPostgres()).createDatabase('bulk')],
];

describe.each(ENGINES)('bulk message routes on the %s engine', (_name, storage) => {
  let sink: Sink;
  beforeAll(async () => {
    sink = await startTestSink({ storage: await storage() });
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it('PATCH by ids and by query, GET /api/tags, DELETE by ids: exact counts, missing ids and events', async () => {
    const m1 = await importMessage(sink, 'one', 'alpha');
    const m2 = await importMessage(sink, 'two', 'Beta, alpha');
    const m3 = await importMessage(sink, 'three');
    const events = await connectEvents(sink);
    try {
      const first = await api(sink, '/api/messages', json('PATCH', { ids: [m1, m2, 'nope'], read: true, addTags: ['Gamma'] }));
      expect(first).toEqual({ updated: 2, missing: ['nope'] });
      expect(await api(sink, '/api/messages', json('PATCH', { ids: [m1, m2, 'nope'], read: true, addTags: ['gamma'] }))).toEqual({ updated: 0, missing: ['nope'] });
      expect(await api(sink, '/api/messages', json('PATCH', { query: 'tag:beta', read: false, removeTags: ['ALPHA'] }))).toEqual({ updated: 1, missing: [] });
      const updates = [];
      for (let i = 0; i < 6; i++) updates.push(await events.next('message.updated'));
      const shape = (e: Extract<SinkEvent, { type: 'message.updated' }>) => [e.message.id, e.message.read, e.message.tags];
      expect(updates.map(shape)).toEqual([
        [m1, true, ['alpha']], [m1, true, ['alpha', 'Gamma']], [m2, true, ['alpha', 'Beta']], [m2, true, ['alpha', 'Beta', 'Gamma']], // the no-op PATCH published nothing
        [m2, false, ['alpha', 'Beta', 'Gamma']], [m2, false, ['Beta', 'Gamma']],
      ]);
    } finally {
      await events.close();
    }
    expect(await api(sink, '/api/messages', json('PATCH', { query: '', addTags: ['all'] }))).toEqual({ updated: 3, missing: [] });
    const state = async () => (await api<{ messages: MessageSummary[] }>(sink, '/api/messages')).messages.map((m) => [m.id, m.read, m.tags]);
    expect(await state()).toEqual([[m3, false, ['all']], [m2, false, ['all', 'Beta', 'Gamma']], [m1, true, ['all', 'alpha', 'Gamma']]]);
    expect(await api(sink, '/api/tags')).toEqual({ tags: [{ name: 'all', count: 3 }, { name: 'alpha', count: 1 }, { name: 'Beta', count: 1 }, { name: 'Gamma', count: 2 }] });

    expect(await api(sink, '/api/messages', json('DELETE', { ids: [m1, 'nope', m1] }))).toEqual({ deleted: 1, missing: ['nope'] });
    expect((await fetch(`${sink.httpUrl}/api/messages/${m1}`)).status).toBe(404);
    expect(await api(sink, '/api/tags')).toEqual({ tags: [{ name: 'all', count: 2 }, { name: 'Beta', count: 1 }, { name: 'Gamma', count: 1 }] });
    expect((await fetch(`${sink.httpUrl}/api/messages?query=subject:two`, { method: 'DELETE' })).status).toBe(204); // ?query= unchanged
    expect(await state()).toEqual([[m3, false, ['all']]]);
  });

  it('400 naming the field; nothing changes', async () => {
    const id = await importMessage(sink, 'kept');
    const url = `${sink.httpUrl}/api/messages`;
    const cases: [RequestInit, string, Partial<ApiErrorBody['error']> & { status: number }][] = [
      [json('PATCH', { read: true }), '', { status: 400, code: 'invalid_request', field: 'ids', message: 'invalid body field "ids": give exactly one of ids and query' }],
      [json('PATCH', { ids: [id], query: '', read: true }), '', { status: 400, field: 'ids' }],
      [json('PATCH', { ids: [id] }), '', { status: 400, field: 'read', message: 'invalid body field "read": give read, addTags or removeTags' }],
      [json('PATCH', { ids: [], read: true }), '', { status: 400, field: 'ids' }],
      [json('PATCH', { ids: [id], read: 'yes' }), '', { status: 400, field: 'read' }],
      [json('PATCH', { ids: [id], addTags: 'x' }), '', { status: 400, field: 'addTags' }],
      [json('PATCH', { ids: [id], removeTags: ['x'.repeat(1001)] }), '', { status: 400, field: 'removeTags.0' }],
      [json('PATCH', { query: 'is:maybe', read: true }), '', { status: 400, code: 'invalid_query', field: 'query' }],
      [json('DELETE', { ids: [id] }), '?query=kept', { status: 400, field: 'ids', message: 'give ids in the body or ?query=, not both' }],
      [json('DELETE', { ids: [] }), '', { status: 400, field: 'ids' }],
      [json('DELETE', { ids: Array.from({ length: 10_001 }, (_, i) => `id${i}`) }), '', { status: 400, field: 'ids' }],
    ];
    for (const [init, query, expected] of cases) expect(await errorOf(await fetch(url + query, init)), `${init.method}${query} ${String(init.body).slice(0, 80)}`).toMatchObject(expected);
    expect((await api<{ messages: MessageSummary[] }>(sink, '/api/messages')).messages.map((m) => [m.id, m.read, m.tags])).toContainEqual([id, false, []]);
    const most = Array.from({ length: 10_000 }, (_, i) => `x${String(i).padStart(15, '0')}`); // 10000 ids of 16 characters: over the 100 kB of other bodies
    expect(await api(sink, '/api/messages', json('PATCH', { ids: most, read: true }))).toEqual({ updated: 0, missing: most });
    expect(await api(sink, '/api/messages', json('DELETE', { ids: most }))).toEqual({ deleted: 0, missing: most });
  });
});
