/**
 * Case 27 (shared/cases/27-html-meta-charset-only.md): 8-bit HTML without `charset` in its
 * Content-Type, the charset declared only by a `<meta>` in the HTML (`<meta charset>`, or
 * `http-equiv="Content-Type"`): decoded in that charset. Sent with `BODY=8BITMIME` over a raw socket.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { queuedId, readCaseEml } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';

describe('case 27: HTML whose charset only a <meta> declares', () => {
  const sink = useSink();

  const send = async (eml: Buffer) => {
    const replies = await smtpDialogue(sink().smtpPort, [
      { send: 'EHLO client.example.com\r\n' },
      { send: 'MAIL FROM:<sender@example.com> BODY=8BITMIME\r\n' },
      { send: 'RCPT TO:<rcpt@example.org>\r\n' },
      { send: 'DATA\r\n' },
      { send: Buffer.concat([eml, Buffer.from('.\r\n')]) },
      { send: 'QUIT\r\n' },
    ]);
    expect(replies.map((line) => line.slice(0, 4))).toEqual(['220 ', '250 ', '250 ', '250 ', '354 ', '250 ', '221 ']);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(replies[5]!)}`);
    expect(detail.envelope.mailParams).toEqual({ BODY: '8BITMIME' });
    const raw = await fetchBytes(sink(), `/api/messages/${detail.id}/raw`);
    expect(raw.body.equals(eml)).toBe(true);
    return detail;
  };

  it('A: UTF-8 HTML with <meta charset="utf-8">', async () => {
    const detail = await send(readCaseEml({ eml: '27-html-meta-charset-only.eml', sizeBytes: 398, sha256: '9e7d62fe9cdbabe2ec69d5620d32030e7a41b308157d3d6964a7e3e8daa3a8c5' }));
    expect(detail.subject).toBe('Order 42');
    expect(detail.html).toContain('Благодарим Ви за поръчката – № 42');
    expect(detail.html).toContain('<title>Поръчка</title>');
    for (const wrong of ['\ufffd', 'Ð', 'Ñ']) expect(detail.html).not.toContain(wrong);
  });

  it('B: windows-1251 HTML declared by <meta http-equiv="Content-Type">', async () => {
    const detail = await send(readCaseEml({ eml: '27-html-meta-charset-only-B.eml', sizeBytes: 532, sha256: 'd10e72a8d81af0bec1948243ed1b43e3274b0fa787e100925f45760e78d4444a' }));
    expect(detail.subject).toBe('Order 43');
    expect(detail.text?.trim()).toBe('Thank you for order No 43');
    expect(detail.html).toContain('<p>Спасибо за заказ № 43</p>');
    expect(detail.html).not.toContain('\ufffd');
  });
});
