/**
 * Case 21 (shared/cases/21-dsn-bounce-report.md): a bounce, `multipart/report;
 * report-type=delivery-status` (RFC 6522, RFC 3464). The machine-readable parts of a report are
 * parts to download, never glued into the text body: `message/delivery-status`,
 * `text/rfc822-headers`, and the returned original as `message/rfc822`.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { queuedId, readCaseEml, sha256, toLf } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const ENVELOPE = { from: 'sender@example.com', to: ['rcpt@example.org'] };

describe('case 21: DSN bounce report', () => {
  const sink = useSink();

  it('keeps the notification as text and lists delivery-status and rfc822-headers as downloadable parts', async () => {
    const eml = readCaseEml({ eml: '21-dsn-bounce-report.eml', sizeBytes: 1285, sha256: '68115ddcb44052f48ab1edd17001b076300304900434ab2d2868807f546419a4' });
    const info = await sendRaw(sink(), ENVELOPE, eml);
    expect(info.response).toMatch(/^250 /);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);

    expect(detail.subject).toBe('Undelivered Mail Returned to Sender');
    expect(detail.from).toEqual([{ name: 'Mail Delivery System', address: 'MAILER-DAEMON@mx.example.net' }]);
    expect(detail.date).toBe('2025-03-04T10:15:00.000Z');
    expect(toLf(detail.text ?? '').replace(/\n$/, '')).toBe(
      'Your message could not be delivered to one or more recipients.\n\n<nobody@example.org>: host mx.example.org said:\n    550 5.1.1 mailbox unavailable',
    );
    for (const glued of ['Reporting-MTA', 'Final-Recipient', 'Subject: Your order 4711']) expect(detail.text).not.toContain(glued);
    expect(detail.html).toBeNull();
    expect(detail.parseError).toBeNull();

    expect(detail.attachments.map((a) => [a.partId, a.contentType, a.sizeBytes, a.sha256])).toEqual([
      ['2', 'message/delivery-status', 293, '5e3891c45fb41a60ef7bb89dd73fa2969ec1587ac05941d82cdea2b1e1220ca1'],
      ['3', 'text/rfc822-headers', 166, '4e02e639d147a78cd015d25375344cce861044ebf376b942b1a9da798b86a2ce'],
    ]);
    expect(detail.attachments.map((part) => part.safeFilename)).toEqual(['part-2.txt', 'part-3.txt']);
    for (const part of detail.attachments) {
      const download = await fetchBytes(sink(), part.url);
      expect(download.status).toBe(200);
      expect(download.body.length).toBe(part.sizeBytes);
      expect(sha256(download.body)).toBe(part.sha256);
    }
    const status = await fetchBytes(sink(), detail.attachments[0]!.url);
    expect(status.body.toString('utf8')).toMatch(/^Reporting-MTA: dns; mx\.example\.net\r\n[\s\S]*Status: 5\.1\.1\r\n/);

    const raw = await fetchBytes(sink(), `/api/messages/${detail.id}/raw`);
    expect(raw.body.equals(eml)).toBe(true);
  });

  it('lists the returned original (message/rfc822) of a report as a part with its exact bytes', async () => {
    const status = 'Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n';
    const original = 'From: shop@example.com\r\nTo: nobody@example.org\r\nSubject: Your order 4712\r\n\r\nThank you for your order.\r\n';
    const eml = Buffer.from(
      'From: MAILER-DAEMON@mx.example.net\r\nTo: shop@example.com\r\nSubject: Delivery Status Notification (Failure)\r\n' +
        'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="r2"\r\n\r\n' +
        '--r2\r\nContent-Type: text/plain\r\n\r\nDelivery to nobody@example.org failed.\r\n' +
        `--r2\r\nContent-Type: message/delivery-status\r\n\r\n${status}` +
        `--r2\r\nContent-Type: message/rfc822\r\nContent-Description: Undelivered Message\r\n\r\n${original}` +
        '--r2--\r\n',
    );
    const info = await sendRaw(sink(), ENVELOPE, eml);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);
    expect(toLf(detail.text ?? '')).toBe('Delivery to nobody@example.org failed.');
    expect(detail.attachments.map((a) => [a.partId, a.contentType, a.sizeBytes])).toEqual([
      // the CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)
      ['2', 'message/delivery-status', Buffer.byteLength(status) - 2],
      ['3', 'message/rfc822', Buffer.byteLength(original) - 2],
    ]);
    const returned = await fetchBytes(sink(), detail.attachments[1]!.url);
    expect(returned.status).toBe(200);
    expect(returned.body.toString('latin1')).toBe(original.slice(0, -2));
    expect(detail.attachments[1]!.safeFilename).toBe('part-3.eml');
  });
});
