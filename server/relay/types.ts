/**
 * Shapes of outbound delivery (relay) (`POST /api/messages/:id/release`, `GET /api/messages/:id/delivery`,
 * `GET /api/relay` and the `message.delivery` event), JSON-safe and shared with the inbox through
 * `contract.ts` (type-only). Times are ISO 8601 UTC strings; durations are in milliseconds.
 */

/** Where a delivery stands: waiting for its first attempt, waiting to try again, or ended. */
export type DeliveryState = 'queued' | 'retrying' | 'delivered' | 'failed';

/** One SMTP session with the upstream (RFC 5321). */
export interface DeliveryAttempt {
  /** 1-based. */
  number: number;
  /** ISO 8601 UTC, start of the attempt. */
  time: string;
  durationMs: number;
  /** Reply code of the reply that decided (`null`: no reply, e.g. `ECONNREFUSED`). */
  code: number | null;
  /** That reply's text as sent, e.g. `"421 4.3.2 Try again later"`. */
  reply: string | null;
  /** `ECONNREFUSED`, `ETIMEDOUT`, TLS errors … (`null` when a reply decided). */
  error: string | null;
  outcome: 'delivered' | 'retry' | 'failed';
  /** The session's lines; AUTH secrets masked (`AUTH PLAIN ***`). */
  transcript: { direction: 'client' | 'server' | 'note'; text: string }[];
}

/** The delivery of one message to the upstream, with every attempt so far. */
export interface Delivery {
  messageId: string;
  state: DeliveryState;
  reason: 'release' | 'auto-relay';
  /** `''` for `<>`. */
  mailFrom: string;
  rcptTo: string[];
  /** e.g. `"smtp://relay.example:587"` — never credentials. */
  upstream: string;
  /** ISO 8601 UTC. */
  queuedAt: string;
  /** When the next attempt starts (state `queued`/`retrying`), else `null`. */
  nextAttemptAt: string | null;
  attempts: DeliveryAttempt[];
}
