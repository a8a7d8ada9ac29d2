/**
 * Dark mode follows `prefers-color-scheme`; the toggle overrides it and is remembered in
 * localStorage across reloads.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openInbox, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';

const background = (page: Page) => page.evaluate('getComputedStyle(document.body).backgroundColor') as Promise<string>;
const theme = (page: Page) => page.evaluate('document.documentElement.dataset.theme') as Promise<string>;

describe('dark mode', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('follows the system, and the toggle is remembered', async () => {
    await sendMail(sink(), { subject: 'Theme check', text: 'x' });
    const { page, errors } = await openInbox(browser(), sink(), { colorScheme: 'dark' });
    expect(await theme(page)).toBe('dark');
    expect(await background(page)).toBe('rgb(18, 21, 25)');
    await expect(page.getByTestId('theme-toggle').getAttribute('aria-pressed')).resolves.toBe('true');

    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => theme(page)).toBe('light');
    expect(await background(page)).toBe('rgb(255, 255, 255)');

    await page.getByTestId('theme-toggle').click();
    expect(await theme(page)).toBe('dark');
    expect(await page.evaluate("localStorage.getItem('mailsink.theme')")).toBe('dark');
    await page.reload();
    await page.getByTestId('message-row').first().waitFor();
    expect(await theme(page)).toBe('dark');
    expect(await background(page)).toBe('rgb(18, 21, 25)');

    await page.getByTestId('theme-toggle').click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.getByTestId('message-row').first().waitFor();
    expect(await theme(page)).toBe('light'); // the explicit choice beats the system
    expect(await background(page)).toBe('rgb(255, 255, 255)');
    expect(errors).toEqual([]);
  });
});
