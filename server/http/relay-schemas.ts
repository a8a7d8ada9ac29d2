/**
 * Zod schemas of the relay routes (`POST /api/messages/:id/release`, `GET /api/messages/:id/delivery`,
 * `GET /api/relay`): exactly the shapes of `relay/types.ts`, for input parsing and the OpenAPI document.
 */
import { z } from 'zod';

/** Body of `POST /api/messages/:id/release`: other recipients, else the envelope's `RCPT TO`. */
export const releaseBody = z
  .object({ to: z.array(z.string().trim().regex(/^[^\s<>@]+@[^\s<>@]+$/, 'expected an address such as someone@example.org'), { message: 'expected a list of addresses' }).min(1, 'expected at least one address').max(1000).optional() })
  .strict();

const attemptSchema = z.object({
  number: z.number().int().describe('1-based'),
  time: z.string().describe('Start, ISO 8601 UTC'),
  durationMs: z.number().int(),
  code: z.number().int().nullable().describe('Reply code that decided; null: no reply'),
  reply: z.string().nullable().describe('That reply as sent, e.g. `421 4.3.2 Try again later`'),
  error: z.string().nullable().describe('`ECONNREFUSED`, `ETIMEDOUT`, TLS errors … (null when a reply decided)'),
  outcome: z.enum(['delivered', 'retry', 'failed']),
  refused: z
    .array(z.object({ recipient: z.string(), code: z.number().int().nullable(), reply: z.string().describe('e.g. `550 5.1.1 No such user`') }))
    .describe('Recipients refused at RCPT TO in this session; with some accepted the attempt is `delivered` to those and the refused are not retried'),
  transcript: z.array(z.object({ direction: z.enum(['client', 'server', 'note']), text: z.string() })).describe('The session, AUTH secrets masked'),
});

/** A message's delivery to the relay upstream. */
export const deliverySchema = z.object({
  messageId: z.string(),
  state: z.enum(['queued', 'retrying', 'delivered', 'failed']),
  reason: z.enum(['release', 'auto-relay']),
  mailFrom: z.string().describe("'' for <>"),
  rcptTo: z.array(z.string()),
  upstream: z.string().describe('`smtp://host:port`, never credentials'),
  queuedAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  endReason: z.enum(['reply', 'max-attempts', 'max-age']).nullable().describe('Why a `failed` delivery ended'),
  attempts: z.array(attemptSchema),
});

/** `GET /api/relay`. */
export const relayStatusSchema = z.object({
  upstream: z
    .object({ url: z.string(), host: z.string(), port: z.number().int(), secure: z.boolean(), starttls: z.enum(['required', 'opportunistic', 'off']), tlsVerify: z.boolean(), auth: z.boolean().describe('Credentials are configured (never shown)') })
    .nullable()
    .describe('null without `--relay-url`'),
  allow: z.array(z.string()),
  deny: z.array(z.string()),
  retry: z.object({ initialMs: z.number().int(), maxAttempts: z.number().int(), maxAgeMs: z.number().int() }),
  queue: z.object({ queued: z.number().int(), retrying: z.number().int() }),
  recent: z.array(deliverySchema).describe('The last 20 ended deliveries, newest first'),
});
