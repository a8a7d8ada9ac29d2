/**
 * Foreign dialects on the sink's HTTP port, beside its own `/api/...`: Mailpit API v1 (with its
 * `/view/`, `/livez`, `/readyz` pages) and MailHog API v1/v2. Each dialect is built on the core's
 * store, parsing, query and fault engine, and answers as its own server does, inside its own paths.
 */
import express from 'express';
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import { StoreUnavailableError } from '../../core/store.js';
import { ApiError } from '../errors.js';
import { dispatch } from './collisions.js';
import type { MailhogDialect } from './collisions.js';
import type { CompatDeps } from './deps.js';
import { createMailhogRouter, mailhogDeleteAll, mailhogListV1 } from './mailhog.js';
import { mailpitAppRouter } from './mailpit-app.js';
import { mailpitChaosRouter } from './mailpit-chaos.js';
import { mailpitHtmlCheckRouter } from './mailpit-html-check.js';
import { mailpitLinkCheckRouter } from './mailpit-link-check.js';
import { mailpitMessageRouter } from './mailpit-message.js';
import { mailpitDeleteMessages, mailpitListMessages, mailpitMessagesRouter } from './mailpit-messages.js';
import { mailpitReleaseRouter } from './mailpit-release.js';
import { mailpitSaCheckRouter } from './mailpit-sa-check.js';
import { mailpitTagsRouter } from './mailpit-tags.js';

export type { CompatDeps } from './deps.js';

/** Largest JSON body of a Mailpit or MailHog request other than Mailpit's send API, in bytes. */
const COMPAT_JSON_LIMIT = 1024 * 1024;

/** Paths the Mailpit dialect answers (its errors are plain text there, as Mailpit's are). */
const MAILPIT_PATHS = ['/api/v1', '/view', '/livez', '/readyz'];

/** MailHog's side: its own router (`/api/v2/…`, `/api/v1/messages/:id…`) and its answers on the shared routes. */
function mailhogDialect(deps: CompatDeps): MailhogDialect {
  return { router: createMailhogRouter(deps), deleteAll: mailhogDeleteAll(deps), listV1: mailhogListV1(deps) };
}

/**
 * Mounts the Mailpit and MailHog routes on `app`; call it after authentication and before the
 * sink's own `/api` routes and the UI's catch-all.
 *
 * @param mailhog - MailHog's side of the colliding routes and its own router (see {@link mailhogDialect}).
 */
export function mountCompat(app: Express, deps: CompatDeps, mailhog: MailhogDialect = mailhogDialect(deps)): void {
  // Mailpit and MailHog decode JSON bodies whatever their Content-Type; the send API parses its own (larger) body.
  const json = express.json({ limit: COMPAT_JSON_LIMIT, type: () => true });
  app.use(MAILHOG_ONLY_PATHS, markMailhog); // first, so MailHog's errors (a bad JSON body too) stay JSON
  app.use('/api/v1', (req, res, next) => (req.path === '/send' ? next() : json(req, res, next)));
  app.get('/api/v1/messages', dispatch({ mailpit: mailpitListMessages(deps), mailhog: mailhog.listV1 }));
  app.delete('/api/v1/messages', dispatch({ mailpit: mailpitDeleteMessages(deps), mailhog: mailhog.deleteAll }));
  app.use(mailpitMessagesRouter(deps));
  app.use(mailpitLinkCheckRouter(deps));
  app.use(mailpitSaCheckRouter(deps));
  app.use(mailpitReleaseRouter(deps));
  app.use(mailpitMessageRouter(deps));
  app.use(mailpitHtmlCheckRouter(deps));
  app.use(mailpitTagsRouter(deps));
  app.use(mailpitChaosRouter(deps));
  app.use(mailpitAppRouter(deps));
  if (mailhog.router) app.use(mailhog.router);
  app.use(MAILPIT_PATHS, plainTextErrors);
}

/** Paths only MailHog serves (its errors stay JSON, the sink's own format). */
const MAILHOG_ONLY_PATHS = ['/api/v2', /^\/api\/v1\/messages\/[^/]+/];

/** Marks a request as MailHog's so Mailpit's plain-text error rendering leaves it alone. */
const markMailhog: RequestHandler = (_req, res, next) => {
  res.locals['dialect'] = 'mailhog';
  next();
};

/** Mailpit answers errors as plain text with the status (`400 Error: no search query`, `404 page not found`). */
const plainTextErrors: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent || res.locals['dialect'] === 'mailhog') return next(err);
  if (err instanceof ApiError) return void res.status(err.status).type('text/plain').send(err.message);
  if (err instanceof StoreUnavailableError) return void res.status(503).type('text/plain').send(`mail store unavailable, nothing changed: ${err.message}`);
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return void res.status(status).type('text/plain').send((err as Error).message);
  next(err);
};
