/**
 * WaitRegistry (server/core/waiters.ts) while time passes, on fake timers: idle waits never look at
 * the store again (no polling), an arrival wakes only the wait it matches, and each wait times out
 * exactly at its `timeoutMs` with what matched so far.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { MessageParsing } from '../../server/core/message-parsing.js';
import { factsOf, parseMessage } from '../../server/core/parse.js';
import type { ParsePool } from '../../server/core/parse-pool.js';
import { compileQuery } from '../../server/core/query.js';
import { MessageStore } from '../../server/core/store.js';
import { WaitRegistry } from '../../server/core/waiters.js';
import type { WaitOutcome } from '../../server/core/waiters.js';

/** Parses inline, at once. */
const pool: ParsePool = {
  workers: 0,
  facts: async (raw) => factsOf(await parseMessage(raw)),
  parse: (raw) => parseMessage(raw),
  extract: async () => null,
  close: async () => undefined,
};

function setup() {
  const events = new EventBus();
  const store = new MessageStore({ maxMessages: 100, maxStoreBytes: 1e9 }, events);
  const parsing = new MessageParsing(pool, store, events);
  const waiters = new WaitRegistry(store, events, parsing);
  /** Stores a message to `to` and resolves once its facts are known (its `message.received` is out). */
  const deliver = async (to: string, subject: string) => {
    const envelope: Envelope = { mailFrom: 'app@example.test', rcptTo: [to], mailParams: {}, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };
    const message = store.add({ envelope, raw: Buffer.from(`Subject: ${subject}\r\nTo: ${to}\r\n\r\nbody\r\n`) });
    parsing.admit(message);
    await parsing.ready([message]);
    return message;
  };
  return { store, waiters, deliver };
}

describe('WaitRegistry over time', () => {
  // Only the clock is fake: the parser's streams keep their real nextTick and setImmediate.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('150 idle waits: no look at the store while a minute passes, one arrival wakes only its wait, the rest time out at 60 s', async () => {
    const { store, waiters, deliver } = setup();
    await deliver('idle3@example.test', 'before the waits'); // stored before: after = 1 skips it
    const scans = vi.spyOn(store, 'since');
    const outcomes: (WaitOutcome | undefined)[] = Array.from({ length: 150 }, () => undefined);
    const waits = Array.from({ length: 150 }, (_, i) =>
      waiters.wait({ query: compileQuery(`mailbox:idle${i}@example.test`), after: 1, count: 1, timeoutMs: 60_000 }).then((outcome) => (outcomes[i] = outcome)),
    );
    expect(scans).toHaveBeenCalledTimes(150); // one look each, when it starts
    expect(waiters.size).toBe(150);

    await vi.advanceTimersByTimeAsync(59_000);
    expect(scans).toHaveBeenCalledTimes(150);
    expect(outcomes.filter(Boolean)).toEqual([]);

    const arrival = await deliver('idle77@example.test', 'for 77');
    await waits[77];
    expect(outcomes[77]).toEqual({ kind: 'matched', messages: [arrival] });
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(waiters.size).toBe(149);
    expect(scans).toHaveBeenCalledTimes(150); // matched from its event alone

    await vi.advanceTimersByTimeAsync(999);
    expect(waiters.size).toBe(149);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(waits);
    expect(waiters.size).toBe(0);
    expect(outcomes.filter((o) => o?.kind === 'timeout')).toHaveLength(149);
    expect(outcomes[3]).toEqual({ kind: 'timeout', messages: [] });
    expect(scans).toHaveBeenCalledTimes(150);
  });

  it('a timeout returns the matches so far, oldest first', async () => {
    const { waiters, deliver } = setup();
    const waiting = waiters.wait({ query: compileQuery('mailbox:batch@example.test'), after: 0, count: 3, timeoutMs: 5_000 });
    const one = await deliver('batch@example.test', 'one');
    await deliver('other@example.test', 'noise');
    const two = await deliver('batch@example.test', 'two');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(waiters.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waiting).toEqual({ kind: 'timeout', messages: [one, two] });
  });
});
