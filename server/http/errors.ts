import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { ApiErrorBody } from '../contract.js';
import type { Logger } from '../log.js';
import { StoreUnavailableError } from '../core/store.js';

/** An HTTP error rendered as `{ "error": { code, message, field?, details? } }` with `status`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** Structured facts for clients (e.g. `matched` of a timed-out wait). */
  readonly details: Record<string, string | number> | undefined;
  constructor(status: number, code: string, message: string, field?: string, details?: Record<string, string | number>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

/**
 * Parses request input with a zod schema.
 * @throws ApiError 400 `invalid_request` naming the first offending field.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, where: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : where;
  throw new ApiError(400, 'invalid_request', `invalid ${where} field "${field}": ${issue?.message ?? 'invalid value'}`, field);
}

/** 404 JSON for unknown `/api` routes. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `no route for ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** Renders every error as JSON; a store that cannot be reached is 503 `store_unavailable`; unknown errors become 500 and are logged. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) log.error(`${apiError.message}`);
    const body: ApiErrorBody = { error: { code: apiError.code, message: apiError.message } };
    if (apiError.field !== undefined) body.error.field = apiError.field;
    if (apiError.details !== undefined) body.error.details = apiError.details;
    res.status(apiError.status).json(body);
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StoreUnavailableError) return new ApiError(503, 'store_unavailable', `mail store unavailable, nothing changed: ${err.message}`);
  const status = (err as { status?: unknown }).status;
  const type = (err as { type?: unknown }).type;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = type === 'entity.parse.failed' ? 'invalid_json' : type === 'entity.too.large' ? 'payload_too_large' : 'bad_request';
    return new ApiError(status, code, err instanceof Error ? err.message : 'bad request', code === 'invalid_json' ? 'body' : undefined);
  }
  return new ApiError(500, 'internal', err instanceof Error ? err.message : String(err));
}
