/**
 * 10,000 messages, all sent over SMTP (pooled nodemailer, 16 connections) while the inbox is open.
 * The list is virtualised (only rows near the viewport are in the DOM) and fetched page by page
 * (`limit`/`offset`): arrivals, a cold load of the full inbox, and scrolling to the very end, where
 * the oldest message is, each with a bounded DOM. Load times and frame gaps are printed, not
 * asserted (they depend on the machine's load; timing belongs to `npm run bench`).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFrameStats, startFrameMonitor } from '../helpers/frame-monitor.js';
import { openInbox, rowBySubject, SCREENSHOTS, sendMail, sendMany, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';
import type { Page } from 'playwright-core';

const COUNT = 10_000;
/** Rows in the DOM may never exceed this, whatever the number of messages. */
const MAX_DOM_ROWS = 200;

async function domRows(page: Page): Promise<number> {
  return page.locator('[data-testid="message-row"], [data-testid="message-row-placeholder"]').count();
}

describe(`inbox with ${COUNT} messages`, () => {
  const sink = useSink({ maxMessages: COUNT + 100 });
  const browser = useBrowser();

  it('receives them live, loads cold, and scrolls to the oldest with a bounded DOM', { timeout: 120_000 }, async () => {
    const { page, errors, dialogs } = await openInbox(browser(), sink());
    await sendMail(sink(), { subject: 'The oldest message', text: 'Sent first of all.' });
    await rowBySubject(page, 'The oldest message').waitFor();

    await startFrameMonitor(page);
    const sendStart = performance.now();
    await sendMany(sink(), COUNT - 1, (i) => ({ subject: `Bulk ${String(i + 1).padStart(5, '0')}`, text: `Bulk message number ${i + 1}.` }), 16);
    const sentMs = performance.now() - sendStart;
    await page.getByTestId('message-count').getByText(`${COUNT} messages`).waitFor({ timeout: 30_000 });
    const live = await readFrameStats(page);
    console.log(`10k: sent ${COUNT - 1} over SMTP in ${Math.round(sentMs)} ms; while arriving: longest frame gap ${live.maxFrameGapMs} ms, ` +
      `long tasks ${live.longTasksMs.length} (max ${Math.max(0, ...live.longTasksMs)} ms)`);
    expect(await domRows(page)).toBeLessThan(MAX_DOM_ROWS);

    // Cold load of the full inbox.
    const loadStart = performance.now();
    await page.reload();
    await page.getByTestId('message-row').first().waitFor();
    const coldMs = performance.now() - loadStart;
    await expect(page.getByTestId('message-list').getAttribute('data-total')).resolves.toBe(String(COUNT));
    expect(await domRows(page)).toBeLessThan(MAX_DOM_ROWS);

    // Jump to the end: the last row is the oldest message.
    await startFrameMonitor(page);
    const scrollStart = performance.now();
    await page.getByTestId('message-list').evaluate((list) => list.scrollTo({ top: list.scrollHeight }));
    const oldest = rowBySubject(page, 'The oldest message');
    await oldest.waitFor({ timeout: 10_000 });
    const endMs = performance.now() - scrollStart;
    await expect(oldest.getAttribute('data-index')).resolves.toBe(String(COUNT - 1));
    expect(await domRows(page)).toBeLessThan(MAX_DOM_ROWS);

    // Wheel through the middle.
    await page.getByTestId('message-list').evaluate((list) => list.scrollTo({ top: list.scrollHeight / 2 }));
    await page.getByTestId('message-list').hover();
    for (let step = 0; step < 30; step += 1) await page.mouse.wheel(0, 600);
    await page.locator('[data-testid="message-row"]').first().waitFor();
    const scrolling = await readFrameStats(page);
    expect(await domRows(page)).toBeLessThan(MAX_DOM_ROWS);
    console.log(`10k: cold load to first row ${Math.round(coldMs)} ms; jump to the oldest ${Math.round(endMs)} ms; ` +
      `while scrolling: longest frame gap ${scrolling.maxFrameGapMs} ms, long tasks ${JSON.stringify(scrolling.longTasksMs)}`);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'list-10k.png') });
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
