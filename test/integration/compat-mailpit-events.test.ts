/**
 * Mailpit's WebSocket events on `/api/events`: a client that does not offer the `mailsink.v1`
 * subprotocol (as Mailpit's web UI and scripts written for it do not) gets `{Type, Data}` frames —
 * new, update, delete, truncate, stats — and no `hello`; one that offers it gets mailsink's events.
 */
import { MailpitClient } from 'mailpit-api';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

interface Frame {
  Type: string;
  Data: Record<string, unknown> | null;
}

const sink = useSink();

/** Connects without a subprotocol and collects frames; `until(n)` resolves once n frames arrived. */
async function mailpitSocket() {
  const ws = new WebSocket(`${sink().httpUrl.replace(/^http/, 'ws')}/api/events`);
  const frames: Frame[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    for (const w of waiters.filter((w) => frames.length >= w.n)) w.resolve();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    frames,
    protocol: ws.protocol,
    until: (n: number) => (frames.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () => ws.close(),
  };
}

describe('WebSocket /api/events for Mailpit clients', () => {
  it('sends new, update, delete, truncate and stats frames', async () => {
    const mailpit = new MailpitClient(sink().httpUrl);
    const socket = await mailpitSocket();
    try {
      expect(socket.protocol).toBe('');
      const t = transport(sink());
      const info = await t.sendMail({ from: 'Ann <ann@example.com>', to: 'ben@example.org', subject: 'Live', text: 'pushed' });
      t.close();
      const id = String(info.response).split(' ').pop()!;
      await socket.until(2);
      expect(socket.frames[0]).toMatchObject({ Type: 'new', Data: { ID: id, Subject: 'Live', From: { Name: 'Ann', Address: 'ann@example.com' }, Read: false, Tags: [] } });
      expect(socket.frames[1]).toEqual({ Type: 'stats', Data: { Total: 1, Unread: 1, Version: '0.1.0' } });

      await mailpit.setReadStatus({ IDs: [id], Read: true });
      await socket.until(4);
      expect(socket.frames.slice(2)).toEqual([
        { Type: 'update', Data: { ID: id, Read: true, Tags: [] } },
        { Type: 'stats', Data: { Total: 1, Unread: 0, Version: '0.1.0' } },
      ]);

      await mailpit.deleteMessages({ IDs: [id] });
      await socket.until(6);
      expect(socket.frames.slice(4).map((f) => f.Type)).toEqual(['delete', 'stats']);
      expect(socket.frames[4]!.Data).toEqual({ ID: id });

      await mailpit.deleteMessages();
      await socket.until(8);
      expect(socket.frames.slice(6)).toEqual([{ Type: 'truncate', Data: null }, { Type: 'stats', Data: { Total: 0, Unread: 0, Version: '0.1.0' } }]);
      expect(socket.frames.map((f) => f.Type)).not.toContain('hello');
    } finally {
      socket.close();
    }
  });

  it('speaks mailsink events to a client that offers the mailsink.v1 subprotocol', async () => {
    const ws = new WebSocket(`${sink().httpUrl.replace(/^http/, 'ws')}/api/events`, ['other', 'mailsink.v1']);
    try {
      const first = await new Promise<{ type: string }>((resolve, reject) => ws.once('message', (data) => resolve(JSON.parse(data.toString()) as { type: string })).once('error', reject));
      expect([ws.protocol, first.type]).toEqual(['mailsink.v1', 'hello']);
    } finally {
      ws.close();
    }
  });
});
