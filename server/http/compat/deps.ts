/**
 * What the foreign dialects (Mailpit API v1, MailHog API v1/v2) need from the composition root:
 * the same core objects the sink's own routes use, and nothing that reaches around them.
 */
import type { CheckService } from '../../checks/service.js';
import type { FaultEngine } from '../../core/faults.js';
import type { MessageParsing } from '../../core/message-parsing.js';
import type { ParsePool } from '../../core/parse-pool.js';
import type { RejectionLog } from '../../core/rejections.js';
import type { Store } from '../../core/store.js';
import type { Logger } from '../../log.js';
import type { RelayService } from '../../relay/service.js';

/** Core objects shared by every compat dialect (a subset of `AppDeps`). */
export interface CompatDeps {
  store: Store;
  /** Per-message checks (Mailpit's `html-check`, `link-check`, `sa-check`). */
  checks: CheckService;
  /** Deferred and on-demand parsing of stored messages (facts, bodies, body search). */
  parsing: MessageParsing;
  /** Parse pool: parses new messages (send API) and extracts MIME parts. */
  parser: ParsePool;
  /** Fault rules (Mailpit's chaos triggers are mapped onto them). */
  faults: FaultEngine;
  /** Refused SMTP attempts (Mailpit's `SMTPRejected` count). */
  rejections: RejectionLog;
  /** Package version, reported by `/api/v1/info`. */
  version: string;
  /** Largest message accepted over HTTP (Mailpit send API), in bytes (`--max-message-size`). */
  maxMessageSize: number;
  log: Logger;
  /**
   * SMTP servers a MailHog `POST /api/v1/messages/:id/release` may send to, as normalized
   * `host:port` strings (`--release-allow`); empty or absent: release is refused (403).
   */
  releaseAllow?: readonly string[];
  /** The relay of `--relay-url` (Mailpit's `POST /api/v1/message/{ID}/release`); `null` or absent: not configured. */
  relay?: RelayService | null;
}
