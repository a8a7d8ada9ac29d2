/**
 * Express app factory: security headers on every response, the `Host` check (`allowed-hosts.ts`), CORS and basic auth (`security.ts`),
 * `/api` routes, JSON errors, and the built inbox page (`ui/dist`) at `/`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Express } from 'express';
import type { Health } from '../contract.js';
import type { CheckService } from '../checks/service.js';
import type { FaultEngine } from '../core/faults.js';
import type { RejectionLog } from '../core/rejections.js';
import type { Store } from '../core/store.js';
import type { MessageParsing } from '../core/message-parsing.js';
import type { ParsePool } from '../core/parse-pool.js';
import type { TranscriptLog } from '../core/transcripts.js';
import type { WaitRegistry } from '../core/waiters.js';
import type { Logger } from '../log.js';
import { HostPolicy } from './allowed-hosts.js';
import { docsRouter } from './docs-routes.js';
import { mountCompat } from './compat/index.js';
import { apiNotFound, errorMiddleware } from './errors.js';
import { bulkRouter, tagsRouter } from './bulk-routes.js';
import { checksRouter } from './checks-routes.js';
import { faultsRouter, rejectionsRouter } from './faults-routes.js';
import { mailboxesRouter } from './mailboxes-routes.js';
import { messagesRouter } from './messages-routes.js';
import { cors, OriginPolicy, refuseCrossSite, securityHeaders } from './security.js';
import type { BasicAuth } from './security.js';
import { probeRouter } from './probe-routes.js';
import { relayRouter } from './relay-routes.js';
import type { RelayService } from '../relay/service.js';
import { transcriptsRouter } from './transcripts-routes.js';
import { waitRouter } from './wait-routes.js';

/**
 * CSP of the inbox page. Message HTML runs in a sandboxed srcdoc frame, which inherits it and adds
 * its own, stricter one (remote images, styles and fonts only after "Load remote content"; see
 * `ui/src/html-srcdoc.ts`): so remote stylesheets are allowed here for that frame's sake.
 */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline' http: https:; img-src 'self' data: blob: http: https:; " +
  "font-src 'self' data: http: https:; connect-src 'self' ws: wss:; frame-src 'self' about: data:; object-src 'none'; " +
  "base-uri 'self'; form-action 'none'; frame-ancestors 'self'";

/** Largest JSON request body (`PATCH /api/messages/:id`, `POST /api/faults`); larger → `413 payload_too_large`. */
export const JSON_BODY_LIMIT = '100kb';
/** Largest JSON body of `PATCH`/`DELETE /api/messages` (10000 ids and then some). */
export const BULK_JSON_BODY_LIMIT = '1mb';

/** What the app needs from the composition root. */
export interface AppDeps {
  store: Store;
  /** Per-message checks (`/api/messages/:id/checks/*`, Mailpit's html-check, link-check, sa-check). */
  checks: CheckService;
  faults: FaultEngine;
  rejections: RejectionLog;
  /** Seed of `probability` rules, shown by `GET /api/faults` so a run can be replayed. */
  faultSeed: number;
  log: Logger;
  version: string;
  /** Absolute path of the built UI (`ui/dist`); `null` when not built. */
  uiDir: string | null;
  /** Ports actually bound, for `/api/health` (`smtpPorts` defaults to `[smtpPort]`, `smtpsPort` to `null`). */
  ports: () => { smtpPort: number; httpPort: number; smtpPorts?: number[]; smtpsPort?: number | null };
  /** Pending long-poll waits (`GET /api/messages/wait`). */
  waiters: WaitRegistry;
  /** Largest message `POST /api/messages` imports, in bytes (`--max-message-size`). */
  maxMessageSize: number;
  /** Parses imports and extracts attachments off the main thread. */
  parser: ParsePool;
  /** Deferred and on-demand parsing of stored messages. */
  parsing: MessageParsing;
  /** SMTP session transcripts (`GET /api/messages/:id/transcript`); without it every transcript is a 404. */
  transcripts?: TranscriptLog;
  /** Origins allowed besides the sink's own (`--cors-origin`); default none. */
  origins?: OriginPolicy;
  /** Basic auth for everything but `/api/health` (`--ui-auth-file`); default none. */
  auth?: BasicAuth | null;
  /** `Host` names served (DNS-rebinding protection, every route); default loopback, IP addresses and this machine's name. */
  hosts?: HostPolicy;
  /** SMTP servers (`host:port`) a MailHog release may target (`--release-allow`); default none. */
  releaseAllow?: readonly string[];
  /** Release and auto-relay to `--relay-url` (`/api/relay`, `…/release`, `…/delivery`, Mailpit's release); default none (release answers 409). */
  relay?: RelayService | null;
  /** Serve `POST /api/probe` (`--enable-probe`); default off. */
  probeEnabled?: boolean;
}

/** Builds the HTTP app (REST API per DESIGN.md §4 and the inbox page). */
export function createApp(deps: AppDeps): Express {
  const { store, faults, rejections, faultSeed, log, version, uiDir, ports, waiters, maxMessageSize, parser, parsing } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use((deps.hosts ?? new HostPolicy('127.0.0.1', [])).middleware());
  const origins = deps.origins ?? new OriginPolicy([]);
  app.use(cors(origins));
  app.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.get('/api/health', (_req, res) => {
    const { smtpPort, httpPort, smtpPorts = [smtpPort], smtpsPort = null } = ports();
    const { linkCheck, spamassassin } = deps.checks.settings;
    const body: Health = { status: 'ok', version, smtpPort, httpPort, messages: store.size, smtpPorts, smtpsPort, checks: { links: linkCheck, spam: spamassassin !== null } };
    res.json(body);
  });
  if (deps.auth) app.use(deps.auth.middleware()); // everything below needs credentials
  app.use(['/api/messages/:id/checks/links', '/api/v1/message/:id/link-check'], refuseCrossSite(origins)); // no web page makes the sink fetch URLs
  mountCompat(app, { checks: deps.checks, store, parsing, parser, faults, rejections, version, maxMessageSize, log, releaseAllow: deps.releaseAllow ?? [], relay: deps.relay ?? null }); // Mailpit and MailHog dialects
  const bulkJson = express.json({ limit: BULK_JSON_BODY_LIMIT });
  app.use('/api/messages', (req, res, next) => (req.path === '/' ? bulkJson(req, res, next) : next())); // 10000 ids
  app.use('/api', express.json({ limit: JSON_BODY_LIMIT }));
  app.use('/api', docsRouter(version));
  app.use('/api/messages', waitRouter(store, waiters)); // before the :id routes
  app.use('/api/messages', checksRouter(store, deps.checks, version));
  app.use('/api/messages', bulkRouter(store, parsing)); // before the :id routes (`/export` is no id)
  app.use('/api/tags', tagsRouter(store));
  app.use('/api', relayRouter(store, deps.relay ?? null));
  app.use('/api/messages', messagesRouter(store, { maxMessageSize, parser, parsing }));
  app.use('/api/mailboxes', mailboxesRouter(store));
  app.use('/api/faults', faultsRouter(faults, faultSeed));
  app.use('/api/rejections', rejectionsRouter(rejections));
  app.use('/api/probe', probeRouter(deps.probeEnabled === true));
  app.use('/api', transcriptsRouter(store, deps.transcripts ?? null));
  app.use('/api', apiNotFound);
  if (uiDir) serveUi(app, uiDir);
  else app.get('/', (_req, res) => void res.type('text/plain').send('mailsink: the web inbox is not built; run `npm run build`.\n'));
  app.use(errorMiddleware(log));
  return app;
}

function serveUi(app: Express, uiDir: string): void {
  app.use((_req, res, next) => {
    res.set('Content-Security-Policy', PAGE_CSP);
    next();
  });
  app.use(express.static(uiDir, { index: 'index.html', etag: true }));
  app.get('/{*path}', (_req, res) => res.sendFile(path.join(uiDir, 'index.html')));
}

/** Finds `ui/dist/index.html` above `fromDir` (works from `server/` sources and from `dist/server/`). */
export function findUiDir(fromDir: string): string | null {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'ui', 'dist');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}
