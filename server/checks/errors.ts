/**
 * Errors of the per-message checks, turned into HTTP answers by `http/checks-routes.ts`.
 */
import type { CheckKind } from './types.js';

/** A check that is off or has nothing to run with (no `--spamassassin`, link check not enabled): HTTP 409 `check_unavailable`. */
export class CheckUnavailableError extends Error {
  readonly kind: CheckKind;
  constructor(kind: CheckKind, message: string) {
    super(message);
    this.name = 'CheckUnavailableError';
    this.kind = kind;
  }
}

/** A check whose outside service failed (spamd refused, timed out, answered garbage): HTTP 502 `check_failed`. */
export class CheckFailedError extends Error {
  readonly kind: CheckKind;
  constructor(kind: CheckKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckFailedError';
    this.kind = kind;
  }
}
