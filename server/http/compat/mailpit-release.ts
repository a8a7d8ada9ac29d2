/**
 * Mailpit API v1 release (server/apiv1/release.go `ReleaseMessage`): `POST /api/v1/message/{ID}/release`
 * with `{"To": ["a@example.org"]}` queues the message for mailsink's relay (`--relay-url`) and
 * answers once the first attempt ended, keeping Mailpit's contract (it sends once and answers with
 * the outcome): `200 ok` (text/plain) only when delivered; `400` plain text as Mailpit's: `Invalid
 * email address: …`, `No valid addresses found`, `SMTP error: …` for a 5xx reply, and also for a 4xx
 * or no answer (mailsink still retries in the background: the text then names
 * `GET /api/messages/{id}/delivery`), or without `--relay-url`; `404 page not found`. Unlike Mailpit the bytes go out unchanged
 * (Mailpit rewrites `Date` and `Message-ID` and drops `Bcc`), `MAIL FROM` is the envelope sender, and
 * `--relay-allow`/`--relay-deny` apply to auto-relay only.
 */
import { Router } from 'express';
import { ApiError } from '../errors.js';
import { releaseOrThrow } from '../relay-routes.js';
import type { CompatDeps } from './deps.js';
import { mailpitFind } from './mailpit-link-check.js';
import { objectBody, ok } from './mailpit-messages.js';

/** `POST /api/v1/message/:id/release`. */
export function mailpitReleaseRouter(deps: CompatDeps): Router {
  const router = Router();
  router.post('/api/v1/message/:id/release', async (req, res) => {
    const message = await mailpitFind(deps, req);
    const to = recipients(req.body);
    const relay = deps.relay;
    if (!relay) throw new ApiError(400, 'relay_not_configured', 'SMTP error: relaying is off: start mailsink with --relay-url smtp://host:port');
    let delivery;
    try {
      delivery = releaseOrThrow(relay, message, to);
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(400, err.code, `SMTP error: ${err.message}`);
      throw err;
    }
    const after = await relay.afterAttempts(delivery.messageId, 1);
    const last = after.attempts.at(-1);
    if (after.state === 'delivered') return ok(res);
    const why = last?.reply ?? last?.error ?? after.endReason ?? 'failed';
    const retrying = after.state === 'retrying' ? ` (mailsink retries it: GET /api/messages/${after.messageId}/delivery)` : '';
    throw new ApiError(400, 'release_failed', `SMTP error: ${why}${retrying}`);
  });
  return router;
}

/** The `To` list (key matched without case, as Go's JSON decoding does). */
function recipients(body: unknown): string[] {
  const entry = Object.entries(objectBody(body)).find(([key]) => key.toLowerCase() === 'to');
  const list: unknown = entry?.[1] ?? [];
  if (!Array.isArray(list)) throw new ApiError(400, 'invalid_request', 'json: cannot unmarshal To into []string', 'To');
  for (const to of list) {
    if (typeof to !== 'string' || !/^[^\s<>@]+@[^\s<>@]+$/.test(to.trim())) throw new ApiError(400, 'invalid_request', `Invalid email address: ${String(to)}`, 'To');
  }
  if (list.length === 0) throw new ApiError(400, 'invalid_request', 'No valid addresses found', 'To');
  return list.map((to: string) => to.trim());
}
