/**
 * The API reference page (`/api/docs`) on a phone (390×844): nothing widens the page (wide parameter
 * tables scroll inside their own box), every path in the index stays in its column beside the method,
 * and a path wraps only after a `/`, never inside a segment such as `list-unsubscribe`. It also follows
 * the reader's colour scheme (`color-scheme: light dark`, dark colours under `prefers-color-scheme`).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';

/** Per index link: the method's right edge, the path's left edge, and the segments drawn on more than one line. */
const NAV_GEOMETRY = `[...document.querySelectorAll('nav a')].map((a) => ({
  text: a.textContent,
  methodRight: a.querySelector('.m').getBoundingClientRect().right,
  pathLeft: a.querySelector('code.path').getBoundingClientRect().left,
  pathLines: new Set([...a.querySelectorAll('.seg')].map((s) => Math.round(s.getBoundingClientRect().top))).size,
  brokenSegments: [...a.querySelectorAll('.seg')].filter((s) => s.getClientRects().length > 1).map((s) => s.textContent),
}))`;

describe('/api/docs on a phone', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('fits 390 px: tables scroll in their box, paths stay beside the method and wrap only after a /', async () => {
    const context = await browser().newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${sink().httpUrl}/api/docs`);
    await page.locator('nav a').first().waitFor();

    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    // The offset parameter's `maximum 9007199254740991` is there, inside a scrollable table box.
    const wide = page.locator('.tw', { hasText: '9007199254740991' }).first();
    await expect(page.evaluate(`getComputedStyle([...document.querySelectorAll('.tw')].find((el) => el.textContent.includes('9007199254740991'))).overflowX`)).resolves.toBe('auto');
    await expect(wide.evaluate((el) => el.getBoundingClientRect().right)).resolves.toBeLessThanOrEqual(390);

    const nav = (await page.evaluate(NAV_GEOMETRY)) as { text: string; methodRight: number; pathLeft: number; pathLines: number; brokenSegments: string[] }[];
    expect(nav.length).toBeGreaterThan(40);
    expect(nav.filter((link) => link.pathLeft < link.methodRight)).toEqual([]);
    expect(nav.filter((link) => link.brokenSegments.length > 0)).toEqual([]);
    // The long paths the trial saw break badly are there, and wrap (after a /) rather than run off the page.
    const long = nav.find((link) => link.text.endsWith('/api/messages/{id}/attachments/{partId}'));
    const unsubscribe = nav.find((link) => link.text.endsWith('/api/messages/{id}/checks/list-unsubscribe'));
    expect(long).toMatchObject({ pathLines: 2, brokenSegments: [] });
    expect(unsubscribe).toMatchObject({ pathLines: 2, brokenSegments: [] });
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'api-docs-390.png'), fullPage: false });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('follows the colour scheme: light by default, dark colours under prefers-color-scheme: dark', async () => {
    const colours = "(() => { const body = getComputedStyle(document.body); const code = getComputedStyle(document.querySelector('code')); return { scheme: getComputedStyle(document.documentElement).colorScheme, background: body.backgroundColor, color: body.color, code: code.backgroundColor }; })()";
    const seen: Record<string, unknown> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser().newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(`${sink().httpUrl}/api/docs`);
      await page.locator('nav a').first().waitFor();
      seen[colorScheme] = await page.evaluate(colours);
      if (colorScheme === 'dark') await page.screenshot({ path: path.join(SCREENSHOTS, 'api-docs-dark.png'), fullPage: false });
      await context.close();
    }
    expect(seen).toEqual({
      light: { scheme: 'light dark', background: 'rgba(0, 0, 0, 0)', color: 'rgb(29, 35, 48)', code: 'rgb(243, 244, 247)' },
      dark: { scheme: 'light dark', background: 'rgb(21, 24, 31)', color: 'rgb(223, 227, 234)', code: 'rgb(36, 41, 54)' },
    });
  });
});
