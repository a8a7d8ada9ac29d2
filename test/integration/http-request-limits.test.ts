/**
 * Request size limits: every JSON body (`PATCH /api/messages/:id`, `POST /api/faults`) is capped at
 * 100 KiB and the rfc822 import at `--max-message-size`; larger ones get `413 payload_too_large`,
 * change nothing, and the server goes on.
 */
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, MessageList } from '../../server/contract.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

describe('request size limits', () => {
  const sink = useSink({ maxMessageSize: '32K' });

  async function status(path: string, init: RequestInit): Promise<[number, string]> {
    const res = await fetch(sink().httpUrl + path, init);
    return [res.status, ((await res.json()) as ApiErrorBody).error?.code ?? ''];
  }

  it('413 for JSON bodies over 100 KiB on each JSON endpoint, normal ones go through', async () => {
    const t = transport(sink());
    const info = await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 'limits', text: 'x' });
    t.close();
    const m = `/api/messages/${info.response.split(' ').pop()}`;
    const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const big = 'x'.repeat(101 * 1024);
    expect(await status(m, { method: 'PATCH', ...json({ read: true, pad: big }) })).toEqual([413, 'payload_too_large']);
    expect(await status('/api/faults', { method: 'POST', ...json(Array.from({ length: 2000 }, () => ({ stage: 'connect', reply: { code: 421, text: 'x'.repeat(60) } }))) })).toEqual([413, 'payload_too_large']);
    expect(await api<{ rules: unknown[] }>(sink(), '/api/faults')).toMatchObject({ rules: [] });
    expect((await fetch(sink().httpUrl + m, { method: 'PATCH', ...json({ read: true }) })).status).toBe(200);
    expect((await fetch(`${sink().httpUrl}/api/faults`, { method: 'POST', ...json({ stage: 'connect', match: { remoteAddress: '10.9.9.9' }, reply: { code: 421 } }) })).status).toBe(201);
  });

  it('413 for an import over --max-message-size; nothing stored', async () => {
    const before = (await api<MessageList>(sink(), '/api/messages')).total;
    const body = `Subject: big\r\n\r\n${'z'.repeat(33 * 1024)}\r\n`;
    expect(await status('/api/messages', { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body })).toEqual([413, 'payload_too_large']);
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(before);
    expect((await api<{ status: string }>(sink(), '/api/health')).status).toBe('ok');
  });
});
