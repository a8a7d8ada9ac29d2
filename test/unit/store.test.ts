import { describe, expect, it } from 'vitest';
import type { Envelope, SinkEvent } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { factsOf } from '../../server/core/parse.js';
import { MessageStore } from '../../server/core/store.js';

const envelope: Envelope = { mailFrom: 'a@example.com', rcptTo: ['b@example.org'], mailParams: {}, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };

function setup(maxMessages = 3, maxStoreBytes = 1000) {
  const events = new EventBus();
  const seen: SinkEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const store = new MessageStore({ maxMessages, maxStoreBytes }, events);
  const add = (bytes: number) => store.add({ envelope, raw: Buffer.alloc(bytes, 0x61), facts: factsOf({ parsed: null, parseError: 'not parsed in this test' }) });
  return { events, seen, store, add };
}

describe('MessageStore', () => {
  it('assigns rising seqs and unique URL-safe ids', () => {
    const { store, add } = setup(10);
    const a = add(1);
    const b = add(1);
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a.id).not.toBe(b.id);
    expect(store.latest()).toBe(b);
    expect(store.newestFirst()).toEqual([b, a]);
    expect(a.sizeBytes).toBe(1);
  });

  it('evicts the oldest beyond maxMessages and announces it before the new message', () => {
    const { store, seen, add } = setup(2);
    const [a, b, c] = [add(1), add(1), add(1)];
    expect(store.size).toBe(2);
    expect(store.get(a.id)).toBeUndefined();
    expect(seen.map((e) => e.type)).toEqual(['message.received', 'message.received', 'message.deleted', 'message.received']);
    expect(seen[2]).toEqual({ type: 'message.deleted', seq: 3, ids: [a.id], reason: 'evicted' });
    expect(store.newestFirst().map((m) => m.id)).toEqual([c.id, b.id]);
  });

  it('evicts by bytes, several at once, and keeps a single oversized message alone', () => {
    const { store, seen, add } = setup(10, 100);
    const [a, b] = [add(40), add(40)];
    const c = add(50);
    expect(seen.at(-2)).toMatchObject({ type: 'message.deleted', ids: [a.id] });
    expect(store.totalBytes).toBe(90);
    const d = add(150);
    expect(seen.at(-2)).toMatchObject({ type: 'message.deleted', ids: [b.id, c.id], reason: 'evicted' });
    expect(store.newestFirst()).toEqual([d]);
    expect(store.totalBytes).toBe(150);
  });

  it('setRead publishes only on change; delete and clear publish and keep byte totals right', () => {
    const { store, seen, add } = setup(10);
    const a = add(5);
    const b = add(7);
    store.setRead(a.id, false);
    expect(seen).toHaveLength(2);
    store.setRead(a.id, true);
    expect(seen.at(-1)).toMatchObject({ type: 'message.updated', message: { id: a.id, read: true } });
    expect(store.delete([a.id, 'unknown'])).toBe(1);
    expect(seen.at(-1)).toEqual({ type: 'message.deleted', seq: 4, ids: [a.id], reason: 'api' });
    expect(store.delete(['unknown'])).toBe(0);
    expect(seen).toHaveLength(4);
    expect(store.totalBytes).toBe(7);
    store.clear();
    expect(seen.at(-1)).toEqual({ type: 'store.cleared', seq: 5 });
    expect([store.size, store.totalBytes, store.lastSeq]).toEqual([0, 0, 2]);
    expect(store.get(b.id)).toBeUndefined();
    expect(add(1).seq).toBe(3);
  });

  it('a throwing subscriber does not break publishing', () => {
    const { events, seen, add } = setup();
    events.subscribe(() => {
      throw new Error('boom');
    });
    add(1);
    expect(seen).toHaveLength(1);
  });

  it('keeps a message stored without facts pending: message.received only once complete() gives them', () => {
    const { store, seen } = setup(10);
    const message = store.add({ envelope, raw: Buffer.from('Subject: later\r\n\r\nbody') });
    expect(message.facts).toBeNull();
    expect(store.get(message.id)).toBe(message);
    expect(seen).toEqual([]);
    store.complete(message, factsOf({ parsed: null, parseError: null }));
    expect(seen).toEqual([expect.objectContaining({ type: 'message.received', seq: 1, message: expect.objectContaining({ id: message.id, seq: 1 }) })]);
    store.complete(message, factsOf({ parsed: null, parseError: 'twice' }));
    expect(message.facts?.parseError).toBeNull();
    expect(seen).toHaveLength(1);
  });

  it('publishes nothing for a pending message deleted before its facts came', () => {
    const { store, seen } = setup(10);
    const message = store.add({ envelope, raw: Buffer.from('x') });
    store.delete([message.id]);
    store.complete(message, factsOf({ parsed: null, parseError: null }));
    expect(seen.map((e) => e.type)).toEqual(['message.deleted']);
  });

  it('since(seq) gives the messages after a seq, oldest first', () => {
    const { store, add } = setup(10);
    const [a, b, c] = [add(1), add(1), add(1)];
    expect(store.since(0).map((m) => m.id)).toEqual([a.id, b.id, c.id]);
    expect(store.since(a.seq).map((m) => m.id)).toEqual([b.id, c.id]);
    store.delete([b.id]);
    expect(store.since(a.seq).map((m) => m.id)).toEqual([c.id]);
    expect(store.since(c.seq)).toEqual([]);
  });
});

