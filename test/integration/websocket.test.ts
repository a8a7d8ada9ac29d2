import { describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../server/contract.js';
import { connectEvents } from '../helpers/events.js';
import { api, startTestSink, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

describe('WebSocket /api/events', () => {
  const sink = useSink();

  it('greets with hello, then pushes message.received with the summary of a new message', async () => {
    const events = await connectEvents(sink());
    try {
      expect(events.received[0]).toMatchObject({ type: 'hello', seq: 0, messages: 0 });
      const t = transport(sink());
      const info = await t.sendMail({ from: 'Ann <ann@example.com>', to: 'ben@example.org', subject: 'Live =?', text: 'pushed' });
      t.close();
      const event = await events.next('message.received');
      const id = info.response.split(' ').pop()!;
      expect(event.seq).toBe(1);
      expect(event.message).toMatchObject({
        id,
        seq: 1,
        subject: 'Live =?',
        from: [{ name: 'Ann', address: 'ann@example.com' }],
        to: [{ name: '', address: 'ben@example.org' }],
        envelope: { mailFrom: 'ann@example.com', rcptTo: ['ben@example.org'] },
        snippet: 'pushed',
        read: false,
        attachmentCount: 0,
        parseError: null,
      } satisfies Partial<MessageSummary>);
      expect(event.message).not.toHaveProperty('text');
      expect(event.message).not.toHaveProperty('html');

      const updated = await Promise.all([events.next('message.updated'), api(sink(), `/api/messages/${id}`, patch({ read: true }))]);
      expect(updated[0]).toMatchObject({ seq: 2, message: { id, read: true } });

      await api(sink(), `/api/messages/${id}`, { method: 'DELETE' });
      expect(await events.next('message.deleted')).toEqual({ type: 'message.deleted', seq: 3, ids: [id], reason: 'api' });

      await api(sink(), '/api/messages', { method: 'DELETE' });
      expect(await events.next('store.cleared')).toEqual({ type: 'store.cleared', seq: 4 });
    } finally {
      await events.close();
    }
  });

  it('a client connecting later gets hello with the current seq and message count', async () => {
    const t = transport(sink());
    await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' });
    t.close();
    await api(sink(), '/api/messages/wait?after=0'); // announced (event seq 5) once parsed
    const events = await connectEvents(sink());
    try {
      expect(events.received[0]).toMatchObject({ type: 'hello', seq: 5, messages: 1 });
    } finally {
      await events.close();
    }
  });
});

describe('eviction at --max-messages', () => {
  it('evicts the oldest message and announces it with reason "evicted"', async () => {
    const sink = await startTestSink({ maxMessages: 2 });
    const events = await connectEvents(sink);
    const t = transport(sink, { pool: true });
    try {
      const ids: string[] = [];
      for (const n of [1, 2, 3]) {
        const info = await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: `m${n}`, text: `${n}` });
        ids.push(info.response.split(' ').pop()!);
        // Announced once parsed; waiting for it keeps m1 from being evicted before it was ever announced.
        expect((await events.next('message.received')).message.id).toBe(ids.at(-1));
      }
      const deleted = events.received.find((e) => e.type === 'message.deleted');
      expect(deleted).toMatchObject({ ids: [ids[0]], reason: 'evicted' });
      // The eviction is published when m3 is stored, before m3 is announced.
      expect(events.received.map((e) => e.type)).toEqual(['hello', 'message.received', 'message.received', 'message.deleted', 'message.received']);
      const list = await api<{ total: number; messages: MessageSummary[] }>(sink, '/api/messages');
      expect(list.total).toBe(2);
      expect(list.messages.map((m) => m.subject)).toEqual(['m3', 'm2']);
      const gone = await fetch(`${sink.httpUrl}/api/messages/${ids[0]}`);
      expect(gone.status).toBe(404);
    } finally {
      t.close();
      await events.close();
      await sink.stop();
    }
  });

  it('evicts by total raw bytes at --max-store-bytes', async () => {
    const sink = await startTestSink({ maxStoreBytes: 3000 });
    const t = transport(sink, { pool: true });
    try {
      const body = 'x'.repeat(1000);
      for (const n of [1, 2, 3, 4]) await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: `big${n}`, text: body });
      const list = await api<{ total: number; messages: MessageSummary[] }>(sink, '/api/messages');
      const bytes = list.messages.reduce((sum, m) => sum + m.sizeBytes, 0);
      expect(bytes).toBeLessThanOrEqual(3000);
      expect(list.messages[0]!.subject).toBe('big4');
      expect(list.total).toBeLessThan(4);
      expect(sink.store.totalBytes).toBe(bytes);
    } finally {
      t.close();
      await sink.stop();
    }
  });
});

function patch(body: unknown): RequestInit {
  return { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

describe('WebSocket origin check', () => {
  const sink = useSink();

  async function upgradeStatus(headers: Record<string, string>): Promise<number> {
    const { default: WebSocket } = await import('ws');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${sink().httpPort}/api/events`, 'mailsink.v1', { headers });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', reject);
    });
  }

  it('accepts the page origin and clients without Origin, refuses other sites with 403', async () => {
    expect(await upgradeStatus({ Origin: `http://127.0.0.1:${sink().httpPort}` })).toBe(101);
    expect(await upgradeStatus({})).toBe(101);
    expect(await upgradeStatus({ Origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus({ Origin: 'null' })).toBe(403);
  });
});
