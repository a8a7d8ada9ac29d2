/** Response schema of `GET /api/messages/:id/checks/spam` (OpenAPI, and the tests that real answers validate); see `server/checks/spam-types.ts`. */
import { z } from 'zod';

export const spamCheckSchema = z.strictObject({
  spamd: z.string().describe('host:port of the spamd asked'),
  score: z.number(),
  threshold: z.number().describe("spamd's required_score; 0 when tooBig"),
  isSpam: z.boolean(),
  rules: z.array(z.strictObject({ name: z.string(), score: z.number(), description: z.string() })),
  sizeBytes: z.number().int().nonnegative(),
  maxSizeBytes: z.number().int().positive().describe("spamc's default --max-size (512000)"),
  tooBig: z.boolean().describe('Larger than maxSizeBytes: not sent (score 0, no rules)'),
});
