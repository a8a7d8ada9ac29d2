/**
 * The table of every REST route with the zod schemas its handler parses input with and the
 * schemas of its responses. `openapi.ts` turns it into the OpenAPI document; the routes import the
 * same schema objects, and `test/integration/testing-api-openapi.test.ts` checks that the app serves
 * exactly these routes and that real responses validate.
 */
import { z } from 'zod';
import { faultRuleInputSchema } from '../core/fault-rules.js';
import { MAILPIT_ROUTES } from './compat/mailpit-spec.js';
import { idParams as faultIdParams, pageQuery } from './faults-routes.js';
import { probeReportSchema, probeStatusSchema } from './probe-schemas.js';
import { authCheckQuery, linkCheckQuery } from './checks-routes.js';
import { authCheckSchema } from './checks-schemas/auth.js';
import { htmlCheckSchema } from './checks-schemas/html.js';
import { linksCheckSchema } from './checks-schemas/links.js';
import { listUnsubscribeCheckSchema } from './checks-schemas/list-unsubscribe.js';
import { spamCheckSchema } from './checks-schemas/spam.js';
import { probeRequestSchema } from './probe-routes.js';
import { deliverySchema, relayStatusSchema, releaseBody } from './relay-schemas.js';
import * as b from './bulk-schemas.js';
import * as s from './schemas.js';

/** A response: status → description and, unless empty, its media type and schema. */
export interface ResponseSpec {
  description: string;
  /** Media type (`application/json`, `text/html` …). */
  type?: string;
  /** A schema from `schemas.ts`, or `'text'` / `'binary'` for non-JSON bodies. */
  schema?: z.ZodType | 'text' | 'binary';
}

/** One route. `path` is in express syntax (`/api/messages/:id`). */
export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: 'messages' | 'testing' | 'checks' | 'faults' | 'probe' | 'relay' | 'meta' | 'mailpit' | 'mailhog';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { type: string; schema: z.ZodType | 'binary'; description: string };
  responses: Record<number, ResponseSpec>;
}

const json = (schema: z.ZodType, description: string): ResponseSpec => ({ description, type: 'application/json', schema });
const error = (description: string): ResponseSpec => json(s.apiErrorBodySchema, description);
const noContent: ResponseSpec = { description: 'Done, no body' };
const notFound = error('No such message (or part/body): `not_found`, `no_html`, `no_text`');
const badRequest = error('Invalid input: `invalid_request` or `invalid_query`, naming the `field`');

/** Every REST route (the WebSocket `/api/events` is described in the document's `info.description`). */
export const API_ROUTES: readonly RouteSpec[] = [
  { method: 'get', path: '/api/health', tag: 'meta', summary: 'Status, version, bound ports and message count', responses: { 200: json(s.healthSchema, 'Health') } },
  { method: 'get', path: '/api/openapi.json', tag: 'meta', summary: 'This OpenAPI 3.1 document', responses: { 200: { description: 'OpenAPI document', type: 'application/json', schema: 'text' } } },
  { method: 'get', path: '/api/docs', tag: 'meta', summary: 'API reference page (HTML rendering of this document)', responses: { 200: { description: 'HTML page', type: 'text/html', schema: 'text' } } },
  { method: 'get', path: '/api/messages', tag: 'messages', summary: 'Summaries of the messages matching `query`, newest first', query: s.listQuery, responses: { 200: json(s.messageListSchema, 'One page'), 400: badRequest } },
  {
    method: 'post',
    path: '/api/messages',
    tag: 'testing',
    summary: 'Import a message (an .eml); the envelope comes from its headers unless given',
    query: s.importQuery,
    body: { type: 'message/rfc822', schema: 'binary', description: 'The message bytes, stored exactly as sent' },
    responses: { 201: json(s.messageSummarySchema, 'Stored'), 400: badRequest, 413: error('Larger than `--max-message-size`: `payload_too_large`'), 415: error('Body is not `message/rfc822`: `unsupported_media_type`') },
  },
  {
    method: 'delete',
    path: '/api/messages',
    tag: 'messages',
    summary: 'Delete all messages, or those matching `query` (e.g. `mailbox:…`) → 204; or, with a JSON body `{ "ids": [...] }`, exactly those → 200',
    query: s.deleteQuery,
    body: { type: 'application/json', schema: b.bulkDeleteBody, description: 'Optional: `{ "ids": ["…"] }` (1–10000; not with `query`)' },
    responses: { 200: json(b.bulkDeletedSchema, 'Deleted by ids; `missing` lists ids that match no message'), 204: noContent, 400: badRequest },
  },
  {
    method: 'patch',
    path: '/api/messages',
    tag: 'messages',
    summary: 'Mark read or unread, add or remove tags on many messages, by `ids` or by `query` (`""` = all); each changed message publishes `message.updated`',
    body: { type: 'application/json', schema: b.bulkPatchBody, description: '`{ "ids": ["…"], "read": true }` or `{ "query": "tag:billing", "addTags": ["done"], "removeTags": ["todo"] }`' },
    responses: { 200: json(b.bulkUpdatedSchema, '`updated`: messages changed; `missing`: ids that match no message'), 400: badRequest },
  },
  {
    method: 'get',
    path: '/api/messages/export',
    tag: 'messages',
    summary: 'The messages as one mboxrd file (RFC 4155), oldest first: by `ids`, by `query`, or all; at most 10000',
    query: b.exportQuery,
    responses: { 200: { description: 'mbox file, `Content-Disposition: attachment; filename="mailsink-N-messages.mbox"`', type: 'application/mbox', schema: 'binary' }, 400: badRequest },
  },
  { method: 'get', path: '/api/tags', tag: 'messages', summary: 'Every tag on a stored message with its message count, sorted by name (case-insensitive)', responses: { 200: json(b.tagCountsSchema, 'Tags') } },
  {
    method: 'get',
    path: '/api/messages/wait',
    tag: 'testing',
    summary: 'Long-poll until `count` messages matching `query` with `seq > after` are stored',
    query: s.waitQuery,
    responses: { 200: json(s.waitResultSchema, 'The first `count` matches, oldest first'), 400: badRequest, 408: error('Timed out: `wait_timeout`; the message names the query, `details` has `matched`'), 503: error('The sink is stopping: `shutting_down`') },
  },
  { method: 'get', path: '/api/messages/cursor', tag: 'testing', summary: 'The `seq` of the newest message ever stored (pass as `after`)', responses: { 200: json(s.cursorSchema, 'Cursor') } },
  { method: 'get', path: '/api/messages/:id', tag: 'messages', summary: 'The full message (`:id` may be `latest`); never changes state', params: s.idParams, responses: { 200: json(s.messageDetailSchema, 'Message'), 404: notFound } },
  { method: 'patch', path: '/api/messages/:id', tag: 'messages', summary: 'Mark read or unread, set tags', params: s.idParams, body: { type: 'application/json', schema: s.patchBody, description: '`{ "read": true }`, `{ "tags": ["signup", "urgent"] }` or both' }, responses: { 200: json(s.messageSummarySchema, 'Updated'), 400: badRequest, 404: notFound } },
  { method: 'delete', path: '/api/messages/:id', tag: 'messages', summary: 'Delete one message', params: s.idParams, responses: { 204: noContent, 404: notFound } },
  { method: 'get', path: '/api/messages/:id/raw', tag: 'messages', summary: 'The exact bytes received', params: s.idParams, query: s.rawQuery, responses: { 200: { description: 'Raw message', type: 'message/rfc822', schema: 'binary' }, 404: notFound } },
  { method: 'get', path: '/api/messages/:id/html', tag: 'messages', summary: 'The HTML body, `cid:` resolved, under a CSP without script, `<base>` or (unless `remote=1`) remote content', params: s.idParams, query: s.htmlQuery, responses: { 200: { description: 'HTML body', type: 'text/html', schema: 'text' }, 404: notFound } },
  { method: 'get', path: '/api/messages/:id/text', tag: 'messages', summary: 'The text body', params: s.idParams, responses: { 200: { description: 'Text body', type: 'text/plain', schema: 'text' }, 404: notFound } },
  { method: 'get', path: '/api/messages/:id/links', tag: 'testing', summary: 'Every link in the HTML and text bodies with its anchor text, each URL once, in order', params: s.idParams, responses: { 200: json(s.linkListSchema, 'Links'), 404: notFound } },
  {
    method: 'get',
    path: '/api/messages/:id/transcript',
    tag: 'messages',
    summary: 'The SMTP transcript of the session that produced the message: commands and replies, AUTH secrets masked, no message data',
    params: s.idParams,
    responses: { 200: json(s.transcriptSchema, 'Transcript'), 404: error('No such message (`not_found`), or it has no transcript (`no_transcript`: imported over HTTP, or evicted)') },
  },
  { method: 'get', path: '/api/messages/:id/attachments/:partId', tag: 'messages', summary: 'The decoded bytes of one MIME part', params: s.partParams, responses: { 200: { description: 'Part bytes with the part\'s own Content-Type and a safe Content-Disposition', type: '*/*', schema: 'binary' }, 400: badRequest, 404: notFound } },
  { method: 'get', path: '/api/messages/:id/checks/auth', tag: 'checks', summary: 'DKIM (each signature), ARC, DMARC and SPF as a receiver would compute them, with a ready `Authentication-Results` header; DNS from `--dns-records` (and the system resolver only with `--dns-live`); cached', params: s.idParams, query: authCheckQuery, responses: { 200: json(authCheckSchema, 'Authentication results'), 400: badRequest, 404: notFound } },
  { method: 'get', path: '/api/messages/:id/checks/html', tag: 'checks', summary: 'HTML and CSS features of the HTML body that mail clients do not (fully) support, per client family, each with its line (caniemail data); cached', params: s.idParams, responses: { 200: json(htmlCheckSchema, 'HTML compatibility'), 404: notFound, 409: error('HTML body over 512 Ki characters: `check_unavailable`') } },
  { method: 'get', path: '/api/messages/:id/checks/links', tag: 'checks', summary: 'The HTTP status of every http(s) link and image URL now (HEAD, GET if refused), each redirect hop recorded (only with `--enable-link-check`; never cached)', params: s.idParams, query: linkCheckQuery, responses: { 200: json(linksCheckSchema, 'Link statuses'), 400: badRequest, 403: error('Sent by a web page of another site (`Sec-Fetch-Site`, `Origin`): `origin_not_allowed`'), 404: notFound, 409: error('The link check is off: `check_unavailable` (start with `--enable-link-check`)') } },
  { method: 'get', path: '/api/messages/:id/checks/list-unsubscribe', tag: 'checks', summary: 'Presence and form of `List-Unsubscribe` and RFC 8058 one-click `List-Unsubscribe-Post`; cached', params: s.idParams, responses: { 200: json(listUnsubscribeCheckSchema, 'List-Unsubscribe'), 404: notFound } },
  { method: 'get', path: '/api/messages/:id/checks/spam', tag: 'checks', summary: 'SpamAssassin score, threshold and rules from the spamd of `--spamassassin`; cached', params: s.idParams, responses: { 200: json(spamCheckSchema, 'Spam score'), 404: notFound, 409: error('No `--spamassassin`: `check_unavailable`'), 502: error('spamd failed: `check_failed`') } },
  { method: 'get', path: '/api/mailboxes', tag: 'testing', summary: 'Every mailbox (lowercased envelope recipient, `+tag` folded) with counts', responses: { 200: json(s.mailboxListSchema, 'Mailboxes') } },
  { method: 'get', path: '/api/faults', tag: 'faults', summary: 'Fault rules in check order, with the seed of `probability` rules', responses: { 200: json(s.faultListSchema, 'Rules') } },
  {
    method: 'post',
    path: '/api/faults',
    tag: 'faults',
    summary: 'Add one rule or an array of rules',
    body: { type: 'application/json', schema: z.union([faultRuleInputSchema, z.array(faultRuleInputSchema)]), description: 'A rule or an array of rules' },
    responses: { 201: json(s.faultsAddedSchema, 'Added'), 400: badRequest },
  },
  { method: 'put', path: '/api/faults/order', tag: 'faults', summary: 'Reorder the rules (the first matching rule fires): every current id, each once', body: { type: 'application/json', schema: s.faultOrderBody, description: '`{ "ids": ["…", "…"] }`' }, responses: { 200: json(s.faultOrderSchema, 'Rules in the new order'), 400: badRequest } },
  {
    method: 'put',
    path: '/api/faults/:id',
    tag: 'faults',
    summary: 'Replace a rule\'s definition (validated as in POST); id, createdAt, hits and matched are kept',
    params: faultIdParams,
    body: { type: 'application/json', schema: faultRuleInputSchema, description: 'One rule' },
    responses: { 200: json(s.faultRuleSchema, 'The rule as stored'), 400: badRequest, 404: error('No such rule') },
  },
  { method: 'patch', path: '/api/faults/:id', tag: 'faults', summary: 'Enable or disable a rule (a disabled rule is skipped, nothing counted)', params: faultIdParams, body: { type: 'application/json', schema: s.faultPatchBody, description: '`{ "enabled": false }`' }, responses: { 200: json(s.faultRuleSchema, 'The rule'), 400: badRequest, 404: error('No such rule') } },
  { method: 'delete', path: '/api/faults', tag: 'faults', summary: 'Remove every rule', responses: { 204: noContent } },
  { method: 'delete', path: '/api/faults/:id', tag: 'faults', summary: 'Remove one rule', params: faultIdParams, responses: { 204: noContent, 404: error('No such rule') } },
  { method: 'get', path: '/api/rejections', tag: 'faults', summary: 'Refused SMTP attempts, newest first', query: pageQuery, responses: { 200: json(s.rejectionListSchema, 'Rejections'), 400: badRequest } },
  { method: 'get', path: '/api/transcripts/:id', tag: 'faults', summary: 'An SMTP session transcript by id (`Rejection.transcriptId`)', params: s.transcriptIdParams, responses: { 200: json(s.transcriptSchema, 'Transcript'), 404: error('Unknown or no longer kept: `not_found`') } },
  { method: 'delete', path: '/api/rejections', tag: 'faults', summary: 'Forget refused attempts', responses: { 204: noContent } },
  { method: 'get', path: '/api/probe', tag: 'probe', summary: 'Whether `POST /api/probe` is on (`--enable-probe`)', responses: { 200: json(probeStatusSchema, 'Status') } },
  {
    method: 'post',
    path: '/api/probe',
    tag: 'probe',
    summary: 'Test an SMTP server stage by stage (as `mailsink probe --json`); only with `--enable-probe`',
    body: { type: 'application/json', schema: probeRequestSchema, description: '`{ "target": "smtp://host:port", "starttls": "try", "auth": {"user","pass"}, "to": [...], "send": false, "timeoutMs": 10000, "openRelay": false, "dns": {"domain","server"} }`' },
    responses: { 200: json(probeReportSchema, 'The report (failed stages are in it, not an HTTP error)'), 400: badRequest, 403: error('Probing is off: `probe_disabled`') },
  },
  {
    method: 'post',
    path: '/api/messages/:id/release',
    tag: 'relay',
    summary: 'Queue the message for the `--relay-url` upstream, its exact bytes, to `to` or else its envelope recipients; retried on 4xx or no answer',
    params: s.idParams,
    body: { type: 'application/json', schema: releaseBody, description: '`{}` or `{ "to": ["someone@example.org"] }`' },
    responses: { 202: json(deliverySchema, 'Queued'), 400: badRequest, 404: notFound, 409: error('No `--relay-url`: `relay_not_configured`; the message\'s delivery is still queued or retrying: `delivery_in_progress`') },
  },
  { method: 'get', path: '/api/messages/:id/delivery', tag: 'relay', summary: 'The message\'s delivery: state and every attempt with its reply and transcript (AUTH masked)', params: s.idParams, responses: { 200: json(deliverySchema, 'Delivery'), 404: error('No such message (`not_found`), or it was never released or relayed (`no_delivery`)') } },
  { method: 'get', path: '/api/relay', tag: 'relay', summary: 'The relay upstream (never its credentials), auto-relay rules, retry settings, queue counts and the last 20 ended deliveries', responses: { 200: json(relayStatusSchema, 'Relay status') } },
  ...MAILPIT_ROUTES,
];
