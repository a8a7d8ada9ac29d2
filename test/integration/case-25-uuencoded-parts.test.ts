/**
 * Case 25 (shared/cases/25-uuencoded-parts.md): uuencode, both as a part's
 * `Content-Transfer-Encoding: x-uuencode` and as a `begin 644 … end` block inside the text body.
 * Both are served decoded, bytes exact; the block leaves the text and becomes part `uu-1`.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const DUMP = Buffer.concat([Buffer.from(Array.from({ length: 100 }, (_, i) => i)), Buffer.from('case25 x-uuencode attachment payload\n')]);

describe('case 25: uuencoded parts', () => {
  const sink = useSink();

  it('serves the x-uuencode part and the uuencoded block of the text decoded', async () => {
    const eml = readCaseEml({ eml: '25-uuencoded-parts.eml', sizeBytes: 839, sha256: '200b847fb2f30e84c86bf58d59de8166a399bbc6ca478b4fbb04f12a3d4236fe' });
    const info = await sendRaw(sink(), { from: 'sender@example.com', to: ['rcpt@example.org'] }, eml);
    expect(info.response).toMatch(/^250 /);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);
    expect(detail.subject).toBe('Nightly dump (uuencoded)');
    expect(detail.text).toBe('Some content before\n\nSome content after');
    expect(detail.snippet).toBe('Some content before Some content after');
    expect(DUMP.length).toBe(137);
    expect(sha256(DUMP)).toBe('bbbf362681e0061b738da80d046ef3fcbacd338e6ab29685bcaa2a6625150ecf');

    expect(detail.attachments.map(({ partId, filename, contentType, disposition, sizeBytes, sha256: hash }) => ({ partId, filename, contentType, disposition, sizeBytes, sha256: hash }))).toEqual([
      { partId: '2', filename: 'dump.bin', contentType: 'application/octet-stream', disposition: 'attachment', sizeBytes: 137, sha256: sha256(DUMP) },
      { partId: 'uu-1', filename: 'note.txt', contentType: 'text/plain', disposition: 'attachment', sizeBytes: 41, sha256: '57a4d72541298ad6684350b39ee94ae10d105f9117d0dade43d5af937a4ae420' },
    ]);
    const dump = await fetchBytes(sink(), detail.attachments[0]!.url);
    expect(dump.status).toBe(200);
    expect(dump.body.equals(DUMP)).toBe(true);
    const note = await fetchBytes(sink(), detail.attachments[1]!.url);
    expect(note.status).toBe(200);
    expect(note.body.length).toBe(41);
    expect(sha256(note.body)).toBe('57a4d72541298ad6684350b39ee94ae10d105f9117d0dade43d5af937a4ae420');
    expect((await fetchBytes(sink(), `/api/messages/${detail.id}/attachments/uu-2`)).status).toBe(404);

    const raw = await fetchBytes(sink(), `/api/messages/${detail.id}/raw`);
    expect(raw.body.equals(eml)).toBe(true);
  });
});
