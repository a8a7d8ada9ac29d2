/**
 * `GET /api/messages/wait` (long-poll for the next matching messages) and `GET /api/messages/cursor`.
 * Mounted on `/api/messages` before the message routes, so `wait` and `cursor` are never taken
 * for an `:id`.
 */
import { Router } from 'express';
import type { Cursor, WaitResult } from '../contract.js';
import type { Store } from '../core/store.js';
import type { WaitRegistry } from '../core/waiters.js';
import { toSummary } from '../core/views.js';
import { ApiError, parseInput } from './errors.js';
import { compileQueryParam } from './messages-routes.js';
import { waitQuery } from './schemas.js';

/**
 * The wait routes. A wait answers as soon as `count` messages with `seq > after` match `query`
 * (oldest first), `408 wait_timeout` after `timeoutMs` naming the query and how many matched, and
 * is forgotten when the client hangs up. When the sink stops, pending waits get `503`.
 */
export function waitRouter(store: Store, waiters: WaitRegistry): Router {
  const router = Router();

  router.get('/wait', async (req, res) => {
    const { query, after, count, timeoutMs } = parseInput(waitQuery, req.query, 'query');
    const compiled = compileQueryParam(query);
    const hangUp = new AbortController();
    res.on('close', () => hangUp.abort());
    const outcome = await waiters.wait({ query: compiled, after, count, timeoutMs, signal: hangUp.signal });
    if (outcome.kind === 'cancelled') {
      if (hangUp.signal.aborted) return;
      throw new ApiError(503, 'shutting_down', 'the sink is stopping');
    }
    if (outcome.kind === 'timeout') {
      const matched = outcome.messages.length;
      const noun = count === 1 ? 'message' : 'messages';
      const what = query.trim() === '' ? `${noun} of any kind` : `${noun} matching ${JSON.stringify(query)}`;
      const message = `timed out after ${timeoutMs} ms waiting for ${count} ${what} with seq > ${after}: ${matched} of ${count} matched`;
      throw new ApiError(408, 'wait_timeout', message, undefined, { query, after, count, matched, timeoutMs });
    }
    const messages = outcome.messages.map(toSummary);
    const body: WaitResult = { cursor: messages.at(-1)?.seq ?? after, count: messages.length, messages };
    res.json(body);
  });

  router.get('/cursor', (_req, res) => {
    const body: Cursor = { cursor: store.lastSeq };
    res.json(body);
  });

  return router;
}
