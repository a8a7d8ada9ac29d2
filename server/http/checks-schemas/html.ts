/** Response schema of `GET /api/messages/:id/checks/html` (OpenAPI, and the test that real answers validate); the type is `HtmlCheck`. */
import { z } from 'zod';
import type { HtmlCheck } from '../../checks/types.js';

const finding = z.strictObject({
  feature: z.string().describe('caniemail slug, e.g. `css-display-flex`'),
  title: z.string().describe('caniemail title, e.g. `display:flex`'),
  category: z.enum(['html', 'css']),
  support: z.enum(['none', 'partial']).describe('How the listed clients support it'),
  line: z.number().int().min(1).describe('1-based line in the HTML body as sent (decoded)'),
  column: z.number().int().min(1).describe('1-based column on that line'),
  clients: z.array(z.string()).describe('caniemail client ids, e.g. `outlook.windows`, sorted'),
  notes: z.array(z.string()).describe("caniemail's notes (Markdown)"),
});

const client = z.strictObject({
  family: z.string().describe('caniemail family, e.g. `outlook`'),
  name: z.string().describe('e.g. `Outlook`'),
  platforms: z.array(z.string()).describe('e.g. `windows`, `ios`'),
  score: z.number().int().min(0).max(100).describe('Share of (feature found × platform) supported, partial counting half'),
  unsupported: z.number().int().min(0).describe('Features found some platform does not support'),
  partial: z.number().int().min(0).describe('Features found some platform supports partially (and none leaves unsupported)'),
});

/** Exact: no field beyond the type's (`strictObject`). */
export const htmlCheckSchema = z.strictObject({
  hasHtml: z.boolean().describe('`false`: no HTML body (score 100, nothing found)'),
  score: z.number().int().min(0).max(100).describe('0–100 over all clients'),
  clients: z.array(client).describe('One per client family'),
  findings: z.array(finding).describe('Per feature, place and support; sorted by line and column'),
  nodes: z.number().int().min(0).describe('Elements other than `html`, `head`, `meta`'),
  errors: z.array(z.string()).describe('`<style>` or `style=""` caniemail could not parse (skipped)'),
  dataVersion: z.string().describe('e.g. `caniemail@1.0.5 (data 2025-09-09)`'),
});

/** Compile-time proof that the schema and the type agree. */
export type HtmlCheckSchemaMatches = [z.infer<typeof htmlCheckSchema>, HtmlCheck] extends [HtmlCheck, z.infer<typeof htmlCheckSchema>] ? true : never;
const htmlCheckSchemaMatches: HtmlCheckSchemaMatches = true;
void htmlCheckSchemaMatches;
