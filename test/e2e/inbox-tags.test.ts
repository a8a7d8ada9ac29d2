/**
 * Tags in the inbox: added on the open message (exactly that tag over the API), shown as chips in
 * the row and the header in their colour, a click on a chip searches `tag:"…"` (the list shows
 * exactly the tagged messages), × removes one, and a colour chosen in the tag menu survives a reload.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { colourOfHue, tagColour } from '../../ui/src/tags.js';
import { openInbox, rowBySubject, rows, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const TAG = 'Priority customer';

async function subjects(page: Page): Promise<string[]> {
  return rows(page).getByTestId('row-subject').allTextContents();
}

/** The computed background colour CSS `css` resolves to in the page (e.g. `hsl(…)` → `rgb(…)`). */
function resolved(page: Page, css: string): Promise<string> {
  const probe = `(() => {
    const probe = document.createElement('span');
    probe.style.background = ${JSON.stringify(css)};
    document.body.append(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  })()`;
  return page.evaluate(probe) as Promise<string>;
}

type ComputedStyles = { getComputedStyle(element: unknown): { backgroundColor: string } };

function background(chip: Locator): Promise<string> {
  // Runs in the page (the test's types have no DOM library).
  return chip.evaluate((element) => (globalThis as unknown as ComputedStyles).getComputedStyle(element).backgroundColor);
}

describe('tags', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('adds, shows in colour, filters by, recolours and removes a tag', async () => {
    for (const subject of ['Order shipped', 'Order cancelled', 'Newsletter']) await sendMail(sink(), { subject, text: subject });
    const ids = new Map((await api<MessageList>(sink(), '/api/messages')).messages.map((m) => [m.subject, m.id]));
    const { page, errors } = await openInbox(browser(), sink(), { viewport: { width: 1400, height: 900 } });
    await expect.poll(() => subjects(page)).toEqual(['Newsletter', 'Order cancelled', 'Order shipped']);

    await rowBySubject(page, 'Order shipped').click();
    await page.getByTestId('tag-input').fill(TAG);
    await page.getByTestId('tag-input').press('Enter');
    await expect.poll(async () => (await api<MessageDetail>(sink(), `/api/messages/${ids.get('Order shipped')}`)).tags).toEqual([TAG]);
    const headerChip = page.getByTestId('tag-editor').getByTestId('tag-chip');
    await expect(headerChip.getAttribute('data-tag')).resolves.toBe(TAG);
    const expected = await resolved(page, tagColour(TAG).background);
    await expect(background(headerChip)).resolves.toBe(expected);
    const rowChip = rowBySubject(page, 'Order shipped').getByTestId('tag-chip');
    await expect.poll(() => rowChip.getAttribute('data-tag')).toBe(TAG);
    await expect(background(rowChip)).resolves.toBe(expected);

    // Tagged elsewhere (REST): shows live; the tag menu counts both.
    await api(sink(), `/api/messages/${ids.get('Order cancelled')}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tags: [TAG, 'refund'] }),
    });
    await rowBySubject(page, 'Order cancelled').getByTestId('tag-chip').first().waitFor();
    await page.getByTestId('tag-menu-button').click();
    const item = page.getByTestId('tag-menu-item').and(page.locator(`[data-tag="${TAG}"]`));
    await expect.poll(() => item.getByTestId('tag-count').textContent()).toBe('2');

    // A click on the header chip searches for the tag (quoted: it has a space).
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: `Show messages tagged ${TAG}` }).click();
    await expect(page.getByTestId('search-input').inputValue()).resolves.toBe(`tag:"${TAG}"`);
    await expect.poll(() => subjects(page)).toEqual(['Order cancelled', 'Order shipped']);
    await expect(page.getByTestId('message-count').textContent()).resolves.toBe('2 matching');

    // Choose green in the tag menu: every chip of the tag repaints, and the choice survives a reload.
    const green = await resolved(page, colourOfHue(130).background);
    expect(green).not.toBe(expected);
    await page.getByTestId('tag-menu-button').click();
    await item.getByTestId('tag-colour-button').click();
    await item.getByRole('button', { name: `Green for tag ${TAG}` }).click();
    await expect.poll(() => background(headerChip)).toBe(green);
    await expect(background(rowChip)).resolves.toBe(green);
    await page.reload();
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
    await expect.poll(() => background(page.getByTestId('tag-editor').getByTestId('tag-chip'))).toBe(green);
    expect(await page.evaluate("localStorage.getItem('mailsink.tagColours')")).toBe(JSON.stringify({ [TAG.toLowerCase()]: 130 }));

    // × removes it from the open message (only that tag).
    await page.getByRole('button', { name: `Remove tag ${TAG}` }).click();
    await expect.poll(async () => (await api<MessageDetail>(sink(), `/api/messages/${ids.get('Order shipped')}`)).tags).toEqual([]);
    await expect.poll(() => page.getByTestId('tag-editor').getByTestId('tag-chip').count()).toBe(0);
    expect((await api<MessageDetail>(sink(), `/api/messages/${ids.get('Order cancelled')}`)).tags).toEqual([TAG, 'refund']);
    expect(errors).toEqual([]);
  });
});
