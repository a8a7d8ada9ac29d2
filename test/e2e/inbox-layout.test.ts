/**
 * The inbox layout on a phone (390×844: one pane at a time, Back to the list with its scroll kept,
 * the body in view without scrolling, toolbar and tabs inside the screen, panels as sheets) and on
 * a desktop (1400×900: long recipient lists collapse to "and 27 more", tab labels keep their width,
 * the Stage select is not cut), and the list's recipient column.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openInbox, rowBySubject, SCREENSHOTS, sendMail, sendMany, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1400, height: 900 };

async function box(locator: Locator) {
  const rect = await locator.boundingBox();
  if (rect === null) throw new Error('element is not visible');
  return rect;
}

/** Left and width of every tab, rounded to 0.1 px. */
function tabGeometry(page: Page) {
  return page.locator('[role="tab"]').evaluateAll((tabs) =>
    tabs.map((tab) => {
      const rect = tab.getBoundingClientRect();
      return [Math.round(rect.left * 10) / 10, Math.round(rect.width * 10) / 10];
    }),
  );
}

/** The Stage select's selected text width (a span in the select's font) and the room inside it beside its arrow (about 20 px). */
const MEASURE_STAGE = `(() => {
  const select = document.querySelector('[data-testid="fault-stage"]');
  const style = getComputedStyle(select);
  const probe = document.createElement('span');
  probe.style.font = style.font;
  probe.style.whiteSpace = 'pre';
  probe.textContent = select.selectedOptions[0].textContent;
  document.body.append(probe);
  const text = probe.getBoundingClientRect().width;
  probe.remove();
  return { text, inner: select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20, label: select.selectedOptions[0].textContent };
})()`;

describe('inbox layout', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('on a phone shows the list, then the message full-screen with its body in view, and Back keeps the list where it was', async () => {
    await sendMany(sink(), 20, (i) => ({ subject: `Filler ${i}`, text: `filler ${i}` }), 2);
    await sendMail(sink(), { subject: 'Phone first', text: 'first' });
    await sendMail(sink(), { from: 'Shop <shop@example.com>', to: 'dev@example.org', subject: 'Phone order', text: 'Your order 1234 has shipped.\nThanks!' });
    const { page, errors } = await openInbox(browser(), sink(), { viewport: PHONE });
    await rowBySubject(page, 'Phone order').waitFor();
    await expect(page.locator('.select-hint').isVisible()).resolves.toBe(false);
    const listBox = await box(page.getByRole('region', { name: 'Inbox' }));
    expect(listBox.x).toBe(0);
    expect(listBox.width).toBe(PHONE.width);

    // Scroll the list a little (row 3 leaves the top), then open a message.
    const scroller = page.locator('.list-scroller');
    await scroller.evaluate((element) => element.scrollTo(0, 200));
    await expect.poll(() => scroller.evaluate((element) => element.scrollTop)).toBe(200);
    await rowBySubject(page, 'Filler 16').click();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('Filler 16');
    await rowBySubject(page, 'Filler 16').waitFor({ state: 'attached' });
    await page.getByTestId('previous-button').click(); // a second message entry in history
    await expect.poll(() => page.getByTestId('detail-subject').textContent()).toBe('Filler 17');
    await expect(page.getByTestId('previous-button').isEnabled()).resolves.toBe(true);
    await page.getByTestId('back-button').click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('');
    await page.getByTestId('message-view').waitFor({ state: 'detached' });
    await expect(scroller.evaluate((element) => element.scrollTop)).resolves.toBe(200);
    await expect(page.getByRole('region', { name: 'Inbox' }).isVisible()).resolves.toBe(true);

    // The browser's Forward reopens the messages, its Back returns to the list.
    await page.goForward();
    await expect.poll(() => page.getByTestId('detail-subject').textContent()).toBe('Filler 16');
    await page.goBack();
    await page.getByTestId('message-view').waitFor({ state: 'detached' });
    await expect(scroller.evaluate((element) => element.scrollTop)).resolves.toBe(200);

    await scroller.evaluate((element) => element.scrollTo(0, 0));
    await rowBySubject(page, 'Phone order').click();
    const view = page.getByTestId('message-view');
    await view.waitFor();
    const viewBox = await box(page.getByRole('region', { name: 'Selected message' }));
    expect(viewBox).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    const envelope = await box(page.getByTestId('detail-envelope'));
    const body = await box(page.getByTestId('detail-text'));
    expect(body.y).toBeGreaterThanOrEqual(envelope.y + envelope.height);
    expect(body.y + 40).toBeLessThanOrEqual(PHONE.height); // its first lines, unscrolled
    await expect(page.locator('.view-pane').evaluate((element) => element.scrollTop)).resolves.toBe(0);
    await expect(page.getByTestId('detail-text').textContent()).resolves.toBe('Your order 1234 has shipped.\nThanks!\n');

    // The envelope is collapsed on a phone; its title opens it.
    await expect(page.getByTestId('envelope-mail-from').isVisible()).resolves.toBe(false);
    await expect(page.getByTestId('envelope-toggle').getAttribute('aria-expanded')).resolves.toBe('false');
    await page.getByTestId('envelope-toggle').click();
    await expect(page.getByTestId('envelope-mail-from').textContent()).resolves.toBe('<shop@example.com>');
    await expect(page.getByTestId('envelope-toggle').getAttribute('aria-expanded')).resolves.toBe('true');

    // Toolbar and tab strip stay on the screen; no tab's label is cut inside its button.
    const toolbar = await box(page.getByRole('toolbar', { name: 'Message actions' }));
    expect(toolbar.x + toolbar.width).toBeLessThanOrEqual(PHONE.width);
    for (const button of await page.getByRole('toolbar', { name: 'Message actions' }).locator('button, a').all()) {
      const rect = await box(button);
      expect(rect.x + rect.width).toBeLessThanOrEqual(PHONE.width);
    }
    const tabList = await box(page.getByRole('tablist'));
    expect(tabList.x + tabList.width).toBeLessThanOrEqual(PHONE.width);
    const cut = await page.locator('[role="tab"]').evaluateAll((tabs) => tabs.filter((tab) => tab.scrollWidth > tab.clientWidth).map((tab) => tab.textContent));
    expect(cut).toEqual([]);
    await page.getByTestId('tab-transcript').click();
    const transcriptTab = await box(page.getByTestId('tab-transcript'));
    expect(transcriptTab.x).toBeGreaterThanOrEqual(0);
    expect(transcriptTab.x + transcriptTab.width).toBeLessThanOrEqual(PHONE.width);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'layout-phone-message.png') });
    await page.keyboard.press('Escape'); // as the Back button
    await page.getByTestId('message-view').waitFor({ state: 'detached' });

    // An HTML message: its preview frame starts on the first screen too.
    await sendMail(sink(), { subject: 'Phone newsletter', html: '<h1>News</h1><p>Big sale.</p>', text: 'News' });
    await rowBySubject(page, 'Phone newsletter').click();
    const frame = await box(page.locator('.html-frame'));
    const htmlEnvelope = await box(page.getByTestId('detail-envelope'));
    expect(frame.y).toBeGreaterThanOrEqual(htmlEnvelope.y + htmlEnvelope.height);
    expect(frame.y + 100).toBeLessThanOrEqual(PHONE.height);
    await page.getByTestId('back-button').click();
    await page.getByTestId('message-view').waitFor({ state: 'detached' });
    await expect(rowBySubject(page, 'Phone newsletter').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'layout-phone-list.png') });
    expect(errors).toEqual([]);
  });

  it('on a phone shows the fault panel and the server test as full-screen sheets with a close button', async () => {
    await sendMail(sink(), { subject: 'Under the sheet', text: 'x' });
    const { page, errors } = await openInbox(browser(), sink(), { viewport: PHONE });
    await rowBySubject(page, 'Under the sheet').waitFor();
    await page.getByTestId('faults-toggle').click();
    await expect(box(page.getByTestId('fault-panel'))).resolves.toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    await expect(page.locator('section.list-pane').getAttribute('inert')).resolves.toBe(''); // covered: no focus
    await page.screenshot({ path: path.join(SCREENSHOTS, 'layout-phone-faults.png') });
    const stage = await box(page.getByTestId('fault-stage'));
    expect(stage.x + stage.width).toBeLessThanOrEqual(PHONE.width);
    await page.getByTestId('faults-close').click();
    await page.getByTestId('fault-panel').waitFor({ state: 'detached' });
    await expect(page.locator('section.list-pane').getAttribute('inert')).resolves.toBe(null);

    await page.getByTestId('probe-toggle').click();
    await expect(box(page.getByTestId('probe-panel'))).resolves.toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    await page.getByTestId('probe-panel').getByRole('button', { name: /close/i }).click();
    await page.getByTestId('probe-panel').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('collapses 30 recipients to "and 27 more" so the body shows at 1400×900, and expands them', async () => {
    const to = Array.from({ length: 30 }, (_, i) => `user${String(i + 1).padStart(2, '0')}@example.org`);
    await sendMail(sink(), { to, subject: 'Thirty recipients', text: 'The body under a long envelope.' });
    const { page, errors } = await openInbox(browser(), sink(), { viewport: DESKTOP });
    await rowBySubject(page, 'Thirty recipients').click();
    await expect(page.locator('.select-hint').count()).resolves.toBe(0);
    const body = await box(page.getByTestId('detail-text'));
    expect(body.y + 20).toBeLessThanOrEqual(DESKTOP.height);

    await expect(page.getByTestId('detail-to-addresses').textContent()).resolves.toBe('user01@example.org, user02@example.org, user03@example.org,');
    const toMore = page.getByTestId('detail-to-more');
    await expect(toMore.textContent()).resolves.toBe('and 27 more');
    await expect(toMore.getAttribute('aria-expanded')).resolves.toBe('false');
    await toMore.click();
    await expect(page.getByTestId('detail-to-addresses').textContent()).resolves.toBe(to.join(', '));
    await expect(toMore.getAttribute('aria-expanded')).resolves.toBe('true');

    const rcpts = page.getByTestId('envelope-rcpt');
    await expect(rcpts.allTextContents()).resolves.toEqual(to.slice(0, 3).map((address) => `<${address}>`));
    const rcptMore = page.getByTestId('envelope-rcpt-more');
    await expect(rcptMore.textContent()).resolves.toBe('and 27 more');
    await rcptMore.click();
    await expect(rcpts.allTextContents()).resolves.toEqual(to.map((address) => `<${address}>`));
    await expect(rcptMore.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(rcptMore.textContent()).resolves.toBe('show fewer');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'layout-desktop-30-recipients.png') });
    await rcptMore.click();
    await expect(rcpts.count()).resolves.toBe(3);
    await expect(rcptMore.getAttribute('aria-expanded')).resolves.toBe('false');
    expect(errors).toEqual([]);
  });

  it('shows the recipient in the list: the To header, or the envelope recipient when the header names none of them', async () => {
    await sendMail(sink(), { to: ['"Dev Team" <dev@example.org>', 'qa@example.org'], subject: 'Row to header', text: 'x' });
    const raw = Buffer.from('From: app@example.com\r\nTo: list@example.org\r\nSubject: Row to envelope\r\n\r\nhello\r\n');
    await sendRaw(sink(), { from: 'app@example.com', to: ['hidden@example.net'] }, raw);
    const { page, errors } = await openInbox(browser(), sink(), { viewport: DESKTOP });
    const header = rowBySubject(page, 'Row to header').getByTestId('row-to');
    await expect(header.textContent()).resolves.toBe('To Dev Team +1');
    await expect(header.getAttribute('title')).resolves.toBe('To: Dev Team <dev@example.org>, qa@example.org');
    const envelope = rowBySubject(page, 'Row to envelope').getByTestId('row-to');
    await expect(envelope.textContent()).resolves.toBe('RCPT hidden@example.net');
    await expect(envelope.getAttribute('data-envelope')).resolves.toBe('true');
    // Received today: the time of day, the full date in the tooltip.
    const time = rowBySubject(page, 'Row to envelope').locator('.row-time');
    await expect(time.textContent()).resolves.toMatch(/^\d{1,2}:\d{2}( [AP]M)?$/);
    await expect(time.getAttribute('title')).resolves.toMatch(/\d{4}/);
    // The same row seen 3 days later shows the weekday, 400 days later the date with its year.
    const received = new Date((await time.getAttribute('datetime'))!);
    const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'short' }).format(received);
    await page.clock.install({ time: received.getTime() + 3 * 86_400_000 });
    await page.reload();
    await expect.poll(() => time.textContent()).toMatch(new RegExp(`^${weekday} \\d{1,2}:\\d{2} [AP]M$`));
    await page.clock.setSystemTime(received.getTime() + 400 * 86_400_000);
    await page.reload();
    const dated = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' }).format(received);
    await expect.poll(() => time.textContent()).toBe(dated);
    expect(errors).toEqual([]);
  });

  it('keeps tab widths when one is selected, hides an empty Attachments tab, and does not cut the Stage select', async () => {
    await sendMail(sink(), { subject: 'Tabs no attachment', text: 'plain', html: '<p>plain</p>' });
    const { page, errors } = await openInbox(browser(), sink(), { viewport: DESKTOP });
    await rowBySubject(page, 'Tabs no attachment').click();
    await page.getByTestId('tab-html').waitFor();
    await expect(page.getByTestId('tab-attachments').count()).resolves.toBe(0);
    const before = await tabGeometry(page);
    for (const tab of ['tab-transcript', 'tab-headers', 'tab-html-check']) {
      await page.getByTestId(tab).click();
      await expect(page.getByTestId(tab).getAttribute('aria-selected')).resolves.toBe('true');
      await expect(page.evaluate(`getComputedStyle(document.querySelector('[data-testid="${tab}"]')).fontWeight`)).resolves.toBe('600');
      await expect(tabGeometry(page)).resolves.toEqual(before);
    }

    await sendMail(sink(), { subject: 'Tabs with attachment', text: 'see file', attachments: [{ filename: 'a.txt', content: 'a' }] });
    await rowBySubject(page, 'Tabs with attachment').click();
    await expect(page.getByTestId('tab-attachments').textContent()).resolves.toBe('Attachments (1)');

    await page.getByTestId('faults-toggle').click();
    const stage = page.getByTestId('fault-stage');
    await stage.selectOption('rcptTo');
    // The selected option's text, in the select's font, fits inside it beside the arrow.
    const room = (await page.evaluate(MEASURE_STAGE)) as { text: number; inner: number; label: string };
    expect(room.label).toBe('RCPT TO (each recipient)');
    expect(room.text).toBeLessThanOrEqual(room.inner);
    expect(errors).toEqual([]);
  });

  it('keeps "Mark unread" on the open message when a search fails', async () => {
    await sendMail(sink(), { subject: 'Read then search', text: 'x' });
    const { page, errors } = await openInbox(browser(), sink(), { viewport: DESKTOP });
    await rowBySubject(page, 'Read then search').click();
    const toggle = page.getByTestId('toggle-read-button');
    await expect.poll(() => toggle.textContent()).toBe('Mark unread');
    await expect.poll(() => rowBySubject(page, 'Read then search').getAttribute('data-read')).toBe('true');
    await page.getByTestId('search-input').fill('before:xyz');
    await page.getByTestId('search-input').press('Enter');
    await expect(page.getByTestId('list-error').textContent()).resolves.toContain('Search failed');
    await expect(toggle.textContent()).resolves.toBe('Mark unread');
    await expect(toggle.locator('.toolbar-label').textContent()).resolves.toBe('Mark unread');
    await page.getByTestId('search-input').fill('tag:');
    await page.getByTestId('search-input').press('Enter');
    await expect(page.getByTestId('list-error').textContent()).resolves.toContain('Search failed');
    await expect(toggle.textContent()).resolves.toBe('Mark unread');
    expect(errors).toEqual([]);
  });
});
