/**
 * Mailpit API v1, one message (server/apiv1/message.go, server/handlers/messages.go):
 * `GET /api/v1/message/{ID}` (marks it read, as Mailpit does), `/headers`, `/raw`,
 * `/part/{PartID}`, `/part/{PartID}/thumb`, and the rendered bodies `/view/{ID}.html` (`cid:`
 * resolved to part URLs; marks read) and `/view/{ID}.txt`. `{ID}` may be `latest`, with an
 * optional `?query=` search. Only these Mailpit paths mark read; mailsink's own API never does.
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import type { StoredMessage } from '../../core/store.js';
import { thumbnailJpeg } from '../../core/thumbnail.js';
import { resolveCidLinks } from '../../core/views.js';
import { ApiError } from '../errors.js';
import { MESSAGE_HTML_CSP } from '../messages-routes.js';
import type { CompatDeps } from './deps.js';
import { mailpitMatches, queryText } from './mailpit-messages.js';
import { toMailpitHeaders, toMailpitMessage } from './mailpit-views.js';
import type { PartChecksums } from './mailpit-views.js';

/** MD5 and SHA-1 of parts are computed (one extraction each) for messages with at most this many parts. */
const MAX_PARTS_HASHED = 8;

/** The routes of one message, under `/api/v1/message/` and `/view/`. */
export function mailpitMessageRouter(deps: CompatDeps): Router {
  const { store, parsing, parser } = deps;
  const router = Router();
  /** The message of `:id` (or `latest`, with `?query=`); 404 with Mailpit's text (`unknown`: for an unknown id). */
  const find = async (req: Request, id = String(req.params['id']), unknown = '404 page not found'): Promise<StoredMessage> => {
    const message = id === 'latest' ? (await mailpitMatches(deps, queryText(req, 'query'), queryText(req, 'tz')))[0] : store.get(id);
    if (!message) throw new ApiError(404, 'not_found', id === 'latest' ? 'Message not found' : unknown, 'id');
    await parsing.ready([message]);
    return message;
  };

  router.get('/api/v1/message/:id', async (req, res) => {
    const message = await find(req);
    const { parsed } = await parsing.parsed(message);
    const body = toMailpitMessage(message, parsed, await checksums(deps, message));
    await store.setRead(message.id, true);
    res.json(body);
  });
  router.get('/api/v1/message/:id/headers', async (req, res) => {
    const { parsed } = await parsing.parsed(await find(req));
    res.json(toMailpitHeaders(parsed?.headers ?? []));
  });
  router.get('/api/v1/message/:id/raw', async (req, res) => {
    const message = await find(req);
    if (req.query['dl'] === '1') res.attachment(`${message.id}.eml`);
    send(res, 'text/plain; charset=utf-8', message.raw);
  });
  router.get('/api/v1/message/:id/part/:partId', async (req, res) => {
    const message = await find(req);
    const part = await parser.extract(message.raw, String(req.params['partId']));
    if (!part) throw new ApiError(404, 'not_found', '404 page not found', 'partId');
    res.set('Content-Disposition', `inline; filename="${encodeURIComponent(part.meta.filename ?? part.meta.contentId ?? part.meta.safeFilename)}"`);
    res.set('Content-Security-Policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox");
    send(res, /^[\w.+-]+\/[\w.+-]+$/.test(part.meta.contentType) ? part.meta.contentType : 'application/octet-stream', part.content);
  });
  router.get('/api/v1/message/:id/part/:partId/thumb', async (req, res) => {
    const message = await find(req);
    const part = await parser.extract(message.raw, String(req.params['partId']));
    if (!part) throw new ApiError(400, 'invalid_request', `message "${message.id}" has no part "${String(req.params['partId'])}"`, 'partId');
    res.set('Content-Disposition', `filename="${part.meta.safeFilename}"`);
    send(res, 'image/jpeg', thumbnailJpeg(part.content, part.meta.contentType));
  });
  router.get('/view/:file', viewHandler(deps, find));
  return router;
}

/** `/view/{ID}.html` (`cid:` resolved to part URLs, under a CSP without script) and `/view/{ID}.txt`; both mark read. */
function viewHandler(deps: CompatDeps, find: (req: Request, id: string, unknown: string) => Promise<StoredMessage>): RequestHandler {
  const { store, parsing } = deps;
  return async (req, res, next) => {
    const match = /^(.+)\.(html|txt)$/.exec(String(req.params['file']));
    if (!match) return next();
    const message = await find(req, match[1]!, 'Message not found');
    const { parsed } = await parsing.parsed(message);
    if (match[2] === 'txt') {
      await store.setRead(message.id, true);
      return send(res, 'text/plain; charset=utf-8', Buffer.from(parsed?.text ?? '', 'utf8'));
    }
    if (!parsed?.html) throw new ApiError(404, 'not_found', 'This message does not contain a HTML part', 'id');
    const parts = parsed.attachments.map((part) => ({ ...part, url: `/api/v1/message/${encodeURIComponent(message.id)}/part/${encodeURIComponent(part.partId)}` }));
    await store.setRead(message.id, true);
    res.set('Content-Security-Policy', MESSAGE_HTML_CSP);
    send(res, 'text/html; charset=utf-8', Buffer.from(resolveCidLinks(parsed.html, parts), 'utf8'));
  };
}

/** MD5 and SHA-1 of each part's decoded bytes (Mailpit's `Checksums`); none for messages with many parts. */
async function checksums(deps: CompatDeps, message: StoredMessage): Promise<PartChecksums> {
  const sums: PartChecksums = new Map();
  const parts = message.facts?.attachments ?? [];
  if (parts.length > MAX_PARTS_HASHED) return sums;
  for (const meta of parts) {
    const part = await deps.parser.extract(message.raw, meta.partId);
    if (!part) continue;
    sums.set(meta.partId, { MD5: createHash('md5').update(part.content).digest('hex'), SHA1: createHash('sha1').update(part.content).digest('hex') });
  }
  return sums;
}

function send(res: Response, contentType: string, bytes: Buffer): void {
  res.setHeader('Content-Type', contentType); // as given: express's res.set would append a charset
  res.set('Content-Length', String(bytes.length));
  res.set('X-Content-Type-Options', 'nosniff');
  res.end(bytes);
}
