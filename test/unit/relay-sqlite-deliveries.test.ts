/**
 * The SQLite delivery store (`deliveries`, schema v3): a record comes back as put (raw bytes
 * exact), active ones in change order, ended ones newest first and pruned beyond the cap (active
 * ones never), and everything is there after the store is closed and the file opened again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../server/core/events.js';
import type { Delivery } from '../../server/relay/types.js';
import { SqliteDeliveryStore } from '../../server/storage/sqlite-deliveries.js';
import { openSqliteStore } from '../../server/storage/sqlite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-deliveries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const limits = { maxMessages: 10, maxStoreBytes: 1_000_000 };

function delivery(messageId: string, state: Delivery['state']): Delivery {
  const active = state === 'queued' || state === 'retrying';
  return { messageId, state, reason: 'release', mailFrom: '', rcptTo: ['a@example.net'], upstream: 'smtp://127.0.0.1:2525', queuedAt: '2026-12-04T10:00:00.000Z', nextAttemptAt: active ? '2026-12-04T10:00:01.000Z' : null, endReason: state === 'failed' ? 'reply' : null, attempts: [] };
}

describe('sqlite delivery store', () => {
  it('keeps records across a reopen, lists active ones in change order and prunes ended ones beyond the cap', async () => {
    const file = path.join(dir, 'mail.db');
    await (await openSqliteStore(file, { limits, events: new EventBus() })).close(); // creates the file at the current schema
    const db = new Database(file);
    const raw = Buffer.from([0, 0x0d, 0x0a, 0xff, 0x2e]);
    const deliveries = new SqliteDeliveryStore(db, 2);
    for (const [id, state] of [['A', 'retrying'], ['B', 'delivered'], ['C', 'queued'], ['D', 'failed'], ['E', 'delivered']] as const) deliveries.put({ delivery: delivery(id, state), raw });
    deliveries.put({ delivery: delivery('A', 'retrying'), raw }); // a change moves it last
    expect(deliveries.active().map((r) => r.delivery.messageId)).toEqual(['C', 'A']);
    expect(deliveries.recent(10).map((d) => d.messageId)).toEqual(['E', 'D']); // B pruned: 2 ended kept
    expect(deliveries.get('B')).toBeUndefined();
    expect(deliveries.get('A')).toEqual({ delivery: delivery('A', 'retrying'), raw });
    db.close();

    const again = await openSqliteStore(file, { limits, events: new EventBus() });
    const reopened = await again.openDeliveries!();
    expect(reopened.active().map((r) => [r.delivery, r.raw.equals(raw)])).toEqual([[delivery('C', 'queued'), true], [delivery('A', 'retrying'), true]]);
    expect(reopened.recent(1)).toEqual([delivery('E', 'delivered')]);
    await again.close();
  });
});
