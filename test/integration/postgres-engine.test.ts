/**
 * The PostgreSQL engine against a real server (test/helpers/postgres.ts): two stores on one
 * database are two instances; each sees the other's writes, in one global order, through its
 * replica and its own events.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, FaultRule, SinkEvent } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { factsOf } from '../../server/core/facts.js';
import { FaultEngine } from '../../server/core/faults.js';
import type { Store, StoreLimits } from '../../server/core/store.js';
import { StoreUnavailableError } from '../../server/core/store.js';
import { StorageOpenError } from '../../server/storage/index.js';
import { openPostgresStore } from '../../server/storage/postgres.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

const envelope: Envelope = { mailFrom: 'a@example.com', rcptTo: ['b+signup@example.org'], mailParams: { BODY: '8BITMIME' }, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };
const facts = (subject: string) => ({ ...factsOf({ parsed: null, parseError: null }), subject });
const unlimited: StoreLimits = { maxMessages: 1000, maxStoreBytes: 1 << 30 };

interface Instance {
  store: Store;
  events: EventBus;
  seen: SinkEvent[];
  /** Resolves with the first event (already seen or next) that satisfies `test`. */
  next(test: (event: SinkEvent) => boolean): Promise<SinkEvent>;
}

async function open(url: string, limits = unlimited): Promise<Instance> {
  const events = new EventBus();
  const seen: SinkEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const store = await openPostgresStore(url, { limits, events });
  const next = (test: (event: SinkEvent) => boolean) =>
    new Promise<SinkEvent>((resolve) => {
      const found = seen.find(test);
      if (found) return resolve(found);
      const stop = events.subscribe((event) => {
        if (test(event)) {
          stop();
          resolve(event);
        }
      });
    });
  return { store, events, seen, next };
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL store engine', () => {
  let server: TestPostgres;
  const opened: Store[] = [];
  const instance = async (url: string, limits?: StoreLimits) => {
    const made = await open(url, limits);
    opened.push(made.store);
    return made;
  };
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    for (const store of opened) await store.close();
    await server?.close();
  });

  it('two instances see each other\'s adds, completes, reads, tags and deletes in one global order', async () => {
    const url = await server.createDatabase('two_instances');
    const [a, b] = [await instance(url), await instance(url)];
    const m1 = await a.store.add({ envelope, raw: Buffer.from('Subject: one\r\n\r\nbody\r\n'), facts: facts('one') });
    expect(a.store.get(m1.id)?.seq).toBe(1);
    const m2 = await b.store.add({ envelope, raw: Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2e]) });
    expect(m2.seq).toBe(2);
    expect(m2.tags).toEqual(['signup']);
    await a.next((e) => e.type === 'message.received' && e.message.id === m1.id);
    await b.next((e) => e.type === 'message.received' && e.message.id === m1.id);
    expect(b.store.get(m1.id)?.raw.toString()).toBe('Subject: one\r\n\r\nbody\r\n');
    // m2 is pending until completed; its parse ends on B, A hears of it
    await b.store.complete(b.store.get(m2.id)!, facts('two'));
    const received = await a.next((e) => e.type === 'message.received' && e.message.id === m2.id);
    expect(received).toMatchObject({ message: { subject: 'two', sizeBytes: 5 } });
    expect(a.store.get(m2.id)?.raw).toEqual(Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2e]));
    for (const { store } of [a, b]) {
      expect(store.newestFirst().map((m) => [m.seq, m.id])).toEqual([[2, m2.id], [1, m1.id]]);
      expect([store.size, store.totalBytes, store.unreadCount, store.lastSeq]).toEqual([2, 22 + 5, 2, 2]);
    }
    // another instance completing again changes nothing (first parse wins cluster-wide)
    await a.store.complete({ ...a.store.get(m2.id)!, facts: null }, facts('again'));
    expect(b.store.get(m2.id)?.facts?.subject).toBe('two');

    expect((await b.store.setRead(m1.id, true))?.read).toBe(true);
    await a.next((e) => e.type === 'message.updated' && e.message.id === m1.id && e.message.read);
    expect(a.store.unreadCount).toBe(1);
    expect((await a.store.setTags(m2.id, ['Blue', 'red', 'blue']))?.tags).toEqual(['Blue', 'red']);
    await b.next((e) => e.type === 'message.updated' && e.message.id === m2.id && e.message.tags.length === 2);
    expect(b.store.get(m2.id)?.tags).toEqual(['Blue', 'red']);
    expect(await b.store.setRead('nosuchid', true)).toBeUndefined();

    expect(await b.store.delete([m1.id, 'nosuchid'])).toBe(1);
    const deleted = await a.next((e) => e.type === 'message.deleted');
    expect(deleted).toMatchObject({ ids: [m1.id], reason: 'api' });
    expect(a.store.get(m1.id)).toBeUndefined();
    await a.store.clear();
    await b.next((e) => e.type === 'store.cleared');
    expect([b.store.size, b.store.totalBytes, b.store.lastSeq]).toEqual([0, 0, 2]);
    const m3 = await b.store.add({ envelope, raw: Buffer.from('x') });
    expect(m3.seq).toBe(3);
  });

  it('evicts the oldest of the whole cluster for the limits and tells every instance', async () => {
    const url = await server.createDatabase('eviction');
    const limits = { maxMessages: 3, maxStoreBytes: 1 << 20 };
    const [a, b] = [await instance(url, limits), await instance(url, limits)];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await (i % 2 ? b : a).store.add({ envelope, raw: Buffer.from(`m${i}`) })).id);
    for (const { store, next } of [a, b]) {
      await next((e) => e.type === 'message.deleted' && e.ids.includes(ids[1]!));
      await expect.poll(() => store.newestFirst().map((m) => m.id)).toEqual([ids[4], ids[3], ids[2]]);
    }
    const evicted = a.seen.filter((e) => e.type === 'message.deleted').flatMap((e) => (e.type === 'message.deleted' ? [[e.reason, ...e.ids]] : []));
    expect(evicted).toEqual([['evicted', ids[0]], ['evicted', ids[1]]]);
    expect(await sql<{ count: string; bytes: string }>(url, 'SELECT count, bytes FROM mailsink.totals')).toEqual([{ count: '3', bytes: '6' }]);
  });

  it('a restarted instance loads every message, byte-exact, with read state and tags', async () => {
    const url = await server.createDatabase('restart');
    const first = await instance(url);
    const raw = Buffer.from('Subject: =?UTF-8?B?w6k=?=\r\n\r\n\xe9\r\n..\r\n', 'latin1');
    const m = await first.store.add({ envelope, raw, facts: facts('é') });
    await first.store.setRead(m.id, true);
    await first.store.setTags(m.id, ['kept']);
    await first.store.close();
    const again = await instance(url);
    const loaded = again.store.get(m.id)!;
    expect(loaded.raw.equals(raw)).toBe(true);
    expect([loaded.seq, loaded.read, loaded.tags, loaded.facts?.subject, loaded.envelope]).toEqual([1, true, ['kept'], 'é', envelope]);
    expect(again.seen).toEqual([]); // messages stored before the start are not news
  });

  it('an instance that finds a gap in the change log (pruned) reloads and publishes the differences', async () => {
    const url = await server.createDatabase('gap');
    const [a, b] = [await instance(url), await instance(url)];
    const kept = await a.store.add({ envelope, raw: Buffer.from('kept'), facts: facts('kept') });
    const gone = await a.store.add({ envelope, raw: Buffer.from('gone'), facts: facts('gone') });
    await b.next((e) => e.type === 'message.received' && e.message.id === gone.id);
    // Changes 3 and 4 were made and pruned before either instance read them: a message arrived
    // (seq 3) and `gone` was deleted.
    await sql(url, `INSERT INTO mailsink.messages (seq, id, received_at, envelope, raw, size_bytes, facts, tags)
      SELECT 3, 'AAAAAAAAAAAAAAAA', received_at, envelope, '\\x6869'::bytea, 2, json_build_object('subject', 'unseen') , '[]' FROM mailsink.messages WHERE seq = 1;
      DELETE FROM mailsink.messages WHERE seq = 2;
      UPDATE mailsink.totals SET last_seq = 3, last_cseq = last_cseq + 2, bytes = bytes + 2 - 4`);
    const later = await b.store.add({ envelope, raw: Buffer.from('later'), facts: facts('later') });
    expect(later.seq).toBe(4);
    for (const { store, next } of [b, a]) {
      await next((e) => e.type === 'message.received' && e.message.id === later.id);
      expect(store.newestFirst().map((m) => [m.seq, m.raw.toString()])).toEqual([[4, 'later'], [3, 'hi'], [1, 'kept']]);
      expect([store.size, store.totalBytes, store.lastSeq]).toEqual([3, 4 + 2 + 5, 4]);
    }
    const shapes = a.seen.filter((e) => e.seq > 2).map((e) => ('ids' in e ? [e.type, e.ids] : 'message' in e ? [e.type, e.message.subject] : [e.type]));
    expect(shapes).toEqual([['message.deleted', [gone.id]], ['message.received', 'unseen'], ['message.received', 'later']]);
    expect(a.store.get(kept.id)?.raw.toString()).toBe('kept');
  });

  it('shares fault rules between instances', async () => {
    const url = await server.createDatabase('faults');
    const [a, b] = [await instance(url), await instance(url)];
    const faultsA = new FaultEngine(a.events, 1);
    const faultsB = new FaultEngine(b.events, 1);
    await a.store.attachFaults!(faultsA);
    await b.store.attachFaults!(faultsB);
    const [rule] = faultsA.add([{ stage: 'rcptTo', reply: { code: 550 }, match: { rcptTo: 'bad@*' } }]);
    await b.next((e) => e.type === 'faults.changed' && e.rules.length === 1);
    expect(faultsB.list().map((r) => [r.id, r.stage, r.reply?.code])).toEqual([[rule!.id, 'rcptTo', 550]]);
    expect(faultsB.evaluate('rcptTo', { remoteAddress: '127.0.0.1', authUser: null, mailFrom: 'x@y', rcptTo: ['bad@example.org'] })?.reply?.code).toBe(550);
    faultsB.clear();
    await a.next((e) => e.type === 'faults.changed' && e.rules.length === 0);
    expect(faultsA.list()).toEqual([]);
  });

  it('shares PUT (update), PATCH (enabled) and reorder of fault rules; hit counts stay per instance', async () => {
    const url = await server.createDatabase('faults_edit');
    const [a, b] = [await instance(url), await instance(url)];
    const faultsA = new FaultEngine(a.events, 1);
    const faultsB = new FaultEngine(b.events, 1);
    await a.store.attachFaults!(faultsA);
    await b.store.attachFaults!(faultsB);
    const context = { remoteAddress: '127.0.0.1', authUser: null, mailFrom: 'x@y', rcptTo: ['bad@example.org'] };
    const [first, second] = faultsA.add([
      { stage: 'rcptTo', reply: { code: 550 }, match: { rcptTo: 'bad@*' } },
      { stage: 'rcptTo', reply: { code: 554 }, match: { rcptTo: '*@example.org' } },
    ]) as [FaultRule, FaultRule];
    await b.next((e) => e.type === 'faults.changed' && e.rules.length === 2);

    faultsA.update(first.id, { stage: 'rcptTo', reply: { code: 451 }, match: { rcptTo: 'bad@*' } });
    await b.next((e) => e.type === 'faults.changed' && e.rules[0]?.reply?.code === 451);
    expect(faultsB.evaluate('rcptTo', context)?.reply?.code).toBe(451);

    faultsB.setEnabled(first.id, false);
    await a.next((e) => e.type === 'faults.changed' && e.rules[0]?.enabled === false);
    expect(faultsA.list().map((r) => [r.id, r.enabled, r.description])).toEqual([[first.id, false, 'rcptTo matching bad@* → 451, disabled'], [second.id, true, 'rcptTo matching *@example.org → 554']]);
    expect(faultsA.evaluate('rcptTo', context)?.reply?.code).toBe(554);

    faultsA.reorder([second.id, first.id]);
    await b.next((e) => e.type === 'faults.changed' && e.rules[0]?.id === second.id);
    expect(faultsB.list().map((r) => [r.id, r.enabled, r.hits])).toEqual([[second.id, true, 0], [first.id, false, 1]]);
    expect(faultsA.list().map((r) => [r.id, r.hits])).toEqual([[second.id, 1], [first.id, 0]]);
  });
});
