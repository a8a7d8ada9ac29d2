/** Placeholder: the postgres engine is being built (issue 13). */
import type { Store } from '../core/store.js';
import type { OpenStoreOptions } from './index.js';
import { StorageOpenError } from './index.js';

export async function openPostgresStore(_target: string, _options: OpenStoreOptions): Promise<Store> {
  throw new StorageOpenError('--storage: the postgres engine is not built yet');
}
