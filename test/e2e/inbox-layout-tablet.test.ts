/**
 * The one-pane layout on a phone (390×844) and a portrait tablet (768×1024): the browser's Back
 * closes an open sheet (Faults, "Test a server") and the page stays on the inbox; at 768 px the
 * Faults sheet is fully in view, an open message shows its body on the first screen, and the HTML
 * preview starts at Phone width (the user's pick wins).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openInbox, rowBySubject, SCREENSHOTS, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const TABLET = { viewport: { width: 768, height: 1024 }, isMobile: true, hasTouch: true };

/** Elements inside `selector` cut by the viewport's bottom or right edge, outside any scroll container. */
const cutIn = (selector: string) => `(() => {
  const root = document.querySelector('${selector}');
  const scrolls = (element) => ['auto', 'scroll'].includes(getComputedStyle(element).overflowY);
  const inScroller = (element) => {
    for (let up = element.parentElement; up !== null; up = up.parentElement) if (scrolls(up)) return true;
    return false;
  };
  return [...root.querySelectorAll('*')]
    .filter((element) => { const r = element.getBoundingClientRect(); return r.height > 0 && (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) && !inScroller(element); })
    .map((element) => element.tagName.toLowerCase() + '.' + (element.getAttribute('class') ?? ''));
})()`;

async function backCloses(page: Page, toggle: string, panel: string, where = '/') {
  await page.getByTestId(toggle).click();
  await page.getByTestId(panel).waitFor();
  await page.evaluate('history.back()');
  await page.getByTestId(panel).waitFor({ state: 'detached' });
  await expect(page.evaluate('location.pathname + location.hash')).resolves.toBe(where);
  await expect(page.getByTestId(toggle).getAttribute('aria-pressed')).resolves.toBe('false');
}

describe('inbox layout on a phone and a portrait tablet', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('closes a sheet with Back and stays on the inbox; closing it with its button leaves no entry behind', async () => {
    await sendMail(sink(), { subject: 'Sheet mail', text: 'x' });
    const { page, errors } = await openInbox(browser(), sink(), PHONE);
    await rowBySubject(page, 'Sheet mail').waitFor();
    await backCloses(page, 'faults-toggle', 'fault-panel');
    await backCloses(page, 'probe-toggle', 'probe-panel');

    // Closed with its own button: the sheet's entry goes too (the list's entry is current again).
    await page.getByTestId('faults-toggle').tap();
    await expect.poll(() => page.evaluate('history.state?.mailsinkSheet ?? false')).toBe(true);
    await page.getByTestId('faults-close').tap();
    await page.getByTestId('fault-panel').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate('history.state?.mailsinkSheet ?? false')).toBe(false);
    await expect(page.evaluate('location.pathname + location.hash')).resolves.toBe('/');
    expect(errors).toEqual([]);
  });

  it('at 768×1024 shows the whole Faults sheet, a message body on the first screen, and previews HTML at Phone width', async () => {
    const rule = { stage: 'mailFrom', match: { mailFrom: '*@never.example' }, reply: { code: 550, enhancedCode: '5.7.1' } };
    await api(sink(), '/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
    await sendMail(sink(), { subject: 'Tablet newsletter', text: 'plain', html: '<h1>Hello tablet</h1><p>Body text</p>' });
    const { page, errors } = await openInbox(browser(), sink(), TABLET);
    await rowBySubject(page, 'Tablet newsletter').waitFor();

    await page.getByTestId('faults-toggle').tap();
    const panel = page.getByTestId('fault-panel');
    await panel.waitFor();
    await expect(page.evaluate(`(() => { const r = document.querySelector('[data-testid="fault-panel"]').getBoundingClientRect(); return [r.top <= 60, r.bottom <= innerHeight + 0.5, r.width]; })()`)).resolves.toEqual([true, true, 768]);
    await expect(page.evaluate(cutIn('[data-testid="fault-panel"]'))).resolves.toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'layout-tablet-faults.png') });
    await page.getByTestId('faults-close').tap();
    await panel.waitFor({ state: 'detached' });

    await rowBySubject(page, 'Tablet newsletter').tap();
    await page.getByTestId('message-view').waitFor();
    await expect(page.getByTestId('envelope-toggle').getAttribute('aria-expanded')).resolves.toBe('false');
    const frame = page.locator('.html-frame');
    await frame.waitFor();
    const top = await frame.evaluate((element) => element.getBoundingClientRect().top);
    expect(top).toBeLessThan(1024 - 100); // at least 100 px of the body in sight without scrolling
    await expect(page.getByTestId('preview-width-phone').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'layout-tablet-message.png') });

    // The user's pick wins over the default, also for the next message.
    await page.getByTestId('preview-width-desktop').tap();
    await expect(page.getByTestId('preview-width-desktop').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByTestId('back-button').tap();
    await page.getByTestId('message-view').waitFor({ state: 'detached' });
    await rowBySubject(page, 'Tablet newsletter').tap();
    await expect(page.getByTestId('preview-width-desktop').getAttribute('aria-pressed')).resolves.toBe('true');
    expect(errors).toEqual([]);
  });
});
