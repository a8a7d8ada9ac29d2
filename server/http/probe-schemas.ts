/**
 * Zod schemas of the probe report (`POST /api/probe`, `mailsink probe --json`), for the OpenAPI
 * document and for tests that validate real reports. Mirrors `server/probe/report.ts`.
 */
import { z } from 'zod';
import { PROBE_STAGES } from '../probe/report.js';

const reply = z.object({ code: z.number().int(), enhancedCode: z.string().nullable(), text: z.string() }).strict();
const capabilities = z
  .object({
    hostname: z.string(),
    lines: z.array(z.string()),
    sizeBytes: z.number().int().nullable(),
    pipelining: z.boolean(),
    eightBitMime: z.boolean(),
    smtpUtf8: z.boolean(),
    enhancedStatusCodes: z.boolean(),
    chunking: z.boolean(),
    dsn: z.boolean(),
    startTls: z.boolean(),
    auth: z.array(z.string()),
  })
  .strict();
const certificate = z
  .object({
    subject: z.string(),
    subjectAltNames: z.array(z.string()),
    issuer: z.string(),
    validFrom: z.string(),
    validTo: z.string(),
    daysToExpiry: z.number().int().describe('Whole days until validTo; negative once expired'),
    selfSigned: z.boolean(),
    fingerprint256: z.string(),
  })
  .strict();

/** The report of one probe. */
export const probeReportSchema = z
  .object({
    target: z.string().describe('smtp://host:port or smtps://host:port'),
    startedAt: z.string(),
    ms: z.number().int(),
    stages: z.array(z.object({ stage: z.enum(PROBE_STAGES), ok: z.boolean(), ms: z.number().int().describe('Duration in ms'), reply: reply.nullable(), detail: z.string() }).strict()),
    findings: z.array(
      z
        .object({
          level: z.enum(['pass', 'warn', 'fail']),
          stage: z.union([z.enum(PROBE_STAGES), z.literal('dns'), z.literal('relay')]),
          text: z.string(),
          explanation: z.object({ cause: z.string(), action: z.string() }).strict().optional(),
        })
        .strict(),
    ),
    banner: z.string().nullable(),
    ehlo: z.object({ beforeTls: capabilities.nullable(), afterTls: capabilities.nullable() }).strict(),
    tls: z
      .object({ mode: z.enum(['starttls', 'implicit']), protocol: z.string().nullable(), cipher: z.string().nullable(), chain: z.array(certificate), matchesHost: z.boolean(), trusted: z.boolean(), trustError: z.string().nullable() })
      .strict()
      .nullable(),
    queueId: z.string().nullable(),
    openRelay: z.object({ tested: z.boolean(), open: z.boolean().nullable(), reply: reply.nullable() }).strict().nullable(),
    dns: z
      .object({
        domain: z.string(),
        mx: z.array(z.object({ exchange: z.string(), priority: z.number().int() }).strict()),
        spf: z.string().nullable(),
        spfLookups: z.number().int().nullable(),
        dmarc: z.string().nullable(),
        mtaSts: z.string().nullable(),
        tlsRpt: z.string().nullable(),
        ptr: z.object({ address: z.string(), names: z.array(z.string()), forwardConfirmed: z.boolean() }).strict().nullable(),
      })
      .strict()
      .nullable(),
    transcript: z.array(z.object({ atMs: z.number().int(), direction: z.enum(['client', 'server', 'note']), text: z.string() }).strict()),
    exitCode: z.number().int().describe('Exit code of `mailsink probe` for this report'),
  })
  .strict();

/** `GET /api/probe` */
export const probeStatusSchema = z.object({ enabled: z.boolean() }).strict();
