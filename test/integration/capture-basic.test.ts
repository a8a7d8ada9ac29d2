import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** 1×1 transparent PNG (67 bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('capture over SMTP with nodemailer', () => {
  const sink = useSink();

  /** Sends with nodemailer; returns the stored id taken from the `250 … queued as <id>` reply. */
  async function send(mail: Record<string, unknown>): Promise<{ id: string; response: string }> {
    const t = transport(sink());
    const info = await t.sendMail(mail);
    t.close();
    return { id: info.response.split(' ').pop()!, response: info.response };
  }

  it('stores a plain message and answers 250 with its id only after it is stored', async () => {
    const { id, response } = await send({
      from: 'Alice Sender <alice@example.com>',
      to: 'Bob <bob@example.org>',
      subject: 'Plain hello',
      text: 'Hello Bob,\nthis is plain.\n',
    });
    expect(response).toMatch(/^250 2\.0\.0 Ok: queued as [A-Za-z0-9_-]{16}$/);
    // No wait, no retry: the 250 came after the store, so the message is there now.
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.subject).toBe('Plain hello');
    expect(detail.from).toEqual([{ name: 'Alice Sender', address: 'alice@example.com' }]);
    expect(detail.to).toEqual([{ name: 'Bob', address: 'bob@example.org' }]);
    expect(detail.text).toBe('Hello Bob,\nthis is plain.\n');
    expect(detail.html).toBeNull();
    expect(detail.envelope.mailFrom).toBe('alice@example.com');
    expect(detail.envelope.rcptTo).toEqual(['bob@example.org']);
    expect(detail.envelope.remoteAddress).toBe('127.0.0.1');
    expect(detail.envelope.authUser).toBeNull();
    expect(detail.read).toBe(false);
    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages[0]!.id).toBe(id);
  });

  it('keeps the exact bytes nodemailer sent (raw source is byte-exact)', async () => {
    const raw = Buffer.from(
      'From: Raw <raw@example.com>\r\nTo: <x@example.org>\r\nSubject: exact\r\nX-Trailing-Space: yes \r\n\r\n.leading dot\r\n\tTab line\r\n',
    );
    const t = transport(sink());
    const info = await t.sendMail({ envelope: { from: 'raw@example.com', to: ['x@example.org'] }, raw });
    t.close();
    const id = info.response.split(' ').pop()!;
    const stored = await fetchBytes(sink(), `/api/messages/${id}/raw`);
    expect(stored.status).toBe(200);
    expect(stored.headers.get('content-type')).toBe('message/rfc822');
    expect(stored.body.length).toBe(raw.length);
    expect(sha256(stored.body)).toBe(sha256(raw));
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.sizeBytes).toBe(raw.length);
    expect(detail.headers.map((h) => h.name)).toEqual(['From', 'To', 'Subject', 'X-Trailing-Space']);
  });

  it('parses HTML + text alternatives', async () => {
    const { id } = await send({
      from: 'news@example.com',
      to: 'reader@example.org',
      subject: 'Both bodies',
      text: 'Plain version',
      html: '<p>HTML <b>version</b></p>',
    });
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.text).toBe('Plain version');
    expect(detail.html).toBe('<p>HTML <b>version</b></p>');
    const html = await fetchBytes(sink(), `/api/messages/${id}/html`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.body.toString()).toBe('<p>HTML <b>version</b></p>');
    const text = await fetchBytes(sink(), `/api/messages/${id}/text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.body.toString()).toBe('Plain version');
  });

  it('lists attachments with type, size, sha256 and serves their decoded bytes', async () => {
    const csv = Buffer.from('a,b\r\n1,2\r\n');
    const { id } = await send({
      from: 'reports@example.com',
      to: 'finance@example.org',
      subject: 'Attachments',
      text: 'See attached.',
      attachments: [
        { filename: 'figures.csv', content: csv, contentType: 'text/csv' },
        { filename: 'Résumé 2025.png', content: PNG, contentType: 'image/png' },
      ],
    });
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.attachmentCount).toBe(2);
    expect(detail.attachments.map((a) => [a.filename, a.contentType, a.sizeBytes, a.sha256, a.disposition, a.inline])).toEqual([
      ['figures.csv', 'text/csv', csv.length, sha256(csv), 'attachment', false],
      ['Résumé 2025.png', 'image/png', PNG.length, sha256(PNG), 'attachment', false],
    ]);
    const png = await fetchBytes(sink(), detail.attachments[1]!.url);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(sha256(png.body)).toBe(sha256(PNG));
    expect(png.headers.get('content-disposition')).toBe(`attachment; filename="R?sum? 2025.png"; filename*=UTF-8''R%C3%A9sum%C3%A9%202025.png`);
  });

  it('resolves inline cid: images to attachment URLs and does not count them as attachments', async () => {
    const { id } = await send({
      from: 'news@example.com',
      to: 'reader@example.org',
      subject: 'Inline image',
      html: '<p><img src="cid:logo@mailsink" alt="logo"></p>',
      attachments: [{ filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@mailsink' }],
    });
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    const logo = detail.attachments.find((a) => a.contentId === 'logo@mailsink')!;
    expect(logo.inline).toBe(true);
    expect(detail.attachmentCount).toBe(0);
    expect(detail.html).toBe(`<p><img src="${logo.url}" alt="logo"></p>`);
    const served = await fetchBytes(sink(), `/api/messages/${id}/html`);
    expect(served.body.toString()).not.toMatch(/cid:/i);
    expect(sha256((await fetchBytes(sink(), logo.url)).body)).toBe(sha256(PNG));
  });

  it('keeps Bcc-only recipients in the envelope, apart from the headers', async () => {
    const { id } = await send({
      from: 'boss@example.com',
      to: 'team@example.org',
      cc: 'Carol <carol@example.org>',
      bcc: 'secret@example.net',
      subject: 'Bcc test',
      text: 'hi',
    });
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.envelope.rcptTo).toEqual(['team@example.org', 'carol@example.org', 'secret@example.net']);
    expect(detail.bccOnly).toEqual(['secret@example.net']);
    expect(detail.cc).toEqual([{ name: 'Carol', address: 'carol@example.org' }]);
    expect(detail.bcc).toEqual([]);
    expect(detail.headers.some((h) => h.name.toLowerCase() === 'bcc')).toBe(false);
  });

  it('accepts SMTPUTF8 addresses and decodes an encoded-word subject', async () => {
    const { id } = await send({
      from: 'Søren Ødegård <søren@example.com>',
      to: 'José Ramírez <josé.ramírez@example.org>',
      subject: 'Café für alle – naïve résumé 🚀',
      text: 'Hej José 🍰',
    });
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.subject).toBe('Café für alle – naïve résumé 🚀');
    expect(detail.headers.find((h) => h.name === 'Subject')!.value).toMatch(/^=\?UTF-8\?/);
    expect(detail.from).toEqual([{ name: 'Søren Ødegård', address: 'søren@example.com' }]);
    expect(detail.to).toEqual([{ name: 'José Ramírez', address: 'josé.ramírez@example.org' }]);
    expect(detail.envelope.mailFrom).toBe('søren@example.com');
    expect(detail.envelope.rcptTo).toEqual(['josé.ramírez@example.org']);
    expect(detail.envelope.mailParams.SMTPUTF8).toBe(true);
    // nodemailer sends this body quoted-printable, ending in CRLF; the decoded text keeps that line end.
    expect(detail.text).toBe('Hej José 🍰\n');
  });

  it('records the AUTH user and accepts any credentials without TLS', async () => {
    const t = transport(sink(), { auth: { user: 'app-user', pass: 'whatever' } });
    const info = await t.sendMail({ from: 'app@example.com', to: 'u@example.org', subject: 'auth', text: 'x' });
    t.close();
    const detail = await api<MessageDetail>(sink(), `/api/messages/${info.response.split(' ').pop()}`);
    expect(detail.envelope.authUser).toBe('app-user');
    expect(detail.envelope.secure).toBe(false);
  });
});
