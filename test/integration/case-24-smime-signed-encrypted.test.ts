/**
 * Case 24 (shared/cases/24-smime-signed-encrypted.md): S/MIME. A: `multipart/signed` shows its
 * text and HTML and lists `smime.p7s`. B: the whole body is one non-text part
 * (`application/pkcs7-mime`, `smime.p7m`): it is part `1` (RFC 3501 §6.4.5), listed and
 * downloadable with its exact bytes.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const ENVELOPE = { from: 'sender@example.com', to: ['rcpt@example.org'] };

describe('case 24: S/MIME signed and encrypted', () => {
  const sink = useSink();

  const send = async (eml: Buffer) => {
    const info = await sendRaw(sink(), ENVELOPE, eml);
    expect(info.response).toMatch(/^250 /);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);
    const raw = await fetchBytes(sink(), `/api/messages/${detail.id}/raw`);
    expect(raw.body.equals(eml)).toBe(true);
    return detail;
  };

  it('A: a signed message shows its bodies and lists smime.p7s', async () => {
    const detail = await send(readCaseEml({ eml: '24-smime-signed-encrypted.eml', sizeBytes: 1091, sha256: '928554c78bede0647f39647dacf09ef2dc9352e5e3506a9cf51f848861e00c4d' }));
    expect(detail.subject).toBe('Signed message');
    expect(detail.text?.trim()).toBe('This is a signed test message.');
    expect(detail.html?.trim()).toBe('<p>This is a <b>signed</b> test message.</p>');
    expect(detail.attachments.map(({ filename, contentType, sizeBytes, sha256: hash }) => ({ filename, contentType, sizeBytes, sha256: hash }))).toEqual([
      { filename: 'smime.p7s', contentType: 'application/pkcs7-signature', sizeBytes: 105, sha256: 'b922252283c6ae96ec507294773be620cdf61e2c2daabf558b96aecb3fafb204' },
    ]);
    const download = await fetchBytes(sink(), detail.attachments[0]!.url);
    expect(download.status).toBe(200);
    expect(sha256(download.body)).toBe('b922252283c6ae96ec507294773be620cdf61e2c2daabf558b96aecb3fafb204');
  });

  it('B: a message whose whole body is smime.p7m lists it as part 1, and its URL answers 200 with the bytes', async () => {
    const detail = await send(readCaseEml({ eml: '24-smime-signed-encrypted-B.eml', sizeBytes: 649, sha256: 'db4a581a7d224a501a290ba00a0df95d5059ebdee0cf742c34a68cb2864d5c61' }));
    expect(detail.subject).toBe('Encrypted message');
    expect(detail.text ?? '').toBe('');
    expect(detail.html ?? '').toBe('');
    expect(detail.parseError).toBeNull();
    expect(detail.attachments).toHaveLength(1);
    const [part] = detail.attachments;
    expect(part).toMatchObject({
      partId: '1',
      filename: 'smime.p7m',
      contentType: 'application/pkcs7-mime',
      sizeBytes: 166,
      sha256: '4647c74d9faf3c5520a41f4e6cfcfb5ed07164779c821eab595ce1c4d278ee05',
    });
    expect(part!.contentTypeParams['smime-type']).toBe('enveloped-data');
    const download = await fetchBytes(sink(), part!.url);
    expect(download.status).toBe(200);
    expect(download.body.length).toBe(166);
    expect(sha256(download.body)).toBe('4647c74d9faf3c5520a41f4e6cfcfb5ed07164779c821eab595ce1c4d278ee05');
  });

  it('a bare PDF as the whole body is part 1 too, with its exact bytes', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% bare single-part body\n%%EOF\n');
    const eml = Buffer.from(
      'From: scanner@example.com\r\nTo: rcpt@example.org\r\nSubject: Scan\r\nMIME-Version: 1.0\r\nContent-Type: application/pdf; name="scan.pdf"\r\n' +
        `Content-Transfer-Encoding: base64\r\n\r\n${pdf.toString('base64')}\r\n`,
    );
    const detail = await send(eml);
    expect(detail.attachments.map((a) => [a.partId, a.filename, a.contentType, a.sizeBytes, a.sha256])).toEqual([['1', 'scan.pdf', 'application/pdf', pdf.length, sha256(pdf)]]);
    const download = await fetchBytes(sink(), detail.attachments[0]!.url);
    expect(download.status).toBe(200);
    expect(download.body.equals(pdf)).toBe(true);
  });
});
