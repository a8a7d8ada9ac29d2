/**
 * The one place that knows the store engines: `--storage` (env `MAILSINK_STORAGE`) picks one.
 *
 * - `memory` (default): {@link MessageStore}, this process only, gone on exit.
 * - `sqlite:PATH`: one file (better-sqlite3), survives restarts; one instance at a time.
 * - `postgres://user:pass@host:port/db` (or `postgresql://`): several instances share one database;
 *   events between instances go through PostgreSQL `LISTEN/NOTIFY`.
 */
import type { EventBus } from '../core/events.js';
import { MessageStore } from '../core/store.js';
import type { Store, StoreLimits } from '../core/store.js';

/** A parsed `--storage` value. */
export type StorageSpec = { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/**
 * Thrown when a store cannot be opened at start: a file that is not mailsink's, a schema newer than
 * this version, a wrong URL or password, an unreachable server. `message` is one line that names
 * the option (`--storage: …`); the CLI prints it and exits 1. Nothing was written.
 */
export class StorageOpenError extends Error {
  override readonly name = 'StorageOpenError';
}

/**
 * Parses a `--storage` value.
 * @throws StorageOpenError naming `--storage` for anything else.
 */
export function parseStorageSpec(value: string): StorageSpec {
  const text = value.trim();
  if (text === '' || text === 'memory') return { kind: 'memory' };
  if (text.startsWith('sqlite:')) {
    const file = text.slice('sqlite:'.length);
    if (file === '') throw new StorageOpenError(`--storage: "sqlite:" needs a file path, e.g. sqlite:./mail.db`);
    return { kind: 'sqlite', path: file };
  }
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new StorageOpenError(`--storage: "${redactUrl(text)}" is not a valid PostgreSQL URL (postgres://user:pass@host:port/db)`);
    }
    return { kind: 'postgres', url: text };
  }
  throw new StorageOpenError(`--storage: "${redactUrl(text)}" is not memory, sqlite:PATH or a postgres:// URL`);
}

/** A URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** Options every engine takes. */
export interface OpenStoreOptions {
  limits: StoreLimits;
  events: EventBus;
  /** One-line logger for reconnects and migrations (scope `store`). */
  log?: { info(message: string): void; warn(message: string): void };
}

/**
 * Opens the engine a spec names, creating or migrating its schema.
 * @throws StorageOpenError (one line naming `--storage`) when it cannot be opened; nothing is written then.
 */
export async function openStore(spec: StorageSpec, options: OpenStoreOptions): Promise<Store> {
  switch (spec.kind) {
    case 'memory':
      return new MessageStore(options.limits, options.events);
    case 'sqlite': {
      const { openSqliteStore } = await import('./sqlite.js');
      return openSqliteStore(spec.path, options);
    }
    case 'postgres': {
      const { openPostgresStore } = await import('./postgres.js');
      return openPostgresStore(spec.url, options);
    }
  }
}
