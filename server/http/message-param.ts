/** The stored message a route's `:id` path parameter names (`latest` for the newest). */
import type { Request } from 'express';
import type { Store, StoredMessage } from '../core/store.js';
import { ApiError, parseInput } from './errors.js';
import { idParams } from './schemas.js';

/**
 * Reads `req.params.id` and returns that message from `store`.
 * @throws ApiError 400 naming `id` when it is malformed; 404 `not_found` when no such message is stored.
 */
export function messageFromParams(store: Store, req: Request): StoredMessage {
  const { id } = parseInput(idParams, req.params, 'path');
  const message = id === 'latest' ? store.latest() : store.get(id);
  if (!message) throw new ApiError(404, 'not_found', id === 'latest' ? 'no messages stored' : `no message with id "${id}"`, 'id');
  return message;
}
