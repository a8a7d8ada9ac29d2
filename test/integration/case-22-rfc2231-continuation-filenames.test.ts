/**
 * Case 22 (shared/cases/22-rfc2231-continuation-filenames.md): attachment names in RFC 2231
 * continuations (`filename*0*=`, the charset only on section 0, a UTF-8 character split across
 * sections, an unencoded quoted last section) and an ISO-8859-1 `filename*`.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { dispositionFilename, queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const PARTS = [
  { partId: '2', filename: 'test pdf a\u0308o\u0308u\u0308ß.pdf', sizeBytes: 34, sha256: 'e49c0ec58ba189523541453c0696bcab60942661c17ccdd292e242b6d223f30d' },
  { partId: '3', filename: '☃ Jahresbericht 2024.xlsx', sizeBytes: 27, sha256: '7e290697f51aa76ebe239349676b37bfb9db19d7cd097a8cd678ee258102b49b' },
  { partId: '4', filename: 'Grüße.txt', sizeBytes: 25, sha256: 'c797e4be57eab12cfbf0444763925eeca399fb46adfe5c11dcc4c0032c01cf9f' },
];

describe('case 22: RFC 2231 continuation file names', () => {
  const sink = useSink();

  it('decodes every continued name exactly and serves each part under its full UTF-8 name', async () => {
    const eml = readCaseEml({ eml: '22-rfc2231-continuation-filenames.eml', sizeBytes: 1233, sha256: '333736898329a94a375c42e9b9aaa9e1d3a9546097e894017376ad62efea645f' });
    const info = await sendRaw(sink(), { from: 'sender@example.com', to: ['rcpt@example.org'] }, eml);
    expect(info.response).toMatch(/^250 /);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);
    expect(detail.text?.trim()).toBe('Three files attached.');
    expect(detail.attachments.map(({ partId, filename, sizeBytes, sha256: hash, disposition }) => ({ partId, filename, sizeBytes, sha256: hash, disposition }))).toEqual(
      PARTS.map((part) => ({ ...part, disposition: 'attachment' })),
    );
    expect(detail.attachments[0]!.filename!.endsWith('.pdf')).toBe(true);
    for (const part of detail.attachments) {
      const download = await fetchBytes(sink(), part.url);
      expect(download.status).toBe(200);
      expect(sha256(download.body)).toBe(part.sha256);
      expect(download.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''/);
      expect(dispositionFilename(download.headers.get('content-disposition'))).toBe(part.filename);
    }
  });
});
