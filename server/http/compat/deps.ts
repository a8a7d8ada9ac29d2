/**
 * What the foreign API dialects (Mailpit, MailHog) get from the composition root: the same core
 * objects mailsink's own routes use. The dialects translate to and from these and never reach
 * around them.
 */
import type { MessageParsing } from '../../core/message-parsing.js';
import type { ParsePool } from '../../core/parse-pool.js';
import type { MessageStore } from '../../core/store.js';
import type { Logger } from '../../log.js';

/** Core objects shared by the compat dialects (one set per sink, made in `sink.ts`). */
export interface CompatDeps {
  store: MessageStore;
  /** Deferred and on-demand parsing of stored messages. */
  parsing: MessageParsing;
  /** Parse pool (attachment extraction, imports). */
  parser: ParsePool;
  log: Logger;
  /**
   * SMTP servers a MailHog `POST /api/v1/messages/:id/release` may send to, as normalized
   * `host:port` strings (`--release-allow`); empty or absent: release is refused (403).
   */
  releaseAllow?: readonly string[];
}
