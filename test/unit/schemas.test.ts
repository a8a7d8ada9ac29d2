/**
 * The response schemas of the OpenAPI document (server/http/schemas.ts) describe exactly the wire
 * types of server/contract.ts: checked by the type checker (`npx tsc --noEmit` includes tests) in
 * both directions, so a field added to one and not the other fails the build.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as C from '../../server/contract.js';
import type * as B from '../../server/http/bulk-schemas.js';
import type { FaultList, FaultOrder, RejectionList } from '../../server/http/faults-routes.js';
import type * as S from '../../server/http/schemas.js';

type Out<T extends z.ZodType> = z.output<T>;

describe('response schemas agree with contract.ts', () => {
  it('message shapes', () => {
    expectTypeOf<Out<typeof S.addressSchema>>().toEqualTypeOf<C.Address>();
    expectTypeOf<Out<typeof S.envelopeSchema>>().toEqualTypeOf<C.Envelope>();
    expectTypeOf<Out<typeof S.headerFieldSchema>>().toEqualTypeOf<C.HeaderField>();
    expectTypeOf<Out<typeof S.attachmentMetaSchema>>().toEqualTypeOf<C.AttachmentMeta>();
    expectTypeOf<Out<typeof S.messageSummarySchema>>().toEqualTypeOf<C.MessageSummary>();
    expectTypeOf<Out<typeof S.messageDetailSchema>>().toEqualTypeOf<C.MessageDetail>();
    expectTypeOf<Out<typeof S.messageListSchema>>().toEqualTypeOf<C.MessageList>();
  });

  it('meta, testing and error shapes', () => {
    expectTypeOf<Out<typeof S.healthSchema>>().toEqualTypeOf<C.Health>();
    expectTypeOf<Out<typeof S.apiErrorBodySchema>>().toEqualTypeOf<C.ApiErrorBody>();
    expectTypeOf<Out<typeof S.mailboxSchema>>().toEqualTypeOf<C.Mailbox>();
    expectTypeOf<Out<typeof S.mailboxListSchema>>().toEqualTypeOf<C.MailboxList>();
    expectTypeOf<Out<typeof S.messageLinkSchema>>().toEqualTypeOf<C.MessageLink>();
    expectTypeOf<Out<typeof S.linkListSchema>>().toEqualTypeOf<C.LinkList>();
    expectTypeOf<Out<typeof S.waitResultSchema>>().toEqualTypeOf<C.WaitResult>();
    expectTypeOf<Out<typeof S.cursorSchema>>().toEqualTypeOf<C.Cursor>();
  });

  it('transcript shapes', () => {
    expectTypeOf<Out<typeof S.transcriptLineSchema>>().toEqualTypeOf<C.TranscriptLine>();
    expectTypeOf<Out<typeof S.transcriptSchema>>().toEqualTypeOf<C.Transcript>();
  });

  it('fault shapes', () => {
    expectTypeOf<Out<typeof S.faultRuleSchema>>().toEqualTypeOf<C.FaultRule>();
    expectTypeOf<Out<typeof S.faultListSchema>>().toEqualTypeOf<FaultList>();
    expectTypeOf<Out<typeof S.rejectionSchema>>().toEqualTypeOf<C.Rejection>();
    expectTypeOf<Out<typeof S.rejectionListSchema>>().toEqualTypeOf<RejectionList>();
    expectTypeOf<Out<typeof S.faultOrderSchema>>().toEqualTypeOf<FaultOrder>();
  });

  it('bulk and tag shapes', () => {
    expectTypeOf<Out<typeof B.bulkUpdatedSchema>>().toEqualTypeOf<C.BulkUpdateResult>();
    expectTypeOf<Out<typeof B.bulkDeletedSchema>>().toEqualTypeOf<C.BulkDeleteResult>();
    expectTypeOf<Out<typeof B.tagCountSchema>>().toEqualTypeOf<C.TagCount>();
    expectTypeOf<Out<typeof B.tagCountsSchema>>().toEqualTypeOf<C.TagCountList>();
  });
});
