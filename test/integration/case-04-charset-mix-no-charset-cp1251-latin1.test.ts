/**
 * Case 04 (shared/cases/04-charset-mix-no-charset-cp1251-latin1.md): 8-bit windows-1251 HTML sent
 * without `BODY=8BITMIME`, a base64 text part without charset holding UTF-8, an ISO-8859-1 subject
 * and a windows-1251 display name. Decoding happens per part; the stored source is never transcoded.
 *
 * covered elsewhere: a per-part decoded "source" view (UI feature); the API's raw download is
 * asserted byte-exact here.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { queuedId, readCaseEml, sha256, toLf } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const EML = {
  eml: '04-charset-mix-no-charset-cp1251-latin1.eml',
  sizeBytes: 657,
  sha256: '66966b5442745fca48809b480237977161cc8941904199514251634b170d11c8',
};

describe('case 04: charset mix without BODY=8BITMIME', () => {
  const sink = useSink();

  it('accepts 8-bit DATA without 8BITMIME and decodes every part by its own charset', async () => {
    const eml = readCaseEml(EML);
    expect(eml.some((byte) => byte >= 0x80)).toBe(true); // the HTML part really is 8-bit
    const info = await sendRaw(sink(), { from: 'anna@example.com', to: ['lev@example.org'] }, eml);
    expect(info.response).toMatch(/^250 /);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);

    expect(detail.envelope.mailFrom).toBe('anna@example.com');
    expect(detail.envelope.rcptTo).toEqual(['lev@example.org']);
    expect(detail.envelope.mailParams).not.toHaveProperty('BODY');
    expect(detail.subject).toBe('Grüße aus München');
    expect(detail.from).toEqual([{ name: 'Анна Смирнова', address: 'anna@example.com' }]);
    expect(toLf(detail.text ?? '')).toBe('東京の会議は木曜日です。\n서울 지사에서 인사드립니다.\n');
    expect(detail.html).toContain('<p>Привет из Москвы, коллеги!</p>');
    expect(detail.parseError).toBeNull();

    const raw = await fetchBytes(sink(), `/api/messages/${detail.id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.body.length).toBe(EML.sizeBytes);
    expect(sha256(raw.body)).toBe(EML.sha256);
  });
});
