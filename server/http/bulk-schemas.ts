/**
 * Zod schemas of the bulk message routes (`PATCH`/`DELETE /api/messages` with ids, the mbox export)
 * and `GET /api/tags`: requests the routes parse, responses the OpenAPI document describes.
 */
import { z } from 'zod';

/** Most ids (or query matches) one bulk request or export handles. */
export const BULK_MAX = 10_000;

const ids = z.array(z.string().min(1).max(200)).min(1).max(BULK_MAX).describe('Message ids (1–10000)');
const tagList = z.array(z.string().max(1000)).max(100);

/** `PATCH /api/messages` */
export const bulkPatchBody = z
  .object({
    ids: ids.optional(),
    query: z.string().max(1000).optional().describe('Search query instead of ids; `""` selects every message'),
    read: z.boolean().optional().describe('Read flag to set'),
    addTags: tagList.optional().describe('Tags to add (cleaned as in `PATCH /api/messages/:id`)'),
    removeTags: tagList.optional().describe('Tags to remove (case-insensitive)'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.ids === undefined) === (body.query === undefined)) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give exactly one of ids and query' });
    if (body.read === undefined && body.addTags === undefined && body.removeTags === undefined) {
      ctx.addIssue({ code: 'custom', path: ['read'], message: 'give read, addTags or removeTags' });
    }
  });

/** JSON body of `DELETE /api/messages` (instead of `?query=`). */
export const bulkDeleteBody = z.object({ ids }).strict();

/** `GET /api/messages/export` */
export const exportQuery = z.object({
  ids: z.string().max(200_000).optional().describe('Comma-separated message ids'),
  query: z.string().max(1000).optional().describe('Search query; neither ids nor query exports every message'),
});

/** Response of `PATCH /api/messages` (`BulkUpdateResult`). */
export const bulkUpdatedSchema = z.object({ updated: z.number().int(), missing: z.array(z.string()) });
/** Response of `DELETE /api/messages` with ids (`BulkDeleteResult`). */
export const bulkDeletedSchema = z.object({ deleted: z.number().int(), missing: z.array(z.string()) });
/** One tag and its message count (`TagCount`). */
export const tagCountSchema = z.object({ name: z.string(), count: z.number().int() });
/** Response of `GET /api/tags` (`TagCountList`). */
export const tagCountsSchema = z.object({ tags: z.array(tagCountSchema) });
