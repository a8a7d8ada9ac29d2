/** The inbox's delivery helpers (ui/src/delivery.ts): newest snapshot wins, typed recipients, the event feed. */
import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryAttempt } from '../../server/contract.js';
import { createDeliveryFeed, isDeliveryPending, isNewerDelivery, parseRecipients } from '../../ui/src/delivery.js';

function attempt(number: number, outcome: DeliveryAttempt['outcome']): DeliveryAttempt {
  const code = outcome === 'retry' ? 421 : outcome === 'failed' ? 550 : 250;
  return { number, time: '2026-12-04T10:00:00.000Z', durationMs: 5, code, reply: `${code} x`, error: null, outcome, refused: [], transcript: [] };
}

function delivery(state: Delivery['state'], attempts: DeliveryAttempt[], queuedAt = '2026-12-04T10:00:00.000Z'): Delivery {
  const pending = state === 'queued' || state === 'retrying';
  return {
    messageId: 'm1', state, reason: 'release', mailFrom: 'app@example.com', rcptTo: ['dev@example.org'],
    upstream: 'smtp://127.0.0.1:2525', queuedAt, nextAttemptAt: pending ? '2026-12-04T10:00:30.000Z' : null,
    endReason: state === 'failed' ? 'reply' : null, attempts,
  };
}

describe('inbox delivery helpers', () => {
  const queued = delivery('queued', []);
  const retrying = delivery('retrying', [attempt(1, 'retry')]);
  const delivered = delivery('delivered', [attempt(1, 'retry'), attempt(2, 'delivered')]);

  it('keeps the newest snapshot whatever order the POST answer, the GET and the events arrive in', () => {
    expect(isNewerDelivery(queued, null)).toBe(true);
    expect(isNewerDelivery(retrying, queued)).toBe(true);
    expect(isNewerDelivery(queued, retrying)).toBe(false); // the 202 arriving after the first attempt's event
    expect(isNewerDelivery(delivered, retrying)).toBe(true);
    expect(isNewerDelivery(retrying, delivered)).toBe(false);
    // Same attempts: an ended state beats a waiting one, never the other way round.
    const failedAfterOne = delivery('failed', [attempt(1, 'failed')]);
    expect(isNewerDelivery(failedAfterOne, retrying)).toBe(true);
    expect(isNewerDelivery(retrying, failedAfterOne)).toBe(false);
    // A new release after the last one ended starts over with no attempts, and is newer.
    const again = delivery('queued', [], '2026-12-04T10:05:00.000Z');
    expect(isNewerDelivery(again, delivered)).toBe(true);
    expect(isNewerDelivery(delivered, again)).toBe(false);
  });

  it('tells waiting deliveries from ended ones', () => {
    expect([queued, retrying, delivered, delivery('failed', [attempt(1, 'failed')])].map(isDeliveryPending)).toEqual([true, true, false, false]);
  });

  it('splits typed recipients on commas, semicolons and line breaks, dropping blanks', () => {
    expect(parseRecipients(' a@example.org, b@example.org\n\nc@example.org;d@example.org ,\r\n')).toEqual(['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org']);
    expect(parseRecipients(' ,\n ')).toEqual([]);
  });

  it('hands each published delivery and resync to every subscriber until it unsubscribes', () => {
    const feed = createDeliveryFeed();
    const seen: (string | 'resync')[] = [];
    const other: (string | 'resync')[] = [];
    const stop = feed.subscribe((update) => seen.push(update === 'resync' ? update : update.state));
    feed.subscribe((update) => other.push(update === 'resync' ? update : update.state));
    feed.publish(queued);
    feed.resync();
    stop();
    feed.publish(delivered);
    expect(seen).toEqual(['queued', 'resync']);
    expect(other).toEqual(['queued', 'resync', 'delivered']);
  });
});
