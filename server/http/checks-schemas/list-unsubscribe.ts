/** Response schema of `GET /api/messages/:id/checks/list-unsubscribe` (OpenAPI, and the test that real answers validate); the type is `ListUnsubscribeCheck`. */
import { z } from 'zod';
import type { ListUnsubscribeCheck } from '../../checks/types.js';

/** Exact: no field beyond the type's (`strictObject`). */
export const listUnsubscribeCheckSchema = z.strictObject({
  present: z.boolean().describe('A `List-Unsubscribe` header field is present'),
  header: z.string().nullable().describe('Its value as written, unfolded (the first one)'),
  post: z.string().nullable().describe('`List-Unsubscribe-Post` value'),
  oneClick: z.boolean().describe('RFC 8058 one-click offered: exact `List-Unsubscribe=One-Click` and an https URI'),
  uris: z.array(z.strictObject({
    uri: z.string().describe('Without the angle brackets'),
    scheme: z.string().describe('Lowercased: `mailto`, `https`, …; `""` without one'),
    valid: z.boolean().describe('In angle brackets and well-formed'),
  })),
  findings: z.array(z.strictObject({ level: z.enum(['error', 'warning', 'info']), message: z.string().describe('One human line') })),
  ok: z.boolean().describe('Present and no `error` finding'),
});

/** Compile-time proof that the schema and the type agree. */
export type ListUnsubscribeCheckSchemaMatches = [z.infer<typeof listUnsubscribeCheckSchema>, ListUnsubscribeCheck] extends [ListUnsubscribeCheck, z.infer<typeof listUnsubscribeCheckSchema>] ? true : never;
const listUnsubscribeCheckSchemaMatches: ListUnsubscribeCheckSchemaMatches = true;
void listUnsubscribeCheckSchemaMatches;
