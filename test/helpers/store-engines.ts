/**
 * Every store engine, as factories the contract suite (`test/unit/storage-contract.test.ts`) runs
 * the same assertions over. An engine branch adds its factory to {@link useStoreEngines}' list.
 * Stores a test opens are closed, and their files removed, after the file's tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { EventBus } from '../../server/core/events.js';
import { MessageStore } from '../../server/core/store.js';
import type { Store, StoreLimits } from '../../server/core/store.js';
import { openPostgresStore } from '../../server/storage/postgres.js';
import { openSqliteStore } from '../../server/storage/sqlite.js';
import { startPostgres } from './postgres.js';
import type { TestPostgres } from './postgres.js';

/** One engine under test. */
export interface StoreEngine {
  name: string;
  /** A new, empty store. */
  open(limits: StoreLimits, events: EventBus): Promise<Store>;
  /**
   * Closes `store` and opens the same data again, as a restart does (persistent engines only).
   * Resolves to the reopened store.
   */
  reopen?(store: Store, limits: StoreLimits, events: EventBus): Promise<Store>;
}

/** The engines, with cleanup registered for the calling test file. */
export function useStoreEngines(): StoreEngine[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-engines-'));
  const open = new Set<Store>();
  const files = new Map<Store, string>();
  let counter = 0;
  const track = (store: Store) => (open.add(store), store);
  // PostgreSQL (test/helpers/postgres.ts) starts with the first postgres store a file opens.
  let postgres: Promise<TestPostgres> | undefined;
  afterAll(async () => {
    for (const store of open) await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (postgres) await (await postgres).close();
  });
  const postgresAt = async (url: string, limits: StoreLimits, events: EventBus) => {
    const store = track(await openPostgresStore(url, { limits, events }));
    files.set(store, url);
    return store;
  };

  const sqliteAt = async (file: string, limits: StoreLimits, events: EventBus) => {
    const store = track(await openSqliteStore(file, { limits, events }));
    files.set(store, file);
    return store;
  };
  return [
    { name: 'memory', open: async (limits, events) => track(new MessageStore(limits, events)) },
    {
      name: 'sqlite',
      open: (limits, events) => sqliteAt(path.join(dir, `store-${++counter}.db`), limits, events),
      reopen: async (store, limits, events) => {
        const file = files.get(store);
        if (!file) throw new Error('reopen: not a store this factory opened');
        await store.close();
        open.delete(store);
        return sqliteAt(file, limits, events);
      },
    },
    {
      name: 'postgres',
      open: async (limits, events) => {
        postgres ??= startPostgres();
        return postgresAt(await (await postgres).createDatabase(`store_${++counter}`), limits, events);
      },
      reopen: async (store, limits, events) => {
        const url = files.get(store);
        if (!url) throw new Error('reopen: not a store this factory opened');
        await store.close();
        open.delete(store);
        return postgresAt(url, limits, events);
      },
    },
  ];
}
