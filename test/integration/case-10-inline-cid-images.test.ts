/**
 * Case 10 (shared/cases/10-inline-cid-images.md): `cid:` references resolved in the served HTML —
 * an SVG part without name or disposition, the same CID used twice, and a CID (`logo`) that is a
 * prefix of another (`logofooter`); inline parts are not counted as attachments.
 *
 * covered elsewhere (UI/browser e2e feature): the images as rendered in the inbox's HTML view and
 * the list's "has attachments" indicator as drawn; the served HTML and the `attachmentCount` they
 * are drawn from are asserted here.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { imgTags, queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const EML = {
  eml: '10-inline-cid-images.eml',
  sizeBytes: 1608,
  sha256: '4fe6bebea887856c09332f243ae033b93aa900b16d6ae53f3e56468a7abd66b7',
};

/** What each `<img alt>` must resolve to. */
const IMAGES = {
  top: { contentType: 'image/png', sizeBytes: 69, sha256: 'a32393543759cd58a1b5dbb5078eccd45fd69814cd60e3773e37e259f068e4ae' },
  again: { contentType: 'image/png', sizeBytes: 69, sha256: 'a32393543759cd58a1b5dbb5078eccd45fd69814cd60e3773e37e259f068e4ae' },
  footer: { contentType: 'image/png', sizeBytes: 69, sha256: 'cfe82242eac1b52b5dd717913f0811d7d7c256d6261b41f8ade200c9afbe9184' },
  chart: { contentType: 'image/svg+xml', sizeBytes: 113, sha256: '4f2971444ef56a54ccfcf8ff2fd55a0f7f1bae5663c8e8fd04bb77f9e4e5bf6d' },
} as const;

describe('case 10: inline cid: images', () => {
  const sink = useSink();
  let id: string;

  it('stores the message and counts one real attachment', async () => {
    const info = await sendRaw(sink(), { from: 'news@example.com', to: ['reader@example.org'] }, readCaseEml(EML));
    expect(info.response).toMatch(/^250 /);
    id = queuedId(info.response);
    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages.map((m) => [m.id, m.attachmentCount])).toEqual([[id, 1]]);
  });

  it('exposes content IDs without brackets, flags the related parts inline, and terms.txt as the attachment', async () => {
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    const parts = detail.attachments.map((a) => ({ contentId: a.contentId, inline: a.inline, contentType: a.contentType }));
    expect(parts).toEqual([
      { contentId: 'logo', inline: true, contentType: 'image/png' },
      { contentId: 'logofooter', inline: true, contentType: 'image/png' },
      { contentId: 'chart@example.com', inline: true, contentType: 'image/svg+xml' },
      { contentId: null, inline: false, contentType: 'text/plain' },
    ]);
    const terms = detail.attachments[3]!;
    expect(terms).toMatchObject({ filename: 'terms.txt', disposition: 'attachment', sizeBytes: 15, sha256: 'c72e65fcdcebe87d55177a3b3d7ab936481668feade1805e6e6a9856121365d5' });
    const download = await fetchBytes(sink(), terms.url);
    expect(download.body.toString('utf8')).toBe('Terms: be nice.');
  });

  it('resolves every cid: reference, in /html and in the detail html alike', async () => {
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    const served = await fetchBytes(sink(), `/api/messages/${id}/html`);
    expect(served.status).toBe(200);
    const html = served.body.toString('utf8');
    expect(html).toBe(detail.html);
    expect(html).not.toMatch(/cid:/i);

    const tags = imgTags(html);
    expect(tags.map((t) => t.alt)).toEqual(['top', 'again', 'footer', 'chart']);
    const src = Object.fromEntries(tags.map((t) => [t.alt, t.src!]));
    expect(src['again']).toBe(src['top']);
    expect(new Set(Object.values(src)).size).toBe(3);

    for (const [alt, expected] of Object.entries(IMAGES)) {
      const image = await fetchBytes(sink(), src[alt]!);
      expect(image.status, alt).toBe(200);
      expect(image.headers.get('content-type'), alt).toBe(expected.contentType);
      expect(image.body.length, alt).toBe(expected.sizeBytes);
      expect(sha256(image.body), alt).toBe(expected.sha256);
    }
  });
});
