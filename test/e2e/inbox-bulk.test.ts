/**
 * Bulk selection in the inbox: checkbox click, shift-click (range) and ctrl-click (one more, without
 * opening) select exactly those messages; Mark read, Tag… and Download (one mbox) act on exactly
 * them; new mail keeps the selection, Escape clears it, `x` toggles, deleted messages leave it; "select all matching" a search covers rows the list never loaded, and Delete
 * removes exactly those. Desktop (1400×900) and a touch phone (390×844).
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MessageList, MessageSummary } from '../../server/contract.js';
import { openInbox, rowBySubject, rows, sendMail, sendMany, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

async function all(sink: Parameters<typeof api>[0]): Promise<MessageSummary[]> {
  return (await api<MessageList>(sink, '/api/messages?limit=1000')).messages;
}

async function checkedSubjects(page: Page): Promise<string[]> {
  return rows(page).and(page.locator('[data-checked="true"]')).getByTestId('row-subject').allTextContents();
}

/** Subject → field of every stored message, sorted by subject. */
async function bySubject<K extends keyof MessageSummary>(sink: Parameters<typeof api>[0], key: K): Promise<[string, MessageSummary[K]][]> {
  return (await all(sink)).map((m): [string, MessageSummary[K]] => [m.subject, m[key]]).sort(([a], [b]) => a.localeCompare(b));
}

describe('bulk actions', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('selects by click, shift-click and ctrl-click, then marks read, tags and downloads exactly those', async () => {
    for (let i = 1; i <= 5; i += 1) await sendMail(sink(), { subject: `Msg ${i}`, text: `From here on, body ${i}.` });
    const { page, errors } = await openInbox(browser(), sink(), { viewport: { width: 1400, height: 900 } });
    await expect.poll(() => rows(page).getByTestId('row-subject').allTextContents()).toEqual(['Msg 5', 'Msg 4', 'Msg 3', 'Msg 2', 'Msg 1']);

    await rowBySubject(page, 'Msg 5').getByTestId('row-check').click();
    await rowBySubject(page, 'Msg 3').getByTestId('row-check').click({ modifiers: ['Shift'] });
    await expect.poll(() => checkedSubjects(page)).toEqual(['Msg 5', 'Msg 4', 'Msg 3']);
    await rowBySubject(page, 'Msg 1').click({ modifiers: ['Control'] });
    await expect.poll(() => checkedSubjects(page)).toEqual(['Msg 5', 'Msg 4', 'Msg 3', 'Msg 1']);
    await expect(page.getByTestId('bulk-count').textContent()).resolves.toBe('4 selected');
    await expect(page.getByTestId('message-view').count()).resolves.toBe(0); // ctrl-click did not open it

    await page.getByTestId('bulk-read').click();
    await expect.poll(() => bySubject(sink(), 'read')).toEqual([['Msg 1', true], ['Msg 2', false], ['Msg 3', true], ['Msg 4', true], ['Msg 5', true]]);

    await page.getByTestId('bulk-tag').click();
    await page.getByTestId('bulk-tag-input').fill('batch');
    await page.getByTestId('bulk-tag-add').click();
    await expect.poll(() => bySubject(sink(), 'tags')).toEqual([['Msg 1', ['batch']], ['Msg 2', []], ['Msg 3', ['batch']], ['Msg 4', ['batch']], ['Msg 5', ['batch']]]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulk-download').click()]);
    expect(download.suggestedFilename()).toBe('mailsink-4-messages.mbox');
    const mbox = await readFile((await download.path())!, 'utf8');
    expect(mbox.match(/^From /gm)?.length).toBe(4);
    expect(mbox.match(/^>From here on, body \d\.$/gm)).toEqual(['>From here on, body 1.', '>From here on, body 3.', '>From here on, body 4.', '>From here on, body 5.']);

    // The selection survives new mail; Escape clears it; `x` toggles the highlighted row.
    await sendMail(sink(), { subject: 'Msg 6', text: 'late' });
    await rowBySubject(page, 'Msg 6').waitFor();
    await expect(checkedSubjects(page)).resolves.toEqual(['Msg 5', 'Msg 4', 'Msg 3', 'Msg 1']);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('bulk-bar').count()).toBe(0);
    await expect(checkedSubjects(page)).resolves.toEqual([]);
    await page.getByTestId('message-list').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect.poll(() => checkedSubjects(page)).toEqual(['Msg 6']);
    await expect(page.getByTestId('bulk-count').textContent()).resolves.toBe('1 selected');
    // A selected message deleted elsewhere leaves the selection.
    const six = (await all(sink())).find((m) => m.subject === 'Msg 6')!;
    await api(sink(), `/api/messages/${six.id}`, { method: 'DELETE' });
    await expect.poll(() => page.getByTestId('bulk-bar').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('"select all matching" a search deletes exactly the matching messages, loaded or not', async () => {
    await api(sink(), '/api/messages', { method: 'DELETE' });
    await sendMany(sink(), 120, (i) => ({ subject: `Invoice ${String(i + 1).padStart(3, '0')}`, text: 'invoice' }));
    for (const subject of ['Receipt A', 'Receipt B']) await sendMail(sink(), { subject, text: 'Invoice attached? No.' });
    const { page, errors } = await openInbox(browser(), sink(), { viewport: { width: 1400, height: 900 } });
    await page.getByTestId('search-input').fill('subject:Invoice');
    await page.getByTestId('search-input').press('Enter');
    await expect.poll(() => page.getByTestId('message-count').textContent()).toBe('120 matching');
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    expect(await rows(page).count()).toBeLessThan(120); // a virtual list: most rows are not even rendered

    await page.getByRole('checkbox', { name: 'Select all 120 matching' }).check();
    await expect(page.getByTestId('bulk-count').textContent()).resolves.toBe('120 selected');
    await page.getByTestId('bulk-delete').click();
    const dialog = page.locator('dialog[open]'); // the top bar's "Delete matching" dialog is in the page too, closed
    await expect(dialog.textContent()).resolves.toContain('Delete all 120 messages matching the search?');
    await dialog.getByTestId('confirm-ok').click();
    await expect.poll(async () => (await all(sink())).map((m) => m.subject)).toEqual(['Receipt B', 'Receipt A']);
    await page.getByTestId('no-results').waitFor();
    await expect(page.getByTestId('bulk-bar').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('works by touch on a phone (390×844): checkboxes always shown, tap selects, Mark unread', async () => {
    await api(sink(), '/api/messages', { method: 'DELETE' });
    for (const subject of ['Phone A', 'Phone B', 'Phone C']) await sendMail(sink(), { subject, text: subject });
    await api(sink(), '/api/messages', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '', read: true }) });
    const { page, errors } = await openInbox(browser(), sink(), { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await expect.poll(() => rows(page).getByTestId('row-subject').allTextContents()).toEqual(['Phone C', 'Phone B', 'Phone A']);
    const check = rowBySubject(page, 'Phone C').getByTestId('row-check');
    // Runs in the page (the test's types have no DOM library).
    const opacity = check.evaluate((element) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(element).opacity);
    await expect(opacity).resolves.toBe('1');
    await check.tap();
    await rowBySubject(page, 'Phone A').getByTestId('row-check').tap();
    await expect.poll(() => checkedSubjects(page)).toEqual(['Phone C', 'Phone A']);
    await page.getByTestId('bulk-unread').tap();
    await expect.poll(() => bySubject(sink(), 'read')).toEqual([['Phone A', false], ['Phone B', true], ['Phone C', false]]);
    await expect(page.getByTestId('message-view').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
