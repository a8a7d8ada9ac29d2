/**
 * The inbox on a phone (390×844, touch) with hostile widths: a 120-character subject without spaces,
 * a long From address, a long URL and a 1200 px table. Nothing in the open message is wider than
 * the screen (on any tab); a tag chip goes back to the filtered list; the top bar with a search
 * and an active fault, and the bulk bar, fit on the screen; the list keeps "+29" of the recipients.
 * (Split from inbox-layout.test.ts, which is at its size limit.)
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { openInbox, rowBySubject, rows, SCREENSHOTS, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const WIDTH = PHONE.viewport.width;
const SUBJECT = 'S'.repeat(120);
const FROM = `${'x'.repeat(60)}@${'very-long-subdomain-'.repeat(4)}example.test`;
const LONG_URL = `https://example.test/${'a'.repeat(300)}`;
const TO = Array.from({ length: 30 }, (_, i) => `to${String(i).padStart(2, '0')}@example.test`);
const HTML = `<p><a href="${LONG_URL}">${LONG_URL}</a></p><table width="1200"><tr>${Array.from({ length: 30 }, (_, i) => `<td>column${i}</td>`).join('')}</tr></table>`;

async function box(locator: Locator) {
  const rect = await locator.boundingBox();
  if (rect === null) throw new Error('element is not visible');
  return rect;
}

/**
 * How wide the page and the view pane lay out: their scroll widths, and every element in the
 * pane whose right edge passes the screen's, except those inside a scroll container (the tab
 * strip, the preview stage) or the preview's iframe, which are scrolled, not cut.
 */
const WIDTHS = `(() => {
  const pane = document.querySelector('.view-pane');
  const scrolls = (element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(element).overflowX);
  const inScroller = (element) => {
    for (let up = element.parentElement; up !== null && up !== pane; up = up.parentElement) if (scrolls(up)) return true;
    return false;
  };
  const wide = [...pane.querySelectorAll('*')]
    .filter((element) => element.getBoundingClientRect().right > ${WIDTH} + 0.5 && !inScroller(element))
    .map((element) => element.tagName.toLowerCase() + '.' + (element.getAttribute('class') ?? ''));
  return { page: document.documentElement.scrollWidth, pane: pane.scrollWidth - pane.clientWidth, wide };
})()`;

async function expectFits(page: Page, where: string) {
  await expect(page.evaluate(WIDTHS), where).resolves.toEqual({ page: WIDTH, pane: 0, wide: [] });
}

describe('inbox layout on a phone, wide content', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('keeps an open message inside the screen on every tab, and a tag chip goes back to the filtered list', async () => {
    await sendMail(sink(), { from: `Someone <${FROM}>`, to: TO, subject: SUBJECT, text: `see ${LONG_URL}`, html: HTML });
    await sendMail(sink(), { subject: 'Phone untagged', text: 'x' });
    const { messages } = await api<MessageList>(sink(), '/api/messages');
    const wide = messages.find((message) => message.subject === SUBJECT)!;
    await api(sink(), `/api/messages/${wide.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tags: ['billing'] }) });
    const { page, errors } = await openInbox(browser(), sink(), PHONE);
    await rowBySubject(page, 'Phone untagged').waitFor();

    // The list row keeps "+29" in sight and cuts the address instead.
    const rowTo = rowBySubject(page, SUBJECT).getByTestId('row-to');
    await expect(rowTo.textContent()).resolves.toBe('To to00@example.test +29');
    const more = await box(rowTo.locator('.row-to-more'));
    const toBox = await box(rowTo);
    expect(more.width).toBeGreaterThan(0);
    expect(more.x + more.width).toBeLessThanOrEqual(toBox.x + toBox.width);

    await rowBySubject(page, SUBJECT).tap();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe(SUBJECT);
    await page.locator('.html-frame').waitFor();
    await expectFits(page, 'HTML tab');
    const tabs = page.getByRole('tab');
    for (const testId of await tabs.evaluateAll((all) => all.map((tab) => tab.getAttribute('data-testid')!))) {
      await page.getByTestId(testId).tap();
      await expect(page.getByTestId(testId).getAttribute('aria-selected')).resolves.toBe('true');
      if (testId === 'tab-html-check') await page.getByTestId('html-check-clients').waitFor();
      await expectFits(page, testId);
    }
    await page.getByTestId('tab-html').tap();
    await page.getByTestId('envelope-toggle').tap();
    await expectFits(page, 'envelope open');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'layout-phone-wide-message.png') });

    // The tag chip searches for the tag and shows the list, filtered.
    await page.locator('.view-pane').getByTestId('tag-chip').tap();
    await page.getByTestId('message-view').waitFor({ state: 'detached' });
    await expect(page.getByTestId('search-input').inputValue()).resolves.toBe('tag:billing');
    await expect(page.getByRole('region', { name: 'Inbox' }).isVisible()).resolves.toBe(true);
    await expect.poll(() => rows(page).count()).toBe(1);
    await expect(rowBySubject(page, SUBJECT).isVisible()).resolves.toBe(true);
    await expect(page.evaluate('[document.documentElement.scrollWidth, window.scrollX]')).resolves.toEqual([WIDTH, 0]);
    expect(errors).toEqual([]);
  });

  it('fits the top bar (search active, a fault live) and the bulk bar on one line at 390 px, every control named', async () => {
    const rule = { stage: 'mailFrom', match: { mailFrom: '*@never.example' }, reply: { code: 550, enhancedCode: '5.7.1' } };
    await api(sink(), '/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
    await sendMail(sink(), { subject: 'Bar one', text: 'x' });
    await sendMail(sink(), { subject: 'Bar two', text: 'x' });
    await sendMail(sink(), { subject: 'Bar three', text: 'x' });
    const { page, errors } = await openInbox(browser(), sink(), PHONE);
    await rowBySubject(page, 'Bar three').waitFor();
    await page.getByTestId('search-input').fill('Bar');
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(() => page.getByTestId('message-count').textContent()).toBe('3 matching');
    await expect(page.getByTestId('faults-toggle').locator('.badge').textContent()).resolves.toBe('1');

    const controls = page.locator('.topbar').locator('button, a');
    await expect(controls.count()).resolves.toBe(7);
    for (const control of await controls.all()) {
      const rect = await box(control);
      const name = await control.evaluate((element) => element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '');
      expect(name).not.toBe('');
      expect(rect.x).toBeGreaterThanOrEqual(0);
      expect(rect.x + rect.width, name).toBeLessThanOrEqual(WIDTH);
      expect(rect.width, name).toBeGreaterThanOrEqual(24);
    }
    await expect(page.getByTestId('delete-all-button').getAttribute('aria-label')).resolves.toBe('Delete matching');
    await expect(page.getByTestId('api-docs-link').locator('svg').count()).resolves.toBe(1);

    await rowBySubject(page, 'Bar one').getByTestId('row-check').tap();
    await expect(page.getByTestId('bulk-count').textContent()).resolves.toBe('1 selected');
    const bar = page.getByTestId('bulk-bar');
    await expect(bar.getByTestId('bulk-select-all').textContent()).resolves.toBe('Select all 3 matching');
    const rects = await bar.locator('button, a').evaluateAll((all) => all.map((element) => { const { top, bottom, right } = element.getBoundingClientRect(); return { top, bottom, right }; }));
    expect(rects.length).toBe(7); // select all, read, unread, tag, download, delete, clear
    const line = { top: Math.max(...rects.map((rect) => rect.top)), bottom: Math.min(...rects.map((rect) => rect.bottom)) };
    expect(line.top).toBeLessThan(line.bottom); // one line: a horizontal line crosses every control
    expect(Math.max(...rects.map((rect) => rect.right))).toBeLessThanOrEqual(WIDTH);
    const names = await bar.locator('button, a').evaluateAll((all) => all.map((element) => element.getAttribute('aria-label') ?? element.textContent?.trim() ?? ''));
    expect(names).toEqual(['Select all 3 matching', 'Mark read', 'Mark unread', 'Tag…', 'Download', 'Delete', 'Clear selection']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'layout-phone-bars.png') });
    expect(errors).toEqual([]);
  });
});
