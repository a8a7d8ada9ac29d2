/** Response schema of `GET /api/messages/:id/checks/links` (OpenAPI, and the tests that real answers validate); see `server/checks/links-types.ts`. */
import { z } from 'zod';

const linkStatusSchema = z.strictObject({
  url: z.string().describe('As written in the message'),
  kind: z.enum(['link', 'image']),
  status: z.number().int().nullable().describe('HTTP status of the last response; null when none came'),
  statusText: z.string().describe('Reason phrase, or one line about the error'),
  ok: z.boolean().describe('A response without error, status < 400'),
  redirects: z.array(z.strictObject({ url: z.string(), status: z.number().int() })).describe('Each redirecting response, in order'),
  finalUrl: z.string(),
  error: z.string().nullable().describe('`timeout`, `ECONNREFUSED`, `ENOTFOUND`, `too-many-redirects`, `redirect-loop`, `bad-redirect`, `bad-port`, …'),
  durationMs: z.number().int().nonnegative(),
});

export const linksCheckSchema = z.strictObject({
  checked: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative().describe('Links not ok'),
  skipped: z.number().int().nonnegative().describe('Distinct URLs beyond 100, not checked'),
  links: z.array(linkStatusSchema),
});
