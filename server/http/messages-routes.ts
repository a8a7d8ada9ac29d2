import express, { Router } from 'express';
import type { Request, Response } from 'express';
import type { LinkList, MessageList } from '../contract.js';
import { envelopeFromHeaders, ImportEnvelopeError } from '../core/import.js';
import { extractLinks } from '../core/links.js';
import type { MessageParsing } from '../core/message-parsing.js';
import type { MessageFacts } from '../core/parse.js';
import type { ParsePool } from '../core/parse-pool.js';
import { compileQuery, QueryError } from '../core/query.js';
import type { MessageQuery } from '../core/query.js';
import type { Store, StoredMessage } from '../core/store.js';
import { toDetail, toSummary } from '../core/views.js';
import { ApiError, parseInput } from './errors.js';
import { deleteQuery, htmlQuery, idParams, importQuery, listQuery, partParams, patchBody, rawQuery } from './schemas.js';

/**
 * CSP for message HTML served on its own (`/api/messages/:id/html`): no script, no forms, no
 * plugins, an opaque origin, no `<base>` from the message (`base-uri 'none'`), and no remote content:
 * images, fonts and media only from `data:`/`blob:` and the sink itself (the `cid:` parts), inline
 * styles only. Tracking pixels and remote CSS or fonts do not load.
 */
export const MESSAGE_HTML_CSP =
  "default-src 'none'; img-src 'self' data: blob:; style-src 'unsafe-inline'; font-src 'self' data:; media-src 'self' data: blob:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

/** {@link MESSAGE_HTML_CSP} with remote images, styles and fonts allowed (`?remote=1`): still no script, forms or `<base>`. */
export const MESSAGE_HTML_REMOTE_CSP =
  "default-src 'none'; img-src 'self' data: blob: http: https:; style-src 'unsafe-inline' http: https:; font-src 'self' data: http: https:; media-src 'self' data: blob: http: https:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

/** CSP for attachment bytes: whatever they are (SVG, HTML …), nothing in them runs in our origin. */
const ATTACHMENT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

/**
 * REST routes for messages (DESIGN.md §4): list, import, get (`:id` or `latest`), raw, html, text,
 * links, attachments, mark read, delete one, delete all or matching. Reads never change state.
 * Input schemas live in `schemas.ts` (they are also the OpenAPI document's).
 *
 * Lists and summaries wait for the facts of messages still being parsed; detail, HTML, text and
 * links parse the message again (cached, see `MessageParsing.parsed`).
 *
 * @param parser - Parse pool for imports and attachment extraction.
 * @param parsing - Deferred and on-demand parsing of stored messages.
 * @param maxMessageSize - Largest importable message in bytes (`--max-message-size`); larger → 413.
 */
export function messagesRouter(store: Store, deps: { maxMessageSize: number; parser: ParsePool; parsing: MessageParsing }): Router {
  const { parser, parsing } = deps;
  const router = Router();
  const find = (id: string): StoredMessage => {
    const message = id === 'latest' ? store.latest() : store.get(id);
    if (!message) throw new ApiError(404, 'not_found', id === 'latest' ? 'no messages stored' : `no message with id "${id}"`, 'id');
    return message;
  };

  const detailOf = async (id: string) => {
    const message = find(id);
    const [parse] = await Promise.all([parsing.parsed(message), parsing.ready([message])]);
    return toDetail(message, parse);
  };

  router.get('/', async (req, res) => {
    const { limit, offset, query } = parseInput(listQuery, req.query, 'query');
    const compiled = compileQueryParam(query);
    // Without a query only the page is read (a database engine never loads the whole store for it).
    const total = compiled.matchesAll ? store.size : undefined;
    const matches = compiled.matchesAll ? store.page(offset, limit) : await parsing.filter(store.newestFirst(), compiled);
    const page = compiled.matchesAll ? matches : matches.slice(offset, offset + limit);
    await parsing.ready(page);
    const summaries = page.map((message) => toSummary(store.get(message.id) ?? message));
    const body: MessageList = { total: total ?? matches.length, count: summaries.length, messages: summaries };
    res.json(body);
  });

  router.post('/', requireRfc822, express.raw({ type: 'message/rfc822', limit: deps.maxMessageSize }), async (req, res) => {
    const { message, facts } = await importMessage(store, parser, req);
    parsing.admit(message, facts);
    await parsing.ready([message]);
    res.status(201).location(`/api/messages/${message.id}`).json(toSummary(message));
  });

  router.delete('/', async (req, res) => {
    const { query } = parseInput(deleteQuery, req.query, 'query');
    if (query.trim() === '') await store.clear();
    else await store.delete((await parsing.filter(store.newestFirst(), compileQueryParam(query))).map((m) => m.id));
    res.status(204).end();
  });

  router.get('/:id', async (req, res) => {
    res.json(await detailOf(parseInput(idParams, req.params, 'path').id));
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'path');
    const { read, tags } = parseInput(patchBody, req.body ?? {}, 'body');
    let message = find(id);
    await parsing.ready([message]);
    if (read !== undefined) message = (await store.setRead(message.id, read)) ?? message;
    if (tags !== undefined) message = (await store.setTags(message.id, tags)) ?? message;
    res.json(toSummary(store.get(message.id) ?? message));
  });

  router.delete('/:id', async (req, res) => {
    await store.delete([find(parseInput(idParams, req.params, 'path').id).id]);
    res.status(204).end();
  });

  router.get('/:id/raw', (req, res) => {
    const message = find(parseInput(idParams, req.params, 'path').id);
    const { download } = parseInput(rawQuery, req.query, 'query');
    if (download === '1' || download === 'true') res.attachment(`${message.id}.eml`);
    sendBytes(res, 'message/rfc822', message.raw);
  });

  router.get('/:id/html', async (req, res) => {
    const detail = await detailOf(parseInput(idParams, req.params, 'path').id);
    const { remote } = parseInput(htmlQuery, req.query, 'query');
    if (detail.html === null) throw new ApiError(404, 'no_html', `message "${detail.id}" has no HTML body`, 'id');
    res.set('Content-Security-Policy', remote === '1' || remote === 'true' ? MESSAGE_HTML_REMOTE_CSP : MESSAGE_HTML_CSP);
    sendBytes(res, 'text/html; charset=utf-8', Buffer.from(detail.html, 'utf8'));
  });

  router.get('/:id/text', async (req, res) => {
    const message = find(parseInput(idParams, req.params, 'path').id);
    const text = (await parsing.parsed(message)).parsed?.text;
    if (text == null) throw new ApiError(404, 'no_text', `message "${message.id}" has no text body`, 'id');
    sendBytes(res, 'text/plain; charset=utf-8', Buffer.from(text, 'utf8'));
  });

  router.get('/:id/links', async (req, res) => {
    const message = find(parseInput(idParams, req.params, 'path').id);
    const { parsed } = await parsing.parsed(message);
    const links = extractLinks(parsed?.html ?? null, parsed?.text ?? null);
    const body: LinkList = { count: links.length, links };
    res.json(body);
  });

  router.get('/:id/attachments/:partId', async (req, res) => {
    const { id, partId } = parseInput(partParams, req.params, 'path');
    const message = find(id);
    const part = await parser.extract(message.raw, partId);
    if (!part) throw new ApiError(404, 'not_found', `message "${message.id}" has no attachment part "${partId}"`, 'partId');
    res.attachment(part.meta.safeFilename);
    res.set('Content-Security-Policy', ATTACHMENT_CSP);
    sendBytes(res, headerContentType(part.meta.contentType, part.meta.contentTypeParams['charset']), part.content);
  });

  return router;
}

/** Lets only `message/rfc822` bodies through to the import route (415 otherwise). */
function requireRfc822(req: Request, _res: Response, next: (err?: unknown) => void): void {
  if (req.is('message/rfc822')) return next();
  next(new ApiError(415, 'unsupported_media_type', `import expects the message as Content-Type: message/rfc822, got ${req.get('content-type') ?? 'no body'}`, 'body'));
}

/** Stores a posted message (pending: the caller admits it with its facts); the envelope comes from its headers unless `mailFrom`/`rcptTo` are given. */
async function importMessage(store: Store, parser: ParsePool, req: Request): Promise<{ message: StoredMessage; facts: MessageFacts }> {
  const given = parseInput(importQuery, req.query, 'query');
  if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new ApiError(400, 'invalid_request', 'empty body: send the message bytes', 'body');
  const raw = Buffer.from(req.body);
  const facts = await parser.facts(raw);
  const rcptTo = typeof given.rcptTo === 'string' ? given.rcptTo.split(',') : given.rcptTo;
  let envelope;
  try {
    envelope = envelopeFromHeaders(facts, { mailFrom: given.mailFrom, rcptTo: rcptTo?.map((r) => r.trim()).filter((r) => r !== '') });
  } catch (err) {
    if (err instanceof ImportEnvelopeError) throw new ApiError(400, 'invalid_request', err.message, err.field);
    throw err;
  }
  const origin = { remoteAddress: req.socket.remoteAddress ?? '', remotePort: req.socket.remotePort ?? 0 };
  const message = await store.add({ envelope: { ...envelope, mailParams: {}, heloName: '', ...origin, secure: false, authUser: null }, raw, ...(store.factsFirst === true ? { facts } : {}) });
  return { message, facts };
}

/**
 * Compiles the `query` parameter.
 * @throws ApiError 400 `invalid_query` naming the offending token.
 */
export function compileQueryParam(query: string): MessageQuery {
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
