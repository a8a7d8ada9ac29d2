import { Router } from 'express';
import type { Response } from 'express';
import { z } from 'zod';
import type { MessageList } from '../contract.js';
import { extractPart } from '../core/parse.js';
import { compileQuery, QueryError } from '../core/query.js';
import type { MessagePredicate } from '../core/query.js';
import type { MessageStore, StoredMessage } from '../core/store.js';
import { toDetail, toSummary } from '../core/views.js';
import { ApiError, parseInput } from './errors.js';

/** CSP for message HTML served on its own: no script, no forms, no plugins, opaque origin. */
export const MESSAGE_HTML_CSP =
  "default-src 'none'; img-src 'self' http: https: data: blob:; style-src 'unsafe-inline' http: https:; font-src http: https: data:; " +
  "form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

/** CSP for attachment bytes: whatever they are (SVG, HTML …), nothing in them runs in our origin. */
const ATTACHMENT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  query: z.string().max(1000).default(''),
});

const deleteQuery = z.object({ query: z.string().max(1000).default('') });
const idParams = z.object({ id: z.string().min(1).max(200) });
const partParams = idParams.extend({ partId: z.string().regex(/^\d+(\.\d+)*$/, 'expected a MIME part path such as 1.2') });
const patchBody = z.object({ read: z.boolean() }).strict();
const rawQuery = z.object({ download: z.enum(['0', '1', 'true', 'false']).optional() });

/**
 * REST routes for messages (DESIGN.md §4): list, get (`:id` or `latest`), raw, html, text,
 * attachments, mark read, delete one, delete all or matching. Reads never change state.
 */
export function messagesRouter(store: MessageStore): Router {
  const router = Router();
  const find = (id: string): StoredMessage => {
    const message = id === 'latest' ? store.latest() : store.get(id);
    if (!message) throw new ApiError(404, 'not_found', id === 'latest' ? 'no messages stored' : `no message with id "${id}"`, 'id');
    return message;
  };

  router.get('/', (req, res) => {
    const { limit, offset, query } = parseInput(listQuery, req.query, 'query');
    const matches = store.newestFirst().filter(queryPredicate(query));
    const page = matches.slice(offset, offset + limit).map(toSummary);
    const body: MessageList = { total: matches.length, count: page.length, messages: page };
    res.json(body);
  });

  router.delete('/', (req, res) => {
    const { query } = parseInput(deleteQuery, req.query, 'query');
    if (query.trim() === '') store.clear();
    else store.delete(store.newestFirst().filter(queryPredicate(query)).map((m) => m.id));
    res.status(204).end();
  });

  router.get('/:id', (req, res) => {
    res.json(toDetail(find(parseInput(idParams, req.params, 'path').id)));
  });

  router.patch('/:id', (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path');
    const { read } = parseInput(patchBody, req.body ?? {}, 'body');
    res.json(toSummary(store.setRead(find(id).id, read)!));
  });

  router.delete('/:id', (req, res) => {
    store.delete([find(parseInput(idParams, req.params, 'path').id).id]);
    res.status(204).end();
  });

  router.get('/:id/raw', (req, res) => {
    const message = find(parseInput(idParams, req.params, 'path').id);
    const { download } = parseInput(rawQuery, req.query, 'query');
    if (download === '1' || download === 'true') res.attachment(`${message.id}.eml`);
    sendBytes(res, 'message/rfc822', message.raw);
  });

  router.get('/:id/html', (req, res) => {
    const detail = toDetail(find(parseInput(idParams, req.params, 'path').id));
    if (detail.html === null) throw new ApiError(404, 'no_html', `message "${detail.id}" has no HTML body`, 'id');
    res.set('Content-Security-Policy', MESSAGE_HTML_CSP);
    sendBytes(res, 'text/html; charset=utf-8', Buffer.from(detail.html, 'utf8'));
  });

  router.get('/:id/text', (req, res) => {
    const message = find(parseInput(idParams, req.params, 'path').id);
    const text = message.parsed?.text;
    if (text == null) throw new ApiError(404, 'no_text', `message "${message.id}" has no text body`, 'id');
    sendBytes(res, 'text/plain; charset=utf-8', Buffer.from(text, 'utf8'));
  });

  router.get('/:id/attachments/:partId', async (req, res) => {
    const { id, partId } = parseInput(partParams, req.params, 'path');
    const message = find(id);
    const part = await extractPart(message.raw, partId);
    if (!part) throw new ApiError(404, 'not_found', `message "${message.id}" has no attachment part "${partId}"`, 'partId');
    res.attachment(part.meta.safeFilename);
    res.set('Content-Security-Policy', ATTACHMENT_CSP);
    sendBytes(res, headerContentType(part.meta.contentType, part.meta.contentTypeParams['charset']), part.content);
  });

  return router;
}

function queryPredicate(query: string): MessagePredicate {
  try {
    return compileQuery(query);
  } catch (err) {
    if (err instanceof QueryError) throw new ApiError(400, 'invalid_query', err.message, 'query');
    throw err;
  }
}

/** A `Content-Type` value built from message-supplied parts, falling back to octet-stream when malformed. */
function headerContentType(type: string, charset: string | undefined): string {
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(type)) return 'application/octet-stream';
  return type.startsWith('text/') && charset && /^[\w.:-]+$/.test(charset) ? `${type}; charset=${charset}` : type;
}

function sendBytes(res: Response, contentType: string, bytes: Buffer): void {
  res.set('Content-Type', contentType);
  res.set('Content-Length', String(bytes.length));
  res.set('X-Content-Type-Options', 'nosniff');
  res.end(bytes);
}
