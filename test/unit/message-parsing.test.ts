/**
 * MessageParsing (server/core/message-parsing.ts): facts after the ack, handed over in arrival
 * order; readers wait for them; full parses cached within bounds; bare-word queries parse bodies
 * only where the headers leave the answer open. A scripted pool decides when each parse ends.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope, SinkEvent } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { MessageParsing } from '../../server/core/message-parsing.js';
import { factsOf, parseMessage } from '../../server/core/parse.js';
import type { MessageFacts, ParseResult } from '../../server/core/parse.js';
import type { ParsePool } from '../../server/core/parse-pool.js';
import { compileQuery } from '../../server/core/query.js';
import { MessageStore } from '../../server/core/store.js';

const envelope: Envelope = { mailFrom: 'a@example.com', rcptTo: ['b@example.org'], mailParams: {}, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };

const eml = (subject: string, body: string) => Buffer.from(`From: Ann <ann@example.com>\r\nTo: b@example.org\r\nSubject: ${subject}\r\n\r\n${body}\r\n`);

/**
 * Lets every promise already chained on settled work run: a macrotask turn comes only after the
 * microtask queue is empty, and nothing here waits on I/O. Not a sleep: it waits for no clock.
 */
const drained = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A pool whose parses end when the test says so (`finish`), or at once with `immediate`. */
function scriptedPool(immediate = false) {
  const held: { raw: Buffer; release: () => void; done: Promise<unknown> }[] = [];
  const calls = { facts: 0, parse: 0 };
  const later = <T>(raw: Buffer, work: () => Promise<T>): Promise<T> => {
    if (immediate) return work();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve)).then(work);
    held.push({ raw, release, done });
    return done;
  };
  const pool: ParsePool = {
    workers: 0,
    facts: (raw) => {
      calls.facts += 1;
      return later<MessageFacts>(raw, async () => factsOf(await parseMessage(raw)));
    },
    parse: (raw) => {
      calls.parse += 1;
      return later<ParseResult>(raw, () => parseMessage(raw));
    },
    extract: async () => null,
    close: async () => undefined,
  };
  /** Ends the held parse of the message whose raw contains `marker`; resolves once that parse and all chained on it ran. */
  const finish = async (marker: string) => {
    const index = held.findIndex((h) => h.raw.includes(marker));
    expect(index).toBeGreaterThanOrEqual(0);
    const [entry] = held.splice(index, 1);
    entry!.release();
    await entry!.done;
    await drained();
  };
  return { pool, calls, finish };
}

function setup(pool: ParsePool, limits?: { maxEntries: number; maxBytes: number }) {
  const events = new EventBus();
  const seen: SinkEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const store = new MessageStore({ maxMessages: 100, maxStoreBytes: 1e9 }, events);
  const parsing = new MessageParsing(pool, store, events, limits);
  const add = (subject: string, body = 'body') => {
    const message = store.add({ envelope, raw: eml(subject, body) });
    parsing.admit(message);
    return message;
  };
  return { store, parsing, seen, add };
}

describe('MessageParsing', () => {
  it('announces messages in arrival order, even when a later parse ends first', async () => {
    const { pool, finish } = scriptedPool();
    const { parsing, seen, add } = setup(pool);
    const first = add('first');
    const second = add('second');
    expect(parsing.pendingCount).toBe(2);
    await finish('second');
    expect(second.facts).toBeNull(); // held back behind the first
    expect(seen).toEqual([]);
    await finish('first');
    expect(seen.map((e) => e.type === 'message.received' && e.message.subject)).toEqual(['first', 'second']);
    expect(first.facts?.subject).toBe('first');
    expect(second.facts).toMatchObject({ subject: 'second', from: [{ name: 'Ann', address: 'ann@example.com' }], snippet: 'body', parseError: null });
    expect(parsing.pendingCount).toBe(0);
  });

  it('a message admitted with facts already known is not parsed again, but still waits its turn', async () => {
    const { pool, calls, finish } = scriptedPool();
    const { store, parsing, seen, add } = setup(pool);
    add('parsed later');
    const imported = store.add({ envelope, raw: eml('imported', 'x') });
    parsing.admit(imported, factsOf(await parseMessage(imported.raw)));
    await drained();
    expect(seen).toEqual([]);
    await finish('parsed later');
    expect(seen.map((e) => e.type === 'message.received' && e.message.subject)).toEqual(['parsed later', 'imported']);
    expect(calls.facts).toBe(1);
  });

  it('ready() and settled() resolve only once the facts are there', async () => {
    const { pool, finish } = scriptedPool();
    const { parsing, add } = setup(pool);
    const message = add('wait for me');
    let ready = false;
    const readyPromise = parsing.ready([message]).then(() => (ready = true));
    let settled = false;
    const settledPromise = parsing.settled().then(() => (settled = true));
    await drained();
    expect([ready, settled]).toEqual([false, false]);
    await finish('wait for me');
    await Promise.all([readyPromise, settledPromise]);
    expect(message.facts?.subject).toBe('wait for me');
  });

  it('keeps full parses in a cache bounded by entries, and forgets deleted messages', async () => {
    const { pool, calls } = scriptedPool(true);
    const { store, parsing, add } = setup(pool, { maxEntries: 2, maxBytes: 1e9 });
    const [a, b, c] = [add('a', 'alpha text'), add('b'), add('c')];
    await parsing.settled();
    expect((await parsing.parsed(a)).parsed?.text).toBe('alpha text\n');
    await parsing.parsed(a);
    expect(calls.parse).toBe(1);
    await parsing.parsed(b);
    await parsing.parsed(c); // a is now the least recently used of three: dropped
    await parsing.parsed(a);
    expect(calls.parse).toBe(4);
    store.delete([a.id]);
    await parsing.parsed(a); // a deleted message's parse is not kept
    expect(calls.parse).toBe(5);
  });

  it('a bare word parses bodies only for messages the headers do not decide', async () => {
    const { pool, calls } = scriptedPool(true);
    const { store, parsing, add } = setup(pool);
    add('kiwi in the subject', 'nothing here');
    add('plain', 'a kiwi in the body');
    add('other', 'no fruit');
    await parsing.settled();
    const subjects = async (query: string) => (await parsing.filter(store.newestFirst(), compileQuery(query))).map((m) => m.facts?.subject);
    expect(await subjects('kiwi')).toEqual(['plain', 'kiwi in the subject']);
    expect(calls.parse).toBe(2); // "plain" and "other"; the subject match needed no body
    expect(await subjects('subject:kiwi')).toEqual(['kiwi in the subject']);
    expect(await subjects('-kiwi')).toEqual(['other']);
    expect(calls.parse).toBe(4); // subject:kiwi needs no body; -kiwi parses the two open ones again (scans are not cached)
  });
});
