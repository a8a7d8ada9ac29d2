/**
 * Wire shapes of the outbound relay (issue 17): one {@link Delivery} per message, its attempts, and
 * the `GET /api/relay` status. JSON-safe; `contract.ts` re-exports them for the UI.
 */

/** `queued`: waiting for its first attempt; `retrying`: an attempt got 4xx or no answer, another is due; `delivered`/`failed`: ended. */
export type DeliveryState = 'queued' | 'retrying' | 'delivered' | 'failed';

/** One line of an outbound SMTP session; AUTH secrets are masked (`AUTH PLAIN ***`). */
export interface DeliveryTranscriptLine {
  direction: 'client' | 'server' | 'note';
  text: string;
}

/** A recipient the upstream refused at `RCPT TO` in one attempt. */
export interface RefusedRecipient {
  recipient: string;
  /** The reply's code, e.g. `550`. */
  code: number | null;
  /** The reply as sent, e.g. `550 5.1.1 No such user`. */
  reply: string;
}

/** One SMTP session towards the upstream. */
export interface DeliveryAttempt {
  /** 1-based. */
  number: number;
  /** ISO 8601 UTC, start of the attempt. */
  time: string;
  durationMs: number;
  /** Reply code of the reply that decided (`null`: no reply, e.g. `ECONNREFUSED`). */
  code: number | null;
  /** That reply's text as sent, e.g. `421 4.3.2 Try again later`. */
  reply: string | null;
  /** `ECONNREFUSED`, `ETIMEDOUT`, TLS errors … (`null` when a reply decided). */
  error: string | null;
  outcome: 'delivered' | 'retry' | 'failed';
  /**
   * Recipients refused at `RCPT TO` in this session (empty when all were accepted). With at least one
   * accepted the message went to those and the attempt is `delivered`; the refused ones are not retried.
   */
  refused: RefusedRecipient[];
  transcript: DeliveryTranscriptLine[];
}

/** The delivery of one message to the upstream (a message has at most one at a time). */
export interface Delivery {
  messageId: string;
  state: DeliveryState;
  reason: 'release' | 'auto-relay';
  /** `MAIL FROM` reverse-path; `''` for `<>`. */
  mailFrom: string;
  rcptTo: string[];
  /** e.g. `smtp://relay.example:587`: never credentials. */
  upstream: string;
  /** ISO 8601 UTC. */
  queuedAt: string;
  /** When the next attempt is due (ISO 8601 UTC) while `queued`/`retrying`; `null` once ended. */
  nextAttemptAt: string | null;
  /** Why it ended when `failed` without a 5xx (`max-attempts`, `max-age`), else `null`. */
  endReason: 'reply' | 'max-attempts' | 'max-age' | null;
  attempts: DeliveryAttempt[];
}

/** `starttls` of the upstream: `required` fails without STARTTLS, `opportunistic` uses it when offered, `off` never. */
export type StarttlsMode = 'required' | 'opportunistic' | 'off';

/** `GET /api/relay`. */
export interface RelayStatus {
  upstream: { url: string; host: string; port: number; secure: boolean; starttls: StarttlsMode; tlsVerify: boolean; auth: boolean } | null;
  allow: string[];
  deny: string[];
  retry: { initialMs: number; maxAttempts: number; maxAgeMs: number };
  queue: { queued: number; retrying: number };
  /** The last 20 ended deliveries, newest first. */
  recent: Delivery[];
}
