/**
 * Three mailsink processes (the built CLI) on one PostgreSQL database (`--storage postgres://…`):
 * whichever instance's SMTP takes a message, every instance's REST API, `wait` and WebSocket stream
 * see it, in one global order; read state and tags are shared; a cursor works on any instance.
 * Mail goes in through nodemailer, events come out through the `ws` package.
 */
import { describe, expect, it } from 'vitest';
import type { Cursor, MessageDetail, MessageSummary, SinkEvent } from '../../server/contract.js';
import { api, events, rawMessage, send, useCluster, waitFor, type Instance } from '../helpers/cluster.js';

const cluster = useCluster(['A', 'B', 'C']);
const FROM = 'sender@example.com';

/** The instances by name. */
function abc(): [Instance, Instance, Instance] {
  const [a, b, c] = cluster.instances;
  return [a!, b!, c!];
}

/** Sends a message with `subject` to `rcpt` through `instance`; expects `250` and returns the queued id. */
async function deliver(instance: Instance, rcpt: string, subject: string): Promise<string> {
  const outcome = await send(instance, { from: FROM, to: [rcpt] }, rawMessage({ from: FROM, to: rcpt, subject }));
  expect(outcome.code, `${subject} sent to ${instance.name}: ${outcome.response}`).toBe(250);
  return /queued as (\S+)/.exec(outcome.response)![1]!;
}

/** The `message.received` events received so far whose subject starts with `prefix`, in arrival order. */
function receivedWith(frames: readonly SinkEvent[], prefix: string): MessageSummary[] {
  return frames.flatMap((e) => (e.type === 'message.received' && e.message.subject.startsWith(prefix) ? [e.message] : []));
}

describe('three instances on one PostgreSQL database', () => {
  it('mail sent to A is read on B: subject, addresses, envelope, size and raw bytes exact', async () => {
    const [a, b] = abc();
    const raw = rawMessage({ from: 'Ann Sender <ann@example.com>', to: 'Bob <bob@example.org>', subject: 'Read me on B' });
    const outcome = await send(a, { from: 'ann@example.com', to: ['bob@example.org', 'hidden@example.net'] }, raw);
    expect(outcome.code, outcome.response).toBe(250);
    const id = /queued as (\S+)/.exec(outcome.response)![1]!;

    const found = await waitFor(b, 'subject:"Read me on B"');
    expect(found.messages.map((m) => m.id)).toEqual([id]);
    const { status, body } = await api<MessageDetail>(b, `/api/messages/${id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id,
      subject: 'Read me on B',
      sizeBytes: raw.length,
      from: [{ name: 'Ann Sender', address: 'ann@example.com' }],
      to: [{ name: 'Bob', address: 'bob@example.org' }],
      envelope: { mailFrom: 'ann@example.com', rcptTo: ['bob@example.org', 'hidden@example.net'] },
      bccOnly: ['hidden@example.net'],
      read: false,
      text: 'Body of Read me on B.\n',
    });
    const bytes = Buffer.from(await (await fetch(`${b.httpUrl}/api/messages/${id}/raw`)).arrayBuffer());
    expect(bytes.equals(raw)).toBe(true);
  });

  it('a WebSocket client on C receives mail sent to A and B one after another, in sending order', async () => {
    const [a, b, c] = abc();
    const stream = await events(c);
    try {
      const subjects = Array.from({ length: 8 }, (_, i) => `Alternating ${i + 1}`);
      const ids: string[] = [];
      for (const [i, subject] of subjects.entries()) ids.push(await deliver(i % 2 === 0 ? a : b, 'order@example.org', subject));
      await stream.until('8 "Alternating" messages received on C', (frames) => receivedWith(frames, 'Alternating').length >= 8, 30_000);
      const got = receivedWith(stream.received, 'Alternating');
      expect(got.map((m) => m.subject)).toEqual(subjects);
      expect(got.map((m) => m.id)).toEqual(ids);
      const seqs = got.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(8);
      // The stream's own sequence rises by one from hello on (a gap would make the inbox refetch).
      const frameSeqs = stream.received.map((e) => e.seq);
      expect(frameSeqs).toEqual(frameSeqs.map((_, i) => frameSeqs[0]! + i));
    } finally {
      await stream.close();
    }
  });

  it('a WebSocket client on C receives mail sent to A and B at once in one ascending seq order, each once', async () => {
    const [a, b, c] = abc();
    const stream = await events(c);
    try {
      const sends = Array.from({ length: 12 }, (_, i) => deliver(i % 2 === 0 ? a : b, 'burst@example.org', `Concurrent ${String(i + 1).padStart(2, '0')}`));
      const ids = await Promise.all(sends);
      await stream.until('12 "Concurrent" messages received on C', (frames) => receivedWith(frames, 'Concurrent').length >= 12, 30_000);
      const got = receivedWith(stream.received, 'Concurrent');
      expect(got.map((m) => m.id).sort()).toEqual([...ids].sort());
      const seqs = got.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(12);
    } finally {
      await stream.close();
    }
  });

  it('a wait on B wakes for mail sent to A', async () => {
    const [a, b] = abc();
    const { body: before } = await api<Cursor>(b, '/api/messages/cursor');
    const waiting = waitFor(b, 'to:wake@example.org', { after: before.cursor, timeoutMs: 30_000 });
    // Another request answered by B: by then B has (almost surely) registered the wait. The
    // assertion holds either way; this only makes the wait pending when the mail arrives.
    await api(b, '/api/health');
    const id = await deliver(a, 'wake@example.org', 'Wake B');
    const result = await waiting;
    expect(result.messages.map((m) => [m.id, m.subject])).toEqual([[id, 'Wake B']]);
    expect(result.cursor).toBe(result.messages[0]!.seq);
    expect(result.cursor).toBeGreaterThan(before.cursor);
  });

  it('read state and tags set on A are seen on B, announced as message.updated', async () => {
    const [a, b] = abc();
    const id = await deliver(a, 'flags@example.org', 'Flag me');
    await waitFor(b, 'subject:"Flag me"');
    const stream = await events(b);
    try {
      const patched = await api<MessageSummary>(a, `/api/messages/${id}`, { method: 'PATCH', body: JSON.stringify({ read: true, tags: ['Paid', 'billing'] }) });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id, read: true, tags: ['billing', 'Paid'] });
      const shared = (e: SinkEvent) => e.type === 'message.updated' && e.message.id === id && e.message.read && e.message.tags.join(',') === 'billing,Paid';
      await stream.until('message.updated on B with read and both tags', (frames) => frames.some(shared), 30_000);
      const { status, body } = await api<MessageDetail>(b, `/api/messages/${id}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ id, read: true, tags: ['billing', 'Paid'] });
    } finally {
      await stream.close();
    }
  });

  it('a cursor taken on A resumes on C: exactly the mail that came after it', async () => {
    const [a, b, c] = abc();
    await deliver(a, 'resume@example.org', 'Before the cursor');
    const { body: mark } = await api<Cursor>(a, '/api/messages/cursor');
    const ids = [await deliver(b, 'resume@example.org', 'After 1'), await deliver(a, 'resume@example.org', 'After 2'), await deliver(b, 'resume@example.org', 'After 3')];
    const resumed = await waitFor(c, 'to:resume@example.org', { after: mark.cursor, count: 3 });
    expect(resumed.messages.map((m) => [m.id, m.subject])).toEqual([[ids[0], 'After 1'], [ids[1], 'After 2'], [ids[2], 'After 3']]);
    expect(resumed.cursor).toBe(resumed.messages[2]!.seq);
    // Nothing else arrived after the cursor, so the unfiltered resume gives the same three.
    const everything = await waitFor(c, '', { after: mark.cursor, count: 3 });
    expect(everything.messages.map((m) => m.id)).toEqual(ids);
  });
});
