/**
 * The store contract (`Store` in server/core/store.ts): the same assertions over every engine of
 * test/helpers/store-engines.ts, with exact ids, seqs, byte counts and events.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope, SinkEvent } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { factsOf } from '../../server/core/parse.js';
import type { MessageFacts } from '../../server/core/parse.js';
import type { Store, StoredMessage, StoreLimits } from '../../server/core/store.js';
import { useStoreEngines } from '../helpers/store-engines.js';
import type { StoreEngine } from '../helpers/store-engines.js';

const engines = useStoreEngines();
const envelope = (rcptTo = ['b@example.org']): Envelope => ({ mailFrom: 'a@example.com', rcptTo, mailParams: { BODY: '8BITMIME' }, heloName: 'client.test', remoteAddress: '127.0.0.1', remotePort: 40000, secure: false, authUser: null });
const facts = (subject: string, tags: string[] = []): MessageFacts => ({ ...factsOf({ parsed: null, parseError: null }), subject, tags });
/** Every byte value, CR, LF and a NUL: what a byte-exact store must give back. */
const BINARY = Buffer.concat([Buffer.from('Subject: bytes\r\n\r\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n.\r\n\0')]);

async function setup(engine: StoreEngine, limits: StoreLimits = { maxMessages: 100, maxStoreBytes: 1_000_000 }) {
  const events = new EventBus();
  const seen: SinkEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const store = await engine.open(limits, events);
  const add = async (bytes: number, subject = `m${bytes}`) => store.add({ envelope: envelope(), raw: Buffer.alloc(bytes, 0x61), facts: facts(subject) });
  return { store, events, seen, add, limits };
}
const ids = (messages: readonly StoredMessage[]) => messages.map((m) => m.id);
const shape = (e: SinkEvent) => ('ids' in e ? [e.type, e.ids, e.reason] : 'message' in e ? [e.type, e.message.id] : [e.type]);

describe.each(engines)('store contract: $name', (engine) => {
  it('gives seq 1..n, unique 16-character ids, exact sizes, and orders every read', async () => {
    const { store, add, seen } = await setup(engine);
    const [a, b, c] = [await add(10), await add(20), await add(30)];
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    for (const m of [a, b, c]) expect(m.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids([a, b, c])).size).toBe(3);
    expect([store.size, store.totalBytes, store.unreadCount, store.lastSeq]).toEqual([3, 60, 3, 3]);
    expect(store.get(b.id)).toMatchObject({ id: b.id, seq: 2, sizeBytes: 20, read: false, tags: [], facts: { subject: 'm20' } });
    expect(store.get(b.id)!.raw.equals(Buffer.alloc(20, 0x61))).toBe(true);
    expect(store.get('no-such-id')).toBeUndefined();
    expect(store.latest()?.id).toBe(c.id);
    expect(ids(store.newestFirst())).toEqual(ids([c, b, a]));
    expect(ids(store.since(0))).toEqual(ids([a, b, c]));
    expect(ids(store.since(1))).toEqual(ids([b, c]));
    expect(store.since(3)).toEqual([]);
    expect(ids(store.page(0, 2))).toEqual(ids([c, b]));
    expect(ids(store.page(1, 5))).toEqual(ids([b, a]));
    expect(store.page(3, 5)).toEqual([]);
    expect(store.page(0, 0)).toEqual([]);
    expect(seen.map(shape)).toEqual([['message.received', a.id], ['message.received', b.id], ['message.received', c.id]]);
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('keeps raw bytes byte-exact, the envelope whole, and a message received time in ISO 8601', async () => {
    const { store } = await setup(engine);
    const m = await store.add({ envelope: envelope(['x@example.org', 'y@example.org']), raw: BINARY, facts: facts('bytes') });
    const got = store.get(m.id)!;
    expect(got.raw.equals(BINARY)).toBe(true);
    expect(got.sizeBytes).toBe(BINARY.length);
    expect(got.envelope).toEqual(envelope(['x@example.org', 'y@example.org']));
    expect(got.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('evicts the oldest beyond maxMessages, announcing it before the new message', async () => {
    const { store, add, seen } = await setup(engine, { maxMessages: 2, maxStoreBytes: 1000 });
    const [a, b, c] = [await add(1), await add(1), await add(1)];
    expect([store.size, store.totalBytes, store.unreadCount]).toEqual([2, 2, 2]);
    expect(store.get(a.id)).toBeUndefined();
    expect(seen.map(shape)).toEqual([['message.received', a.id], ['message.received', b.id], ['message.deleted', [a.id], 'evicted'], ['message.received', c.id]]);
    expect(ids(store.newestFirst())).toEqual(ids([c, b]));
  });

  it('evicts by bytes, several at once, and keeps a single oversized message alone', async () => {
    const { store, add, seen } = await setup(engine, { maxMessages: 10, maxStoreBytes: 100 });
    const [a, b] = [await add(40), await add(40)];
    await store.setRead(a.id, true);
    const c = await add(50);
    expect(seen.at(-2)).toMatchObject({ type: 'message.deleted', ids: [a.id], reason: 'evicted' });
    expect([store.totalBytes, store.unreadCount]).toEqual([90, 2]);
    const d = await add(150);
    expect(seen.slice(-2).map(shape)).toEqual([['message.deleted', [b.id, c.id], 'evicted'], ['message.received', d.id]]);
    expect(ids(store.newestFirst())).toEqual([d.id]);
    expect([store.size, store.totalBytes, store.unreadCount, store.lastSeq]).toEqual([1, 150, 1, 4]);
    const e = await add(10);
    expect(seen.slice(-2).map(shape)).toEqual([['message.deleted', [d.id], 'evicted'], ['message.received', e.id]]);
  });

  it('setRead publishes only on change and keeps the unread count', async () => {
    const { store, add, seen } = await setup(engine);
    const a = await add(5);
    expect((await store.setRead(a.id, false))?.read).toBe(false);
    expect(seen).toHaveLength(1);
    expect(await store.setRead(a.id, true)).toMatchObject({ id: a.id, read: true });
    expect(seen.at(-1)).toMatchObject({ type: 'message.updated', seq: 2, message: { id: a.id, read: true } });
    expect([store.unreadCount, store.get(a.id)?.read]).toEqual([0, true]);
    await store.setRead(a.id, true);
    expect(seen).toHaveLength(2);
    expect(await store.setRead('no-such-id', true)).toBeUndefined();
    await store.setRead(a.id, false);
    expect([store.unreadCount, seen.length]).toEqual([1, 3]);
  });

  it('tags: sub-addresses on arrival, X-Tags merged when facts come, normalised on set', async () => {
    const { store, seen } = await setup(engine);
    const m = await store.add({ envelope: envelope(['alice+Signup@example.org', 'bob+zeta@example.org', '"q+uoted"@example.org']), raw: Buffer.from('x') });
    expect(m.tags).toEqual(['Signup', 'zeta']);
    await store.complete(m, facts('tagged', ['urgent', ' SIGNUP ', 'a!b']));
    expect(store.get(m.id)?.tags).toEqual(['a b', 'Signup', 'urgent', 'zeta']);
    expect(seen.map(shape)).toEqual([['message.received', m.id]]);
    const set = await store.setTags(m.id, ['beta', 'Alpha', 'alpha', '  ', 'x#y']);
    expect(set?.tags).toEqual(['Alpha', 'beta', 'x y']);
    expect(seen.at(-1)).toMatchObject({ type: 'message.updated', message: { id: m.id, tags: ['Alpha', 'beta', 'x y'] } });
    await store.setTags(m.id, ['x y', 'beta', 'Alpha']);
    expect(seen).toHaveLength(2);
    expect(await store.setTags('no-such-id', ['a'])).toBeUndefined();
  });

  it('a pending message: no event until complete, which publishes message.received once', async () => {
    const { store, seen } = await setup(engine);
    const p = await store.add({ envelope: envelope(), raw: Buffer.from('Subject: later\r\n\r\nbody') });
    const q = await store.add({ envelope: envelope(), raw: Buffer.from('y') });
    expect(p.facts).toBeNull();
    expect(ids(store.pending())).toEqual([p.id, q.id]);
    expect(seen).toEqual([]);
    await store.complete(p, facts('later'));
    expect(seen).toEqual([expect.objectContaining({ type: 'message.received', seq: 1, message: expect.objectContaining({ id: p.id, seq: 1, subject: 'later' }) })]);
    expect(store.get(p.id)?.facts?.subject).toBe('later');
    expect(ids(store.pending())).toEqual([q.id]);
    await store.complete(p, facts('twice'));
    await store.complete(store.get(p.id)!, facts('thrice'));
    expect([store.get(p.id)?.facts?.subject, seen.length]).toEqual(['later', 1]);
    await store.delete([q.id]);
    await store.complete(q, facts('gone'));
    expect(seen.map(shape)).toEqual([['message.received', p.id], ['message.deleted', [q.id], 'api']]);
  });

  it('delete and clear publish, keep totals right, and lastSeq never goes back', async () => {
    const { store, add, seen } = await setup(engine);
    const [a, b] = [await add(5), await add(7)];
    expect(await store.delete([a.id, 'no-such-id', a.id])).toBe(1);
    expect(seen.at(-1)).toEqual({ type: 'message.deleted', seq: 3, ids: [a.id], reason: 'api' });
    expect(await store.delete(['no-such-id'])).toBe(0);
    expect(seen).toHaveLength(3);
    expect([store.size, store.totalBytes, store.unreadCount]).toEqual([1, 7, 1]);
    await store.clear();
    expect(seen.at(-1)).toEqual({ type: 'store.cleared', seq: 4 });
    expect([store.size, store.totalBytes, store.unreadCount, store.lastSeq]).toEqual([0, 0, 0, 2]);
    expect([store.get(b.id), store.latest(), store.newestFirst(), store.since(0)]).toEqual([undefined, undefined, [], []]);
    expect((await add(1)).seq).toBe(3);
  });

  it('writes issued together apply in call order', async () => {
    const { store, seen } = await setup(engine);
    const input = (n: number) => ({ envelope: envelope(), raw: Buffer.alloc(n, 0x62), facts: facts(`n${n}`) });
    const first = await Promise.all(Array.from({ length: 40 }, (_, i) => store.add(input(i + 1))));
    expect(first.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(store.totalBytes).toBe((40 * 41) / 2);
    const [, , last] = await Promise.all([store.setRead(first[0]!.id, true), store.clear(), store.add(input(3))]);
    expect(ids(store.newestFirst())).toEqual([last.id]);
    expect(seen.slice(40).map(shape)).toEqual([['message.updated', first[0]!.id], ['store.cleared'], ['message.received', last.id]]);
    expect([store.size, store.unreadCount, store.lastSeq]).toEqual([1, 1, 41]);
  });

  // Only persistent engines have `reopen`; the memory engine has no restart to survive.
  if (engine.reopen) it('keeps everything across close and reopen', async () => {
    const { store, add, limits } = await setup(engine, { maxMessages: 3, maxStoreBytes: 10_000 });
    const [a, b] = [await add(10), await add(20)];
    const c = await store.add({ envelope: envelope(['c+one@example.org']), raw: BINARY, facts: facts('bytes', ['two']) });
    const p = await store.add({ envelope: envelope(), raw: Buffer.from('pending') });
    await store.setRead(b.id, true);
    await store.setTags(c.id, ['three', 'One']);
    await store.setRead(c.id, true);
    await store.delete([b.id]);
    const events = new EventBus();
    const seen: SinkEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const again: Store = await engine.reopen!(store, limits, events);
    expect([again.size, again.totalBytes, again.unreadCount, again.lastSeq]).toEqual([2, BINARY.length + 7, 1, 4]);
    expect(again.get(a.id)).toBeUndefined();
    expect(again.get(c.id)).toMatchObject({ seq: 3, read: true, tags: ['One', 'three'], facts: { subject: 'bytes' }, envelope: envelope(['c+one@example.org']) });
    expect(again.get(c.id)!.raw.equals(BINARY)).toBe(true);
    expect(ids(again.pending())).toEqual([p.id]);
    await again.setRead(c.id, false);
    await again.complete(again.get(p.id)!, facts('parsed after restart'));
    const d = await again.add({ envelope: envelope(), raw: Buffer.from('d'), facts: facts('d') });
    const e = await again.add({ envelope: envelope(), raw: Buffer.from('e'), facts: facts('e') });
    expect([d.seq, e.seq]).toEqual([5, 6]);
    expect(seen.map(shape)).toEqual([['message.updated', c.id], ['message.received', p.id], ['message.received', d.id], ['message.deleted', [c.id], 'evicted'], ['message.received', e.id]]);
    await again.delete([e.id]);
    const third = await engine.reopen!(again, limits, new EventBus());
    expect(ids(third.newestFirst())).toEqual([d.id, p.id]);
    expect([third.size, third.unreadCount, third.lastSeq, third.get(p.id)?.facts?.subject]).toEqual([2, 2, 6, 'parsed after restart']);
    expect((await third.add({ envelope: envelope(), raw: Buffer.from('f') })).seq).toBe(7);
  });
});
