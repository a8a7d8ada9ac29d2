/**
 * The relay's REST routes: `POST /api/messages/:id/release` (queue a delivery to `--relay-url`;
 * `202` with the delivery), `GET /api/messages/:id/delivery` and `GET /api/relay` (upstream without
 * secrets, queue counts, recent outcomes). `:id` may be `latest`.
 */
import { Router } from 'express';
import type { Request } from 'express';
import type { Store, StoredMessage } from '../core/store.js';
import { RelayError } from '../relay/queue.js';
import type { RelayService } from '../relay/service.js';
import type { RelayStatus } from '../relay/types.js';
import { ApiError, parseInput } from './errors.js';
import { releaseBody } from './relay-schemas.js';
import { messageFromParams } from './message-param.js';

/** `GET /api/relay` of an app built without a relay (only in tests of the app alone). */
const NO_RELAY: RelayStatus = { upstream: null, allow: [], deny: [], retry: { initialMs: 30_000, maxAttempts: 5, maxAgeMs: 3_600_000 }, queue: { queued: 0, retrying: 0 }, recent: [] };

/** Routes mounted at `/api`. */
export function relayRouter(store: Store, relay: RelayService | null): Router {
  const router = Router();
  const find = (req: Request): StoredMessage => messageFromParams(store, req);
  router.post('/messages/:id/release', (req, res) => {
    const message = find(req);
    const { to } = parseInput(releaseBody, req.body ?? {}, 'body');
    if (!relay) throw new ApiError(409, 'relay_not_configured', 'relaying is off: start mailsink with --relay-url smtp://host:port');
    res.status(202).json(releaseOrThrow(relay, message, to));
  });
  router.get('/messages/:id/delivery', (req, res) => {
    const message = find(req);
    const delivery = relay?.delivery(message.id);
    if (!delivery) throw new ApiError(404, 'no_delivery', `message ${message.id} was never released or relayed`, 'id');
    res.json(delivery);
  });
  router.get('/relay', (_req, res) => void res.json(relay?.status() ?? NO_RELAY));
  return router;
}

/**
 * Queues a release, mapping the relay's refusals to API errors.
 * @throws ApiError 409 `relay_not_configured` or `delivery_in_progress`.
 */
export function releaseOrThrow(relay: RelayService, message: StoredMessage, to?: readonly string[]) {
  try {
    return relay.release(message, to);
  } catch (err) {
    if (err instanceof RelayError) throw new ApiError(409, err.code, err.message);
    throw err;
  }
}
