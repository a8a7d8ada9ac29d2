/**
 * Case 13 (shared/cases/13-nested-alternative-duplicate-text.md): mixed › alternative › (empty
 * base64 text, text, related › html + image) with a CSV attachment. The text and HTML views each
 * show only their own alternative; the related image resolves; the CSV stays an attachment.
 *
 * covered elsewhere: how the UI's HTML and text tabs render (UI/browser e2e feature); the
 * `/html` and `/text` bodies they show are asserted here.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { dispositionFilename, imgTags, queuedId, readCaseEml, sha256, toLf } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const EML = {
  eml: '13-nested-alternative-duplicate-text.eml',
  sizeBytes: 1227,
  sha256: '2594b63ac4be012787e2d984cbea8afdbd423ba06919afea7d240a5e0787165e',
};
const TEXT = 'Quarterly figures are attached.\nRegards, Finance';

describe('case 13: nested alternative with a duplicate text part', () => {
  const sink = useSink();
  let id: string;

  it('picks each body from its own alternative', async () => {
    const info = await sendRaw(sink(), { from: 'finance@example.com', to: ['board@example.org'] }, readCaseEml(EML));
    expect(info.response).toMatch(/^250 /);
    id = queuedId(info.response);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.envelope).toMatchObject({ mailFrom: 'finance@example.com', rcptTo: ['board@example.org'] });
    expect(detail.parseError).toBeNull();

    expect(toLf(detail.text ?? '').trimEnd()).toBe(TEXT);
    expect(detail.html).toContain('<p>Quarterly <b>figures</b> attached.</p>');
    expect(detail.html).not.toContain('Regards, Finance');
    expect(detail.html).not.toMatch(/cid:/i);
    for (const body of [detail.text, detail.html]) expect(body).not.toContain('quarter,revenue');

    const text = await fetchBytes(sink(), `/api/messages/${id}/text`);
    expect(toLf(text.body.toString('utf8')).trimEnd()).toBe(TEXT);
    const html = await fetchBytes(sink(), `/api/messages/${id}/html`);
    expect(html.body.toString('utf8')).toBe(detail.html);

    const [banner] = imgTags(detail.html!);
    expect(banner?.alt).toBe('banner');
    const image = await fetchBytes(sink(), banner!.src!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.body.length).toBe(69);
    expect(sha256(image.body)).toBe('6b3f351dff50f60c4bbc89bc7d9cafd5917076bac5de7ca824bcbfc84759286d');
  });

  it('lists the related banner and figures.csv, and only the CSV as a real attachment', async () => {
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.attachments).toHaveLength(2);
    const [banner, csv] = detail.attachments;
    expect(banner).toMatchObject({ contentType: 'image/png', contentId: 'banner@example.com', inline: true, filename: null });
    expect(banner!.safeFilename).toMatch(/\.png$/);

    expect(csv).toMatchObject({
      filename: 'figures.csv',
      contentType: 'text/csv',
      disposition: 'attachment',
      inline: false,
      sizeBytes: 31,
      sha256: '3bf53b6381364711516d60645517566d0ccb1d0a084b8b8adf1e0ba2a1f3b90c',
    });
    const download = await fetchBytes(sink(), csv!.url);
    expect(sha256(download.body)).toBe(csv!.sha256);
    expect(dispositionFilename(download.headers.get('content-disposition'))).toBe('figures.csv');

    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages.map((m) => [m.id, m.attachmentCount])).toEqual([[id, 1]]);
  });
});
