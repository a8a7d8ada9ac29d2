/** Placeholder: the sqlite engine is being built (issue 13). */
import type { Store } from '../core/store.js';
import type { OpenStoreOptions } from './index.js';
import { StorageOpenError } from './index.js';

export async function openSqliteStore(_target: string, _options: OpenStoreOptions): Promise<Store> {
  throw new StorageOpenError('--storage: the sqlite engine is not built yet');
}
