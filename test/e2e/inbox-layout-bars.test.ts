/**
 * Bars that must not jump or wrap: the search box keeps its width when "N unread" appears (1400×900)
 * and the phone's top bar keeps one arrangement (counts beside the actions) with and without a search (390×844); the bulk bar
 * with a partial selection stays on one line at 1400 px; a long tag name is cut with an ellipsis
 * (its full name in the title) and chips in a row do not overlap.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { openInbox, rowBySubject, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const DESKTOP = { viewport: { width: 1400, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
/** `getComputedStyle` in the page (the test's types have no DOM library). */
type StyleOf = { getComputedStyle(element: unknown): { textOverflow: string } };
const JSON_HEADERS = { 'content-type': 'application/json' };

const searchWidth = (page: Page) => page.getByTestId('search-input').evaluate((element) => element.getBoundingClientRect().width);

async function search(page: Page, text: string, count: string) {
  await page.getByTestId('search-input').fill(text);
  await page.getByTestId('search-input').press('Enter');
  await expect.poll(() => page.getByTestId('message-count').textContent()).toBe(count);
}

describe('inbox bars keep their layout', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('keeps the search box as wide with and without unread mail (desktop), and one top bar arrangement on a phone', async () => {
    await sendMail(sink(), { subject: 'Count one', text: 'x' });
    await sendMail(sink(), { subject: 'Count two', text: 'x' });
    const { page, errors } = await openInbox(browser(), sink(), DESKTOP);
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('2 unread');
    const withUnread = await searchWidth(page);
    await api(sink(), '/api/messages', { method: 'PATCH', headers: JSON_HEADERS, body: JSON.stringify({ query: '', read: true }) });
    await page.getByTestId('unread-count').waitFor({ state: 'detached' });
    expect(await searchWidth(page)).toBe(withUnread);
    await expect(page.getByTestId('search-input').evaluate((element) => element.scrollWidth <= element.clientWidth)).resolves.toBe(true);

    const phone = (await openInbox(browser(), sink(), PHONE)).page;
    await rowBySubject(phone, 'Count two').waitFor();
    const bar = () => phone.locator('.topbar').evaluate((element) => element.getBoundingClientRect().height);
    const countTop = () => phone.getByTestId('message-count').evaluate((element) => Math.round(element.getBoundingClientRect().top));
    const before = { height: await bar(), top: await countTop(), width: await searchWidth(phone) };
    await search(phone, 'Count', '2 matching');
    await expect(Promise.all([bar(), countTop(), searchWidth(phone)])).resolves.toEqual([before.height, before.top, before.width]);
    const count = await phone.getByTestId('message-count').boundingBox();
    const actions = await phone.locator('.topbar-actions').boundingBox();
    // Shares the second line with the actions: never on a line of its own.
    expect(count!.y).toBeGreaterThanOrEqual(actions!.y);
    expect(count!.y + count!.height).toBeLessThanOrEqual(actions!.y + actions!.height);
    expect(errors).toEqual([]);
  });

  it('cuts a 40-character tag name with an ellipsis in the list row and the Tags menu, chips apart', async () => {
    const LONG = 'important-customer-notifications-2026-q4';
    expect(LONG.length).toBe(40);
    await sendMail(sink(), { subject: 'Long tag', text: 'x' });
    const { messages } = await api<MessageList>(sink(), '/api/messages');
    await api(sink(), `/api/messages/${messages[0]!.id}`, { method: 'PATCH', headers: JSON_HEADERS, body: JSON.stringify({ tags: [LONG, 'billing'] }) });
    const { page, errors } = await openInbox(browser(), sink(), DESKTOP);
    const chips = rowBySubject(page, 'Long tag').getByTestId('tag-chip');
    await expect.poll(() => chips.count()).toBe(2);
    const cut = (chip: ReturnType<typeof chips.first>) => chip.locator('.tag-chip-name').evaluate((element) => ({
      cut: element.scrollWidth > element.clientWidth, overflow: (globalThis as unknown as StyleOf).getComputedStyle(element).textOverflow, title: element.closest('[title]')?.getAttribute('title') ?? '',
    }));
    const long = chips.and(page.locator(`[data-tag="${LONG}"]`));
    await expect(cut(long)).resolves.toEqual({ cut: true, overflow: 'ellipsis', title: `Show messages tagged ${LONG}` });
    const [first, second] = await chips.evaluateAll((all) => all.map((element) => { const { left, right } = element.getBoundingClientRect(); return { left, right }; }));
    expect(second!.left - first!.right).toBeGreaterThanOrEqual(2);

    await page.getByRole('button', { name: /^Tags/ }).click();
    const item = page.getByTestId('tag-menu-item').and(page.locator(`[data-tag="${LONG}"]`));
    await expect(cut(item.getByTestId('tag-chip'))).resolves.toEqual({ cut: true, overflow: 'ellipsis', title: `Show messages tagged ${LONG}` });
    const row = await item.locator('.tag-menu-row').evaluate((element) => {
      const [chip, count] = [element.querySelector('.tag-chip')!.getBoundingClientRect(), element.querySelector('.tag-count')!.getBoundingClientRect()];
      return count.left - chip.right;
    });
    expect(row).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('keeps the bulk bar with a partial selection on one line at 1400 px', async () => {
    for (let i = 1; i <= 10; i++) await sendMail(sink(), { subject: `Invoice #${i}`, text: 'x' });
    const { page, errors } = await openInbox(browser(), sink(), DESKTOP);
    await rowBySubject(page, 'Invoice #10').waitFor();
    await search(page, 'Invoice', '10 matching');
    for (const n of [9, 8, 7, 6]) await rowBySubject(page, `Invoice #${n}`).getByTestId('row-check').click();
    await expect(page.getByTestId('bulk-count').textContent()).resolves.toBe('4 selected');
    const bar = page.getByTestId('bulk-bar');
    await expect(bar.getByTestId('bulk-select-all').getAttribute('title')).resolves.toBe('Select all 10 matching');
    const rects = await bar.locator('button, a').evaluateAll((all) => all.map((element) => { const { top, bottom, right } = element.getBoundingClientRect(); return { top, bottom, right }; }));
    expect(rects.length).toBe(7);
    const line = { top: Math.max(...rects.map((rect) => rect.top)), bottom: Math.min(...rects.map((rect) => rect.bottom)) };
    expect(line.top).toBeLessThan(line.bottom); // one line: a horizontal line crosses every control
    const pane = await page.getByRole('region', { name: 'Inbox' }).boundingBox();
    expect(Math.max(...rects.map((rect) => rect.right))).toBeLessThanOrEqual(pane!.x + pane!.width);
    expect(errors).toEqual([]);
  });

  it('keeps the message tabs of an HTML newsletter in one row, all in sight, at 1400 px', async () => {
    const html = '<h1>Newsletter</h1><p><a href="https://example.test/a">a</a> <a href="https://example.test/b">b</a> <a href="https://example.test/c">c</a></p>';
    await sendMail(sink(), { from: 'News <news@shop.example>', subject: 'December Newsletter: wide table and long URLs', text: 'text', html });
    const { page, errors } = await openInbox(browser(), sink(), DESKTOP);
    await rowBySubject(page, 'December Newsletter: wide table and long URLs').click();
    await page.getByTestId('tab-links').waitFor();
    const tabs = await page.getByRole('tab').evaluateAll((all) => all.map((tab) => Math.round(tab.getBoundingClientRect().top)));
    expect(tabs.length).toBe(10);
    expect(new Set(tabs).size).toBe(1);
    await expect(page.locator('.tab-list').evaluate((element) => element.scrollWidth - element.clientWidth)).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
