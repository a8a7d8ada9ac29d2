/**
 * The message view: exact decoded values, every tab (Text, HTML source, Headers in original order,
 * Raw), the envelope panel, attachments (name, type, size, download, image preview), and the
 * actions: mark read/unread, download .eml, previous/next.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageSummary } from '../../server/contract.js';
import { openInbox, rowBySubject, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

/** A 2×3 PNG (red), so a preview has a natural width to check. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAEklEQVR4nGP4z8DAwMDAxAABAB0AA/6Bq1EAAAAASUVORK5CYII=', 'base64');
const SUBJECT = 'Grüße aus Köln – Rechnung № 42 ✓';

describe('message view', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('shows exact decoded values, the envelope, and every tab', async () => {
    const { page, errors } = await openInbox(browser(), sink());
    const t = transport(sink(), { auth: { user: 'alice', pass: 'secret' }, name: 'client.example.test' });
    await t.sendMail({
      from: '"Zoë Ärger" <zoe@example.com>',
      to: '"Dev Team" <dev@example.org>',
      cc: 'qa@example.org',
      bcc: 'audit@example.net',
      subject: SUBJECT,
      text: 'Hallo,\nanbei die Rechnung.\n',
      html: '<h1>Rechnung</h1><p>Anbei die <b>Rechnung</b>.</p>',
      attachments: [
        { filename: 'chart.png', content: PNG, contentType: 'image/png' },
        { filename: 'Rechnung Nr. 42.pdf', content: Buffer.from('%PDF-1.4 fake'), contentType: 'application/pdf' },
      ],
    });
    t.close();
    const detail = await api<MessageDetail>(sink(), '/api/messages/latest');

    await rowBySubject(page, SUBJECT).click();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe(SUBJECT);
    await expect(page.getByTestId('detail-from').textContent()).resolves.toBe('Zoë Ärger <zoe@example.com>');
    await expect(page.getByTestId('detail-to').textContent()).resolves.toBe('Dev Team <dev@example.org>');
    await expect(page.getByTestId('detail-cc').textContent()).resolves.toBe('qa@example.org');
    await expect(page.getByTestId('envelope-mail-from').textContent()).resolves.toBe('<zoe@example.com>');
    await expect(page.getByTestId('envelope-rcpt').allTextContents()).resolves.toEqual(['<dev@example.org>', '<qa@example.org>', '<audit@example.net>Bcc']);
    await expect(page.locator('[data-testid="envelope-rcpt"][data-bcc="true"]').textContent()).resolves.toContain('audit@example.net');
    await expect(page.getByTestId('envelope-helo').textContent()).resolves.toBe('client.example.test');
    await expect(page.getByTestId('envelope-client').textContent()).resolves.toBe(`${detail.envelope.remoteAddress}:${detail.envelope.remotePort}`);
    await expect(page.getByTestId('envelope-tls').textContent()).resolves.toBe('No');
    await expect(page.getByTestId('envelope-auth').textContent()).resolves.toBe('alice');

    await page.getByTestId('tab-text').click();
    await expect(page.getByTestId('detail-text').textContent()).resolves.toBe('Hallo,\nanbei die Rechnung.\n');
    await page.getByTestId('tab-source').click();
    await expect(page.getByTestId('html-source').textContent()).resolves.toBe(detail.html);
    await page.getByTestId('tab-headers').click();
    const headerRows = await page.getByTestId('header-row').evaluateAll((trs) =>
      trs.map((tr) => [
        tr.querySelector('th')!.textContent,
        tr.querySelector('[data-testid="header-value"]')!.textContent,
        tr.querySelector('[data-testid="header-raw-value"]')?.textContent ?? null,
      ]),
    );
    // Decoded values (RFC 2047) are shown; the value as written beneath, where it differs.
    expect(headerRows).toEqual(detail.headers.map((h) => [h.name, h.decoded, h.decoded === h.value ? null : h.value]));
    const subjectRow = headerRows.find(([name]) => name === 'Subject')!;
    expect(subjectRow[1]).toBe(SUBJECT);
    expect(subjectRow[2]).toMatch(/^=\?UTF-8\?[QB]\?/);
    expect(headerRows.find(([name]) => name === 'From')).toEqual(['From', 'Zoë Ärger <zoe@example.com>', '=?UTF-8?Q?Zo=C3=AB_=C3=84rger?= <zoe@example.com>']);
    await page.getByTestId('tab-raw').click();
    const raw = await fetchBytes(sink(), `/api/messages/${detail.id}/raw`);
    await expect(page.getByTestId('raw-source').textContent()).resolves.toBe(raw.body.toString('utf8'));

    await page.getByTestId('tab-attachments').click();
    await expect(page.getByTestId('attachment-name').allTextContents()).resolves.toEqual(['chart.png', 'Rechnung Nr. 42.pdf']);
    await expect(page.getByTestId('attachment-type').allTextContents()).resolves.toEqual(['image/png', 'application/pdf']);
    await expect(page.getByTestId('attachment-size').allTextContents()).resolves.toEqual([`${PNG.length} B`, '13 B']);
    const preview = page.getByTestId('attachment-preview');
    await expect(preview.count()).resolves.toBe(1);
    await expect.poll(() => preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(2);
    const links = page.getByTestId('attachment-link');
    const href = await links.first().getAttribute('href');
    const download = await fetchBytes(sink(), href!);
    expect(download.body.equals(PNG)).toBe(true);
    await expect(links.nth(1).getAttribute('download')).resolves.toBe('Rechnung Nr. 42.pdf');

    const [eml] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-eml').click()]);
    expect(eml.suggestedFilename()).toBe(`${detail.id}.eml`);
    const { readFile } = await import('node:fs/promises');
    expect((await readFile((await eml.path())!)).equals(raw.body)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('marks read on open, toggles read/unread, and steps to the previous and next message', async () => {
    for (const subject of ['First', 'Second', 'Third']) await sendMail(sink(), { subject, text: subject });
    const { page, errors } = await openInbox(browser(), sink());
    const readOf = async (subject: string) => {
      const list = await api<{ messages: MessageSummary[] }>(sink(), `/api/messages?query=${encodeURIComponent(`subject:"${subject}"`)}`);
      return list.messages[0]!.read;
    };

    await rowBySubject(page, 'Second').click();
    await expect.poll(() => rowBySubject(page, 'Second').getAttribute('data-read')).toBe('true');
    expect(await readOf('Second')).toBe(true);
    await page.getByTestId('toggle-read-button').click();
    await expect.poll(() => rowBySubject(page, 'Second').getAttribute('data-read')).toBe('false');
    await expect(page.getByTestId('toggle-read-button').textContent()).resolves.toBe('Mark read');
    expect(await readOf('Second')).toBe(false);

    await page.getByTestId('previous-button').click();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('Third');
    await expect(page.getByTestId('previous-button').isDisabled()).resolves.toBe(true);
    await page.getByTestId('next-button').click();
    await page.getByTestId('next-button').click();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('First');
    await expect(rowBySubject(page, 'First').getAttribute('aria-selected')).resolves.toBe('true');
    expect(errors).toEqual([]);
  });
});
