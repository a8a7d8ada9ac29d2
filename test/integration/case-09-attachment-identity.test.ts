/**
 * Case 09 (shared/cases/09-attachment-identity.md): an attachment named only by `Content-Type;
 * name=`, one with a path-like file name and a `/` in its Content-ID, and two messages with the
 * same Message-ID and the same attachment names but different bytes.
 */
import { describe, expect, it } from 'vitest';
import type { AttachmentMeta, MessageDetail, MessageList } from '../../server/contract.js';
import { dispositionFilename, queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

interface Variant {
  name: 'A' | 'B';
  eml: string;
  emlSha256: string;
  text: string;
  pdfSha256: string;
  notesSha256: string;
}

const VARIANTS: Variant[] = [
  {
    name: 'A',
    eml: '09-attachment-identity.eml',
    emlSha256: '2934867aa48e4084a14f9e25557ada8c5ab9304e4a4d93046599e9a9ad6d4c0e',
    text: 'Summary A attached.',
    pdfSha256: '2beb9d7f4324c236f71f6604d1c1e531517bd52542a9ace8238fc5ae0b386f10',
    notesSha256: 'eb1e3ba5e8d6467f0426d062beacc02e0665f287494e55fdbad13fe46ef59570',
  },
  {
    name: 'B',
    eml: '09-attachment-identity-B.eml',
    emlSha256: '1f2c141132997226bad76f2a0cb80eb7c0c40081133b71ea8c326d770408ec01',
    text: 'Summary B attached.',
    pdfSha256: '5b9b63ee5bc53b44ecae86f582ee3d29acc6b2d32f653666e92b63a6cc54a201',
    notesSha256: '2e30b02dc4c61b5de4d823f256d7f24bfab6886578f18f62e03eb65bccb6b62d',
  },
];

describe('case 09: attachment identity', () => {
  const sink = useSink();
  const ids = new Map<Variant['name'], string>();

  it('stores A and B as two messages (no de-duplication by Message-ID)', async () => {
    for (const variant of VARIANTS) {
      const eml = readCaseEml({ eml: variant.eml, sizeBytes: 2820, sha256: variant.emlSha256 });
      const info = await sendRaw(sink(), { from: 'reports@example.com', to: ['finance@example.org'] }, eml);
      expect(info.response).toMatch(/^250 /);
      ids.set(variant.name, queuedId(info.response));
    }
    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages.map((m) => [m.id, m.messageId, m.attachmentCount])).toEqual([
      [ids.get('B'), 'case09.same-id@example.com', 2],
      [ids.get('A'), 'case09.same-id@example.com', 2],
    ]);
  });

  // Runs after B arrived, so A's downloads also prove isolation between same-named attachments.
  for (const variant of VARIANTS) {
    it(`${variant.name}: exposes both attachments with their names, sizes and decoded bytes`, async () => {
      const id = ids.get(variant.name)!;
      const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
      expect(detail.envelope).toMatchObject({ mailFrom: 'reports@example.com', rcptTo: ['finance@example.org'] });
      expect(detail.text?.trim()).toBe(variant.text);
      expect(detail.attachments).toHaveLength(2);
      const [pdf, notes] = detail.attachments as [AttachmentMeta, AttachmentMeta];

      expect(pdf).toMatchObject({ filename: 'Quarterly, summary 2025.pdf', sizeBytes: 1522, sha256: variant.pdfSha256, disposition: 'attachment' });
      expect(['application/octet-stream', 'application/pdf']).toContain(pdf.contentType);
      const pdfDownload = await fetchBytes(sink(), pdf.url);
      expect(pdfDownload.status).toBe(200);
      expect(pdfDownload.body.length).toBe(1522);
      expect(sha256(pdfDownload.body)).toBe(variant.pdfSha256);
      expect(pdfDownload.body.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
      expect(dispositionFilename(pdfDownload.headers.get('content-disposition'))).toBe('Quarterly, summary 2025.pdf');
      expect(pdfDownload.headers.get('content-disposition')).toMatch(/^attachment;/);

      expect(notes).toMatchObject({ contentId: 'files/notes', filename: '../../etc/notes.txt', sizeBytes: 20, sha256: variant.notesSha256 });
      const notesDownload = await fetchBytes(sink(), notes.url);
      expect(notesDownload.status).toBe(200);
      expect(notesDownload.body.toString('utf8')).toBe(`notes for variant ${variant.name}\n`);
      expect(sha256(notesDownload.body)).toBe(variant.notesSha256);
      const served = dispositionFilename(notesDownload.headers.get('content-disposition'));
      expect(served).toBe('notes.txt');
      expect(notes.safeFilename).toBe('notes.txt');
    });
  }
});
