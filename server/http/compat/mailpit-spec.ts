/**
 * The Mailpit API v1 routes under `/api` in the OpenAPI document (tag `mailpit`), with zod schemas
 * of Mailpit's shapes (`mailpit-views.ts` builds them). Mailpit's own pages outside `/api`
 * (`/view/{ID}.html|txt`, `/livez`, `/readyz`) are described in the README.
 */
import { z } from 'zod';
import type { ResponseSpec, RouteSpec } from '../api-spec.js';

const address = z.object({ Name: z.string(), Address: z.string() });
const summary = z.object({
  ID: z.string(), MessageID: z.string(), Read: z.boolean(), From: address.nullable(), To: z.array(address), Cc: z.array(address),
  Bcc: z.array(address), ReplyTo: z.array(address), Subject: z.string(), Created: z.string().describe('Received, ISO 8601'),
  Username: z.string(), Tags: z.array(z.string()), Size: z.number().int().describe('Raw size in bytes'), Attachments: z.number().int(), Snippet: z.string(),
});
const messages = z.object({
  total: z.number().int(), unread: z.number().int(), count: z.number().int(), messages_count: z.number().int().describe('Messages matching (all, for a list)'),
  messages_unread: z.number().int(), start: z.number().int(), tags: z.array(z.string()), messages: z.array(summary),
});
const part = z.object({
  PartID: z.string(), FileName: z.string(), ContentType: z.string(), ContentID: z.string(), Size: z.number().int().describe('Decoded bytes'),
  Checksums: z.object({ MD5: z.string(), SHA1: z.string(), SHA256: z.string() }),
});
const message = summary.omit({ Read: true, Created: true, Attachments: true, Snippet: true }).extend({
  ReturnPath: z.string(), Date: z.string(), Text: z.string(), HTML: z.string().describe('As written (`cid:` kept)'),
  ListUnsubscribe: z.object({ Header: z.string(), Links: z.array(z.string()), Errors: z.string(), HeaderPost: z.string() }),
  Inline: z.array(part), Attachments: z.array(part),
});
const linkCheck = z.object({ Errors: z.number().int().describe('Links with StatusCode 0 or >= 400'), Links: z.array(z.object({ URL: z.string(), StatusCode: z.number().int().describe('0: no answer'), Status: z.string() })) });
const saCheck = z.object({
  IsSpam: z.boolean().describe('Score >= 5'), Error: z.string().describe('Why spamd gave no verdict; empty otherwise'), Score: z.number(),
  Rules: z.array(z.object({ Score: z.number(), Name: z.string(), Description: z.string() })).nullable(),
});
const trigger = z.object({ ErrorCode: z.number().int(), Probability: z.number().int().describe('Percent, 0 = off') });
const chaos = z.object({ Sender: trigger, Recipient: trigger, Authentication: trigger });
const chaosInput = z.object({ Sender: trigger.partial(), Recipient: trigger.partial(), Authentication: trigger.partial() }).partial();
const info = z.object({
  Version: z.string(), LatestVersion: z.string(), Database: z.string(), DatabaseSize: z.number().int(), Messages: z.number().int(), Unread: z.number().int(),
  Tags: z.record(z.string(), z.number().int()),
  RuntimeStats: z.object({ Uptime: z.number().int(), MessagesDeleted: z.number().int(), SMTPAccepted: z.number().int(), SMTPAcceptedSize: z.number().int(), SMTPRejected: z.number().int(), SMTPIgnored: z.number().int() }),
});
const htmlResult = z.object({ Name: z.string(), Platform: z.string(), Family: z.string(), Version: z.string(), Support: z.enum(['yes', 'no', 'partial']), NoteNumber: z.string() });
const htmlWarning = z.object({
  Slug: z.string().describe('caniemail slug'), Title: z.string(), Description: z.string().describe('HTML'), URL: z.string(), Category: z.string(), Tags: z.array(z.string()),
  Keywords: z.string(), Results: z.array(htmlResult), NotesByNumber: z.record(z.string(), z.string()),
  Score: z.object({ Found: z.number().int().describe('Places found'), Supported: z.number(), Partial: z.number(), Unsupported: z.number() }).describe('Percentages of Results'),
});
const htmlCheck = z.object({
  Warnings: z.array(htmlWarning).describe('Features found that some client does not fully support, worst first'),
  Platforms: z.record(z.string(), z.array(z.string())),
  Total: z.object({ Tests: z.number().int(), Nodes: z.number().int(), Supported: z.number(), Partial: z.number(), Unsupported: z.number() }),
});
const sendAddress = z.object({ Email: z.string(), Name: z.string().optional() });
const send = z.object({
  From: sendAddress, To: z.array(sendAddress).optional(), Cc: z.array(sendAddress).optional(), Bcc: z.array(z.string()).optional(), ReplyTo: z.array(sendAddress).optional(),
  Subject: z.string().optional(), Text: z.string().optional(), HTML: z.string().optional(), Headers: z.record(z.string(), z.string()).optional(), Tags: z.array(z.string()).optional(),
  Attachments: z.array(z.object({ Content: z.string().describe('base64'), Filename: z.string(), ContentType: z.string().optional(), ContentID: z.string().optional() })).optional(),
});

const id = z.object({ id: z.string().describe('Message id, or `latest` (with `?query=`)') });
const partParams = id.extend({ partId: z.string().describe('MIME part path (`PartID`)') });
const tagParams = z.object({ tag: z.string() });
const paging = z.object({ start: z.string().optional().describe('Offset, default 0'), limit: z.string().optional().describe('Page size, default 50; 0 = all'), before: z.string().optional().describe('Only messages received before this date') });
const search = paging.extend({ query: z.string().describe('Mailpit search string'), tz: z.string().optional().describe('IANA zone for zone-less dates') });

const json = (schema: z.ZodType, description: string): ResponseSpec => ({ description, type: 'application/json', schema });
const text = (description: string): ResponseSpec => ({ description, type: 'text/plain', schema: 'text' });
const ok = text('`ok`');
const bad = text('Plain-text error, as Mailpit answers');
const missing = text('`404 page not found`, or `Message not found` for `latest`');
const body = (schema: z.ZodType, description: string) => ({ type: 'application/json', schema, description });

/** Mailpit API v1 (`tag: 'mailpit'`): field names and behaviour as Mailpit's, see the README. */
export const MAILPIT_ROUTES: readonly RouteSpec[] = [
  { method: 'get', path: '/api/v1/messages', tag: 'mailpit', summary: 'Mailpit: a page of messages, newest first (a MailHog client gets MailHog\'s array)', query: paging, responses: { 200: json(messages, 'MessagesSummary') } },
  { method: 'put', path: '/api/v1/messages', tag: 'mailpit', summary: 'Mailpit: set the read flag of `IDs`, of a `Search`, or of all', query: z.object({ tz: z.string().optional() }), body: body(z.object({ IDs: z.array(z.string()).optional(), Search: z.string().optional(), Read: z.boolean().optional() }), '`{IDs, Read}` or `{Search, Read}`'), responses: { 200: ok, 400: bad } },
  { method: 'delete', path: '/api/v1/messages', tag: 'mailpit', summary: 'Mailpit: delete `IDs`, or everything (a MailHog client gets MailHog\'s empty answer)', responses: { 200: ok } },
  { method: 'get', path: '/api/v1/search', tag: 'mailpit', summary: 'Mailpit: messages matching a search, newest first', query: search, responses: { 200: json(messages, 'MessagesSummary'), 400: bad } },
  { method: 'delete', path: '/api/v1/search', tag: 'mailpit', summary: 'Mailpit: delete the messages matching a search', query: search.pick({ query: true, tz: true }), responses: { 200: ok, 400: bad } },
  { method: 'get', path: '/api/v1/message/:id', tag: 'mailpit', summary: 'Mailpit: one message; marks it read, as Mailpit does', params: id, responses: { 200: json(message, 'Message'), 404: missing } },
  { method: 'get', path: '/api/v1/message/:id/headers', tag: 'mailpit', summary: 'Mailpit: header fields, canonical keys, sorted', params: id, responses: { 200: json(z.record(z.string(), z.array(z.string())), 'Headers'), 404: missing } },
  { method: 'get', path: '/api/v1/message/:id/raw', tag: 'mailpit', summary: 'Mailpit: the exact bytes received (`?dl=1` to download)', params: id, responses: { 200: text('Raw message'), 404: missing } },
  { method: 'get', path: '/api/v1/message/:id/part/:partId', tag: 'mailpit', summary: 'Mailpit: the decoded bytes of one part', params: partParams, responses: { 200: { description: 'Part bytes', type: '*/*', schema: 'binary' }, 404: missing } },
  { method: 'get', path: '/api/v1/message/:id/part/:partId/thumb', tag: 'mailpit', summary: 'Mailpit: a 180×120 JPEG thumbnail of an image part (blank for others)', params: partParams, responses: { 200: { description: 'JPEG', type: 'image/jpeg', schema: 'binary' }, 400: bad, 404: missing } },
  { method: 'get', path: '/api/v1/message/:id/html-check', tag: 'mailpit', summary: 'Mailpit: HTML and CSS support per mail client (caniemail data; the sink\'s HTML check)', params: id, responses: { 200: json(htmlCheck, 'HTMLCheckResponse'), 400: text('`message does not contain HTML`, or the HTML body is over the check\'s 512 Ki characters'), 404: missing } },
  { method: 'get', path: '/api/v1/message/:id/link-check', tag: 'mailpit', summary: 'Mailpit: the HTTP status of each link and image (only with `--enable-link-check`; refused to other sites\' pages)', params: id, query: z.object({ follow: z.string().optional().describe('`true` or `1`: follow redirects') }), responses: { 200: json(linkCheck, 'LinkCheckResponse'), 400: text('The link check is off (`--enable-link-check`)'), 403: text('Sent by a web page of another site'), 404: missing } },
  { method: 'get', path: '/api/v1/message/:id/sa-check', tag: 'mailpit', summary: 'Mailpit: SpamAssassin\'s verdict from `--spamassassin` (404 without it, as Mailpit); a spamd failure is in `Error`', params: id, responses: { 200: json(saCheck, 'SpamAssassinResponse'), 404: missing } },
  { method: 'post', path: '/api/v1/message/:id/release', tag: 'mailpit', summary: 'Mailpit: release the exact bytes to `To` through `--relay-url`; answers after the first attempt (`ok` only when delivered; a 4xx or no answer is a `400` while mailsink keeps retrying)', params: id, body: body(z.object({ To: z.array(z.string()) }), '`{"To": ["someone@example.org"]}`'), responses: { 200: ok, 400: text('`Invalid email address: …`, `No valid addresses found`, or `SMTP error: …` (a 5xx reply; a 4xx or no answer, then retried in the background; or no `--relay-url`)'), 404: missing } },
  { method: 'post', path: '/api/v1/send', tag: 'mailpit', summary: 'Mailpit: build, store and announce a message', body: body(send, 'Mailpit\'s SendRequest'), responses: { 200: json(z.object({ ID: z.string() }), 'Stored'), 400: json(z.object({ Error: z.string(), field: z.string() }), 'Invalid request') } },
  { method: 'get', path: '/api/v1/tags', tag: 'mailpit', summary: 'Mailpit: every tag in use, sorted', responses: { 200: json(z.array(z.string()), 'Tags') } },
  { method: 'put', path: '/api/v1/tags', tag: 'mailpit', summary: 'Mailpit: replace the tags of `IDs`', body: body(z.object({ IDs: z.array(z.string()), Tags: z.array(z.string()).optional() }), '`{IDs, Tags}`'), responses: { 200: ok, 400: bad } },
  { method: 'put', path: '/api/v1/tags/:tag', tag: 'mailpit', summary: 'Mailpit: rename a tag on every message', params: tagParams, body: body(z.object({ Name: z.string() }), '`{Name}`'), responses: { 200: ok, 400: bad } },
  { method: 'delete', path: '/api/v1/tags/:tag', tag: 'mailpit', summary: 'Mailpit: remove a tag from every message', params: tagParams, responses: { 200: ok } },
  { method: 'get', path: '/api/v1/chaos', tag: 'mailpit', summary: 'Mailpit: chaos triggers, read from the fault rules', responses: { 200: json(chaos, 'Triggers') } },
  { method: 'put', path: '/api/v1/chaos', tag: 'mailpit', summary: 'Mailpit: set chaos triggers (as seeded fault rules)', body: body(chaosInput, 'Triggers; missing ones off'), responses: { 200: json(chaos, 'Triggers'), 400: bad } },
  { method: 'get', path: '/api/v1/info', tag: 'mailpit', summary: 'Mailpit: counts and runtime statistics', responses: { 200: json(info, 'AppInformation') } },
  { method: 'get', path: '/api/v1/webui', tag: 'mailpit', summary: 'Mailpit: web UI settings (relay off, chaos on)', responses: { 200: json(z.record(z.string(), z.unknown()), 'WebUIConfiguration') } },
];
