/**
 * What keeps the inbox and API safe from the pages a developer visits and the machines that can
 * reach it: security headers on every response, CORS (off unless `--cors-origin`), a refusal of
 * cross-origin writes, and basic auth (`--ui-auth-file`, RFC 7617). The same origin and auth checks
 * guard the WebSocket (`ws-hub.ts`).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { ApiErrorBody } from '../contract.js';
import { CredentialChecker } from '../core/credentials.js';
import type { BcryptCompare, CredentialList } from '../core/credentials.js';
import { ApiError } from './errors.js';

/**
 * CSP of every response that does not set its own (JSON, errors, raw and text bodies): nothing
 * loads or runs, and a document opened from it is sandboxed (an opaque origin).
 */
export const DEFAULT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

/** Sets the headers every response carries; routes and the inbox page may replace the CSP with their own. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set('Content-Security-Policy', DEFAULT_CSP);
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Referrer-Policy', 'no-referrer');
  res.set('X-Frame-Options', 'SAMEORIGIN');
  next();
};

/** How a request's `Origin` relates to the sink: none sent, the sink's own, listed in `--cors-origin` (or `*`), or foreign. */
export type OriginVerdict = 'none' | 'same' | 'listed' | 'any' | 'denied';

/** Judges `Origin` headers against the sink's own origin (its `Host`) and `--cors-origin`. */
export class OriginPolicy {
  readonly #listed: ReadonlySet<string>;
  readonly #any: boolean;

  /** @param corsOrigins - Allowed origins (`scheme://host[:port]`), `*` for any. */
  constructor(corsOrigins: readonly string[]) {
    this.#listed = new Set(corsOrigins.filter((origin) => origin !== '*'));
    this.#any = corsOrigins.includes('*');
  }

  /** The verdict for a request (browsers send `Origin` with every WebSocket and every non-GET fetch). */
  judge(req: Pick<IncomingMessage, 'headers'>): OriginVerdict {
    const origin = req.headers.origin;
    if (origin === undefined) return 'none';
    if (sameOrigin(origin, req.headers.host)) return 'same';
    if (this.#listed.has(origin)) return 'listed';
    return this.#any ? 'any' : 'denied';
  }
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function errorBody(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/**
 * CORS for listed origins (`Access-Control-Allow-Origin` echoing the origin, with credentials; `*`
 * without), preflights answered here, and every cross-origin request that is not a read (or its
 * preflight) from an origin not allowed refused with `403 origin_not_allowed`.
 */
export function cors(policy: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    const verdict = policy.judge(req);
    const preflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (verdict === 'denied') {
      if (!preflight && (req.method === 'GET' || req.method === 'HEAD')) return next();
      res.status(403).json(errorBody('origin_not_allowed', `origin ${req.get('origin')} may not call this API (allow it with --cors-origin)`));
      return;
    }
    if (verdict === 'listed' || verdict === 'any') {
      res.vary('Origin');
      res.set('Access-Control-Allow-Origin', verdict === 'any' ? '*' : req.get('origin')!);
      if (verdict === 'listed') res.set('Access-Control-Allow-Credentials', 'true');
      res.set('Access-Control-Expose-Headers', 'Location, Content-Disposition');
      if (preflight) {
        res.set('Access-Control-Allow-Methods', 'GET, HEAD, POST, PATCH, DELETE');
        res.set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
        res.set('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}

/**
 * Guards reads that make the sink act on the network (the link check): a request a browser sent
 * from another site is refused with `403 origin_not_allowed`, even a `no-cors` GET that could not
 * read the answer. Refused: an `Origin` that is neither the sink's own nor allowed by
 * `--cors-origin`, and `Sec-Fetch-Site: cross-site` or `same-site` (another port of the same host
 * is another site's page) without an allowed `Origin`. curl, scripts and the inbox page pass.
 */
export function refuseCrossSite(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    const verdict = policy.judge(req);
    const site = req.get('sec-fetch-site');
    if (verdict === 'denied') return next(new ApiError(403, 'origin_not_allowed', `origin ${req.get('origin')} may not make the sink fetch URLs (allow it with --cors-origin)`));
    if (verdict === 'none' && (site === 'cross-site' || site === 'same-site')) return next(new ApiError(403, 'origin_not_allowed', `a ${site} request from a web page may not make the sink fetch URLs`));
    next();
  };
}

/** Largest number of remembered good `Authorization` values (so bcrypt runs once per client, not per request). */
const AUTH_CACHE_SIZE = 64;

/** Basic auth (RFC 7617) against a user file; the check is shared by the HTTP middleware and the WebSocket. */
export class BasicAuth {
  readonly #checker: CredentialChecker;
  readonly #good = new Set<string>();

  /** @param compare - bcrypt comparison off the main thread (the sink's `BcryptPool`). */
  constructor(users: CredentialList, compare: BcryptCompare) {
    this.#checker = new CredentialChecker(users, compare);
  }

  /** Whether the request carries right credentials in `Authorization: Basic …` (the user name ends at the first `:`). */
  async check(req: Pick<IncomingMessage, 'headers'>): Promise<boolean> {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!match) return false;
    const key = createHash('sha256').update(match[1]!).digest('base64');
    if (this.#good.has(key)) return true;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const ok = await this.#checker.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (ok) {
      if (this.#good.size >= AUTH_CACHE_SIZE) this.#good.delete(this.#good.values().next().value!);
      this.#good.add(key);
    }
    return ok;
  }

  /** Middleware answering `401` with a `WWW-Authenticate` challenge unless the credentials are right. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      this.check(req).then((ok) => {
        if (ok) return next();
        res.set('WWW-Authenticate', 'Basic realm="mailsink", charset="UTF-8"');
        res.status(401).json(errorBody('unauthorized', 'this mailsink needs a user name and password (--ui-auth-file)'));
      }, next);
    };
  }
}
