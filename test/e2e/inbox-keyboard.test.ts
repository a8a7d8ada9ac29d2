/**
 * Keyboard: j/k and the arrow keys move the highlight, Home/End jump, Enter opens, Delete deletes,
 * u toggles read, / focuses the search, ? shows the shortcuts and Escape closes them. No shortcut
 * fires while typing in an input.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { openInbox, rowBySubject, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

/** Subject of the highlighted row (the list box's active descendant). */
async function highlighted(page: Page): Promise<string | null> {
  const id = await page.getByTestId('message-list').getAttribute('aria-activedescendant');
  return id === null ? null : page.locator(`[id="${id}"]`).getByTestId('row-subject').textContent();
}

describe('keyboard', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('moves, opens, deletes, searches and shows the shortcuts', async () => {
    for (const subject of ['M1', 'M2', 'M3', 'M4', 'M5']) await sendMail(sink(), { subject, text: subject });
    const { page, errors } = await openInbox(browser(), sink());
    await rowBySubject(page, 'M1').waitFor();

    await page.keyboard.press('j');
    expect(await highlighted(page)).toBe('M5');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await highlighted(page)).toBe('M3');
    await page.keyboard.press('k');
    expect(await highlighted(page)).toBe('M4');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('M4');
    await expect(page.evaluate('location.hash')).resolves.toMatch(/^#\/messages\//);

    // Arrow keys act on the focused list box.
    await page.getByTestId('message-list').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await highlighted(page)).toBe('M2');
    await page.keyboard.press('End');
    expect(await highlighted(page)).toBe('M1');
    await page.keyboard.press('Home');
    expect(await highlighted(page)).toBe('M5');
    await page.keyboard.press('ArrowUp');
    expect(await highlighted(page)).toBe('M5');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('M4');

    // u toggles read, Delete deletes the open message and opens the next older one.
    await expect.poll(() => rowBySubject(page, 'M4').getAttribute('data-read')).toBe('true');
    await page.keyboard.press('u');
    await expect.poll(() => rowBySubject(page, 'M4').getAttribute('data-read')).toBe('false');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await api<MessageList>(sink(), '/api/messages')).messages.map((m) => m.subject)).toEqual(['M5', 'M3', 'M2', 'M1']);
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('M3');
    await expect(rowBySubject(page, 'M4').count()).resolves.toBe(0);

    // ? opens the shortcuts, Escape closes them; keys do nothing while the dialog is open.
    await page.keyboard.press('?');
    const dialog = page.getByTestId('shortcuts-dialog');
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(dialog.textContent()).resolves.toContain('Next (older) message');
    await page.keyboard.press('j');
    expect(await highlighted(page)).toBe('M3');
    await page.keyboard.press('Escape');
    await expect(dialog.isVisible()).resolves.toBe(false);

    // / focuses the search; typing there fires no shortcut (j, k, u, ?, Delete, Enter).
    await page.keyboard.press('/');
    await expect(page.evaluate('document.activeElement?.dataset.testid')).resolves.toBe('search-input');
    await page.keyboard.type('jk?u');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('search-input').inputValue()).resolves.toBe('jk?u');
    await expect(dialog.isVisible()).resolves.toBe(false);
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('M3');
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(4);
    await page.getByTestId('search-input').press('Escape');
    await rowBySubject(page, 'M5').waitFor();
    expect(await highlighted(page)).toBe('M3');
    expect(errors).toEqual([]);
  });
});
