/**
 * Mailpit API v1 application routes (server/apiv1/application.go, send.go, server/handlers):
 * `GET /api/v1/info`, `GET /api/v1/webui`, `GET /livez`, `GET /readyz`, and `POST /api/v1/send`
 * (Mailpit's JSON send API: the message is built, stored and announced like any SMTP message, and
 * answered `{ID}`; a bad request is `400 {Error}`).
 */
import express, { Router } from 'express';
import type { RequestHandler } from 'express';
import { ComposeError, composeMessage } from '../../core/compose.js';
import type { SendRequest } from '../../core/compose.js';
import { ingestMessage } from '../../core/import.js';
import { allTags } from '../../core/tags.js';
import type { CompatDeps } from './deps.js';
import { objectBody } from './mailpit-messages.js';

/** Info, web UI settings, liveness and the send API (paths as given, mount at the root). */
export function mailpitAppRouter(deps: CompatDeps): Router {
  const router = Router();
  router.get('/api/v1/info', infoHandler(deps, Date.now()));
  router.get('/api/v1/webui', (_req, res) => {
    const upstream = deps.relay?.status().upstream ?? null; // host:port only, never credentials
    res.json({
      Label: '',
      MessageRelay: { Enabled: upstream !== null, SMTPServer: upstream ? `${upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host}:${upstream.port}` : '', ReturnPath: '', AllowedRecipients: '', BlockedRecipients: '', OverrideFrom: '', PreserveMessageIDs: false, RecipientAllowlist: '' },
      SpamAssassin: deps.checks.settings.spamassassin !== null,
      ChaosEnabled: true,
      DuplicatesIgnored: false,
      HideDeleteAllButton: false,
    });
  });
  router.get(['/livez', '/readyz'], (_req, res) => {
    res.type('text/plain').send('ok');
  });
  router.post('/api/v1/send', express.json({ limit: Math.ceil(deps.maxMessageSize * 1.4) + 65536, type: () => true }), sendHandler(deps));
  return router;
}

/** `GET /api/v1/info` (Mailpit's `AppInformation`); `startedAt` in ms since the epoch gives `Uptime`. */
function infoHandler(deps: CompatDeps, startedAt: number): RequestHandler {
  const { store } = deps;
  return async (_req, res) => {
    const messages = store.newestFirst();
    await deps.parsing.ready(messages);
    const tags: Record<string, number> = {};
    for (const tag of allTags(store)) tags[tag] = messages.filter((m) => m.tags.some((t) => t.toLowerCase() === tag.toLowerCase())).length;
    res.json({
      Version: deps.version,
      LatestVersion: '',
      Database: '',
      DatabaseSize: 0,
      Messages: messages.length,
      Unread: store.unreadCount,
      Tags: tags,
      RuntimeStats: {
        Uptime: Math.floor((Date.now() - startedAt) / 1000),
        MessagesDeleted: store.lastSeq - store.size,
        SMTPAccepted: store.lastSeq,
        SMTPAcceptedSize: store.totalBytes,
        SMTPRejected: deps.rejections.newestFirst().length,
        SMTPIgnored: 0,
      },
    });
  };
}

/** `POST /api/v1/send`: compose, store like an SMTP message, answer `{ID}`; `400 {Error, field}` / `413` otherwise. */
function sendHandler(deps: CompatDeps): RequestHandler {
  return async (req, res) => {
    let composed;
    try {
      composed = await composeMessage(objectBody(req.body) as unknown as SendRequest);
    } catch (err) {
      if (err instanceof ComposeError) return void res.status(400).json({ Error: err.message, field: err.field });
      throw err;
    }
    if (composed.raw.length > deps.maxMessageSize) return void res.status(413).json({ Error: `message is ${composed.raw.length} bytes, larger than the ${deps.maxMessageSize} bytes allowed (--max-message-size)`, field: 'body' });
    const envelope = { mailFrom: composed.mailFrom, rcptTo: composed.rcptTo, mailParams: {}, heloName: '', secure: false };
    const origin = { remoteAddress: req.socket.remoteAddress ?? '', remotePort: req.socket.remotePort ?? 0, authUser: basicAuthUser(req.get('authorization')) };
    const message = await ingestMessage(deps, composed.raw, { ...envelope, ...origin });
    res.json({ ID: message.id });
  };
}

/** The user of a `Basic` Authorization header (Mailpit records it as the message's Username), or `null`. */
function basicAuthUser(header: string | undefined): string | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : null;
}
