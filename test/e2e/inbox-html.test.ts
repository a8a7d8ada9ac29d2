/**
 * The HTML tab: inline `cid:` images of case 10 are rendered (all four, the SVG included), the
 * preview takes phone / tablet / desktop widths, and links open in a new tab that cannot reach
 * `window.opener`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES, openInbox, rowBySubject, SCREENSHOTS, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

describe('HTML tab', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('renders the inline cid: images of case 10, and the preview widths', async () => {
    const { page, errors } = await openInbox(browser(), sink());
    await sendRaw(sink(), { from: 'news@example.com', to: ['reader@example.org'] }, readFileSync(path.join(CASES, '10-inline-cid-images.eml')));
    await rowBySubject(page, 'Inline images').click();
    const images = page.frameLocator('[data-testid="html-frame"]').locator('img');
    await images.first().waitFor();
    await expect(images.evaluateAll((list) => list.map((img) => (img as unknown as { alt: string }).alt))).resolves.toEqual(['top', 'again', 'footer', 'chart']);
    await expect
      .poll(() => images.evaluateAll((list) => list.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth)))
      .toEqual([1, 1, 1, 10]);
    const sources = await images.evaluateAll((list) => list.map((img) => (img as unknown as { src: string }).src));
    for (const src of sources) expect(src).toMatch(new RegExp(`^${sink().httpUrl}/api/messages/[^/]+/attachments/\\d+(\\.\\d+)*$`));

    const frame = page.getByTestId('html-frame');
    const width = () => frame.evaluate((element) => (element as unknown as { clientWidth: number }).clientWidth);
    await page.getByTestId('preview-width-phone').click();
    await expect(width()).resolves.toBe(375);
    await expect(page.getByTestId('preview-width-phone').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'html-phone.png') });
    await page.getByTestId('preview-width-tablet').click();
    await expect(width()).resolves.toBe(768);
    await page.getByTestId('preview-width-desktop').click();
    const stage = await page.locator('.frame-stage').evaluate((element) => (element as unknown as { clientWidth: number }).clientWidth);
    expect(await width()).toBeGreaterThan(stage - 40);
    expect(errors).toEqual([]);
  });

  it('opens links in a new tab with rel=noopener: the opened page has no window.opener', async () => {
    const { page, context, errors } = await openInbox(browser(), sink());
    const target = `${sink().httpUrl}/api/health`;
    await sendMail(sink(), { subject: 'Link check', html: `<p>Hello</p><p><a id="go" href="${target}">Open the health page</a></p>` });
    await rowBySubject(page, 'Link check').click();
    const link = page.frameLocator('[data-testid="html-frame"]').locator('a#go');
    await link.waitFor();
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');

    const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe(target);
    await expect(popup.evaluate('window.opener === null')).resolves.toBe(true);
    await popup.close();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('Link check');
    expect(errors).toEqual([]);
  });
});
