/**
 * Zod schemas of the REST API: the request schemas the routes parse their input with, and the
 * response schemas of `server/contract.ts` types. `openapi.ts` generates the OpenAPI document from
 * exactly these objects; `test/unit/schemas.test.ts` checks that each response schema's type is the
 * contract type it describes.
 */
import { z } from 'zod';
import { bulkDeletedSchema, bulkUpdatedSchema, tagCountSchema, tagCountsSchema } from './bulk-schemas.js';

// ——— requests ———

const query = z.string().max(1000).default('').describe('Search query, e.g. `mailbox:alice@example.org subject:"Reset"` or `tag:billing is:unread` (see the grammar in the README)');

/** `GET /api/messages` */
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50).describe('Page size'),
  offset: z.coerce.number().int().min(0).default(0).describe('Matches to skip'),
  query,
});

/** `DELETE /api/messages` */
export const deleteQuery = z.object({ query: query.describe('Delete only the messages matching this query; empty deletes all') });

/** Default wait in ms: below the 5 s default test timeout of vitest and jest, so a miss fails with the 408's message. */
export const DEFAULT_WAIT_TIMEOUT_MS = 4000;

/** `GET /api/messages/wait` */
export const waitQuery = z.object({
  query,
  after: z.coerce.number().int().min(0).default(0).describe('Only messages with `seq` greater than this count (a cursor)'),
  count: z.coerce.number().int().min(1).max(1000).default(1).describe('How many matching messages to wait for'),
  timeoutMs: z.coerce.number().int().min(0).max(300_000).default(DEFAULT_WAIT_TIMEOUT_MS).describe('Give up after this many ms (408)'),
});

/** `POST /api/messages` (import): envelope values that win over the headers. */
export const importQuery = z.object({
  mailFrom: z.string().max(1000).optional().describe('Envelope sender; default: Return-Path, else the first From address'),
  rcptTo: z
    .union([z.string().max(10_000), z.array(z.string().max(1000)).max(1000)])
    .optional()
    .describe('Envelope recipients, repeated or comma-separated; default: every To, Cc and Bcc address'),
});

/** `:id` */
export const idParams = z.object({ id: z.string().min(1).max(200).describe('Message id, or `latest`') });
/** `:id/attachments/:partId` */
export const partParams = idParams.extend({
  partId: z
    .string()
    .regex(/^(\d+(\.\d+)*|uu-\d+)$/, 'expected a MIME part path such as 1.2, or uu-N')
    .describe('MIME part path (`AttachmentMeta.partId`), or `uu-N` for the N-th uuencoded file of the text body'),
});
/** `PATCH /api/messages/:id` */
export const patchBody = z
  .object({
    read: z.boolean().optional().describe('Read flag'),
    tags: z.array(z.string().max(1000)).max(100).optional().describe('Replaces the tags (cleaned as Mailpit does: letters, digits, space, - _ . @; deduplicated case-insensitively)'),
  })
  .strict()
  .refine((body) => body.read !== undefined || body.tags !== undefined, { message: 'give read, tags or both' });
/** `GET /api/messages/:id/raw` */
export const htmlQuery = z.object({
  remote: z.enum(['0', '1', 'true', 'false']).optional().describe('`1` to let remote images, styles and fonts load (blocked by default: tracking pixels); script never runs'),
});
export const rawQuery = z.object({ download: z.enum(['0', '1', 'true', 'false']).optional().describe('`1` for an attachment download named `<id>.eml`') });

// ——— responses ———

export const addressSchema = z.object({ name: z.string(), address: z.string() });
export const envelopeSchema = z.object({
  mailFrom: z.string(),
  rcptTo: z.array(z.string()),
  mailParams: z.record(z.string(), z.union([z.string(), z.literal(true)])),
  heloName: z.string(),
  remoteAddress: z.string(),
  remotePort: z.number().int(),
  secure: z.boolean(),
  authUser: z.string().nullable(),
});
export const headerFieldSchema = z.object({
  name: z.string(),
  value: z.string().describe('As written, unfolded; RFC 2047 encoded words not decoded'),
  decoded: z.string().describe('Encoded words (RFC 2047) decoded in their charset'),
});
export const attachmentMetaSchema = z.object({
  partId: z.string(),
  filename: z.string().nullable(),
  safeFilename: z.string(),
  contentType: z.string(),
  contentTypeParams: z.record(z.string(), z.string()),
  contentId: z.string().nullable(),
  disposition: z.enum(['attachment', 'inline']).nullable(),
  inline: z.boolean(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  url: z.string(),
});
export const messageSummarySchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  receivedAt: z.string(),
  envelope: envelopeSchema.pick({ mailFrom: true, rcptTo: true }),
  messageId: z.string().nullable(),
  subject: z.string(),
  from: z.array(addressSchema),
  to: z.array(addressSchema),
  cc: z.array(addressSchema),
  date: z.string().nullable(),
  snippet: z.string(),
  sizeBytes: z.number().int(),
  attachmentCount: z.number().int(),
  read: z.boolean(),
  tags: z.array(z.string()),
  parseError: z.string().nullable(),
});
export const messageDetailSchema = messageSummarySchema.extend({
  envelope: envelopeSchema,
  bccOnly: z.array(z.string()),
  bcc: z.array(addressSchema),
  replyTo: z.array(addressSchema),
  headers: z.array(headerFieldSchema),
  text: z.string().nullable(),
  html: z.string().nullable(),
  attachments: z.array(attachmentMetaSchema),
});
export const messageListSchema = z.object({ total: z.number().int(), count: z.number().int(), messages: z.array(messageSummarySchema) });
export const healthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  smtpPort: z.number().int(),
  httpPort: z.number().int(),
  messages: z.number().int(),
  smtpPorts: z.array(z.number().int()),
  smtpsPort: z.number().int().nullable(),
  checks: z.object({ links: z.boolean(), spam: z.boolean() }).describe('Which on-request checks are on: `links` with `--enable-link-check`, `spam` with `--spamassassin`'),
});
export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
});
export const mailboxSchema = z.object({
  mailbox: z.string(),
  count: z.number().int(),
  unread: z.number().int(),
  tags: z.array(z.object({ tag: z.string(), count: z.number().int() })),
});
export const mailboxListSchema = z.object({ total: z.number().int(), mailboxes: z.array(mailboxSchema) });
export const messageLinkSchema = z.object({ url: z.string(), text: z.string(), sources: z.array(z.enum(['html', 'text'])) });
export const linkListSchema = z.object({ count: z.number().int(), links: z.array(messageLinkSchema) });
export const waitResultSchema = z.object({ cursor: z.number().int(), count: z.number().int(), messages: z.array(messageSummarySchema) });
export const cursorSchema = z.object({ cursor: z.number().int() });

const faultStage = z.enum(['connect', 'auth', 'mailFrom', 'rcptTo', 'data']);
export const faultRuleSchema = z.object({
  id: z.string(),
  stage: faultStage,
  match: z
    .object({
      mailFrom: z.string().optional(),
      rcptTo: z.string().optional(),
      authUser: z.string().optional(),
      remoteAddress: z.string().optional(),
      subject: z.string().optional(),
      nth: z.number().int().optional(),
    })
    .optional(),
  reply: z.object({ code: z.number().int(), enhancedCode: z.string().optional(), text: z.string().optional() }).optional(),
  delayMs: z.number().int().optional(),
  disconnect: z.boolean().optional(),
  times: z.number().int().optional(),
  probability: z.number().optional(),
  createdAt: z.string(),
  hits: z.number().int(),
  matched: z.number().int(),
  active: z.boolean(),
  enabled: z.boolean(),
  description: z.string(),
  lastFired: z.object({ time: z.string(), code: z.number().int().nullable(), disconnect: z.boolean(), remoteAddress: z.string() }).nullable().describe('Its last firing on this instance (kept across edits), or `null`'),
});
export const faultListSchema = z.object({ seed: z.number().int(), rules: z.array(faultRuleSchema) });
export const faultsAddedSchema = z.object({ rules: z.array(faultRuleSchema) });
export const faultOrderSchema = z.object({ rules: z.array(faultRuleSchema) });
/** `PATCH /api/faults/:id` */
export const faultPatchBody = z.object({ enabled: z.boolean().describe('`false` skips the rule (nothing counted), `true` checks it again') }).strict();
/** `PUT /api/faults/order` */
export const faultOrderBody = z.object({ ids: z.array(z.string().min(1).max(100)).max(10_000).describe('Every current rule id, each once, in the new check order') }).strict();
export const rejectionSchema = z.object({
  id: z.string(),
  time: z.string(),
  stage: faultStage,
  ruleId: z.string().nullable(),
  ruleDescription: z.string().nullable().describe("The rule's description when it fired (it may have changed since), `null` for a built-in limit"),
  reply: z.string().nullable(),
  disconnected: z.boolean(),
  argument: z.string().nullable(),
  envelope: envelopeSchema.pick({ mailFrom: true, rcptTo: true, heloName: true, remoteAddress: true, authUser: true }),
  transcriptId: z.string().nullable(),
});
export const transcriptLineSchema = z.object({ offsetMs: z.number().int(), direction: z.enum(['client', 'server', 'note']), text: z.string() });
export const transcriptSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  remoteAddress: z.string(),
  remotePort: z.number().int(),
  localPort: z.number().int(),
  secure: z.boolean(),
  messageIds: z.array(z.string()),
  lines: z.array(transcriptLineSchema),
  droppedLines: z.number().int(),
});
/** `/api/transcripts/:id` */
export const transcriptIdParams = z.object({ id: z.string().min(1).max(200).describe('SMTP session id (`Rejection.transcriptId`, `Transcript.id`)') });
export const rejectionListSchema = z.object({ total: z.number().int(), count: z.number().int(), rejections: z.array(rejectionSchema) });

/** Named response schemas: the `components.schemas` of the OpenAPI document. */
export const COMPONENTS = {
  Address: addressSchema,
  Envelope: envelopeSchema,
  HeaderField: headerFieldSchema,
  AttachmentMeta: attachmentMetaSchema,
  MessageSummary: messageSummarySchema,
  MessageDetail: messageDetailSchema,
  MessageList: messageListSchema,
  Health: healthSchema,
  ApiErrorBody: apiErrorBodySchema,
  Mailbox: mailboxSchema,
  MailboxList: mailboxListSchema,
  MessageLink: messageLinkSchema,
  LinkList: linkListSchema,
  WaitResult: waitResultSchema,
  Cursor: cursorSchema,
  FaultRule: faultRuleSchema,
  FaultList: faultListSchema,
  FaultsAdded: faultsAddedSchema,
  FaultOrder: faultOrderSchema,
  BulkUpdateResult: bulkUpdatedSchema,
  BulkDeleteResult: bulkDeletedSchema,
  TagCount: tagCountSchema,
  TagCountList: tagCountsSchema,
  Rejection: rejectionSchema,
  RejectionList: rejectionListSchema,
  TranscriptLine: transcriptLineSchema,
  Transcript: transcriptSchema,
} as const;
