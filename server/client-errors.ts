/**
 * Errors thrown by the mailsink client (`mailsink/client`), and the one-time-code finder behind
 * `client.codes()`. Plain ECMAScript: runs in Node 18+ and browsers.
 */
import type { ApiErrorBody } from './contract.js';

/** Base class of every client error; `message` says which request failed and why. */
export class MailsinkError extends Error {
  /** HTTP method of the failed request, e.g. `GET`. */
  readonly method: string;
  /** Path and query of the failed request, e.g. `/api/messages/abc`. */
  readonly path: string;
  constructor(method: string, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailsinkError';
    this.method = method;
    this.path = path;
  }
}

/** The sink could not be reached (connection refused, DNS, aborted …); the fetch error is the `cause`. */
export class MailsinkConnectionError extends MailsinkError {
  constructor(method: string, path: string, baseUrl: string, cause: unknown) {
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? `${cause.message}: ${cause.cause.message}` : cause.message) : String(cause);
    super(method, path, `${method} ${path}: cannot reach mailsink at ${baseUrl}: ${reason}`, { cause });
    this.name = 'MailsinkConnectionError';
  }
}

/** The sink answered with an error status; `code`, `field` and `details` are from its JSON error body. */
export class MailsinkApiError extends MailsinkError {
  /** HTTP status, e.g. 404. */
  readonly status: number;
  /** Machine-readable code, e.g. `not_found`, `invalid_query`, `wait_timeout`. */
  readonly code: string;
  /** The offending parameter or body field, when one is at fault. */
  readonly field: string | undefined;
  /** Structured facts, e.g. `matched` for a timed-out wait. */
  readonly details: Record<string, string | number> | undefined;
  constructor(method: string, path: string, status: number, body: ApiErrorBody['error']) {
    super(method, path, `${method} ${path} → ${status} ${body.code}: ${body.message}`);
    this.name = 'MailsinkApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.details = body.details;
  }
}

/** `waitFor` timed out (HTTP 408): nothing, or too few messages, matched in time. */
export class MailsinkTimeoutError extends MailsinkApiError {
  /** The query that was awaited. */
  readonly query: string;
  /** How many messages matched before the timeout. */
  readonly matched: number;
  /** How many were awaited. */
  readonly count: number;
  constructor(method: string, path: string, status: number, body: ApiErrorBody['error']) {
    super(method, path, status, body);
    this.name = 'MailsinkTimeoutError';
    this.query = String(body.details?.['query'] ?? '');
    this.matched = Number(body.details?.['matched'] ?? 0);
    this.count = Number(body.details?.['count'] ?? 1);
  }
}

/** Default pattern of `codes()`: a 6-digit one-time code standing alone (not part of a longer number). */
export const SIX_DIGIT_CODE = /(?<![\d])\d{6}(?![\d])/g;

/**
 * Finds one-time codes in text: every match of `pattern` (its first capture group when it has
 * one), each value once, in order. A non-global pattern is applied globally.
 *
 * @example findCodes('Your code is 042917.', /code is (\d+)/) // → ['042917']
 */
export function findCodes(text: string, pattern: RegExp = SIX_DIGIT_CODE): string[] {
  const global = pattern.global ? new RegExp(pattern.source, pattern.flags) : new RegExp(pattern.source, `${pattern.flags}g`);
  const found: string[] = [];
  for (const match of text.matchAll(global)) {
    const value = match[1] ?? match[0];
    if (value !== '' && !found.includes(value)) found.push(value);
  }
  return found;
}
