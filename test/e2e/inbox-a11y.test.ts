/**
 * Accessibility: every control has an accessible name (from Chromium's own accessibility tree),
 * every element reached with Tab shows a visible focus indicator, and the inbox works by keyboard
 * alone (Tab to the list, arrows and Enter to open, Tab to the tabs, arrows to switch, also to the check tabs).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openInbox, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';

const NAMED_ROLES = new Set(['button', 'link', 'textbox', 'searchbox', 'combobox', 'checkbox', 'tab', 'option', 'listbox', 'tablist', 'dialog', 'toolbar', 'Iframe']);

interface AxNode {
  role?: { value?: string };
  name?: { value?: string };
  ignored?: boolean;
  properties?: { name: string }[];
}

/** Controls of the page (not inside the message frame) whose accessible name is empty, and how many were checked. */
async function unnamedControls(page: Page): Promise<{ unnamed: string[]; checked: number }> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  const controls = nodes.filter((node) => !node.ignored && NAMED_ROLES.has(node.role?.value ?? ''));
  return { unnamed: controls.filter((node) => !(node.name?.value ?? '').trim()).map((node) => node.role?.value ?? '?'), checked: controls.length };
}

/** Describes the focused element and whether it shows a focus ring (outline or box-shadow). */
const FOCUS_PROBE = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  return { what: el.tagName + (el.dataset.testid ? '#' + el.dataset.testid : '') + ' ' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 30), ring, visible: el.checkVisibility() };
})()`;

describe('accessibility', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('labels every control and shows focus on everything Tab reaches', async () => {
    await sendMail(sink(), { subject: 'Plain one', text: 'Only text here.' });
    await sendMail(sink(), { subject: 'Plain two', text: 'Also only text.', attachments: [{ filename: 'notes.txt', content: 'n' }] });
    const { page, errors } = await openInbox(browser(), sink());
    await page.getByTestId('message-row').first().click();
    await page.getByTestId('faults-toggle').click();
    await page.getByTestId('fault-form').waitFor();
    const main = await unnamedControls(page);
    expect(main.unnamed).toEqual([]);
    expect(main.checked).toBeGreaterThan(30);
    await page.keyboard.press('Escape');

    await page.getByTestId('shortcuts-button').click();
    expect((await unnamedControls(page)).unnamed).toEqual([]);
    await page.keyboard.press('Escape');

    await page.evaluate('document.activeElement.blur()');
    const seen: string[] = [];
    for (let step = 0; step < 40; step += 1) {
      await page.keyboard.press('Tab');
      const focus = (await page.evaluate(FOCUS_PROBE)) as { what: string; ring: boolean; visible: boolean } | null;
      if (!focus) continue;
      seen.push(focus.what);
      expect(focus.ring, `no visible focus on ${focus.what}`).toBe(true);
      expect(focus.visible, `focus on a hidden element: ${focus.what}`).toBe(true);
    }
    expect(seen.some((what) => what.includes('#search-input'))).toBe(true);
    expect(seen.some((what) => what.includes('#message-list'))).toBe(true);
    expect(seen.some((what) => what.includes('#delete-button'))).toBe(true);
    expect(seen.some((what) => what.includes('#tab-text'))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('works by keyboard alone', async () => {
    const { page, errors } = await openInbox(browser(), sink());
    await page.evaluate('document.activeElement.blur()');
    let guard = 0;
    while ((await page.evaluate('document.activeElement?.dataset.testid')) !== 'message-list' && guard++ < 20) await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('Plain one');
    guard = 0;
    while ((await page.evaluate('document.activeElement?.getAttribute("role")')) !== 'tab' && guard++ < 20) await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.dataset.testid')).resolves.toBe('tab-text');
    await page.keyboard.press('ArrowRight');
    await expect(page.evaluate('document.activeElement.dataset.testid')).resolves.toBe('tab-headers');
    await page.getByTestId('headers-table').waitFor();
    await page.keyboard.press('End');
    await expect(page.evaluate('document.activeElement.dataset.testid')).resolves.toBe('tab-spam');
    await page.getByTestId('spam-run').waitFor();
    await page.keyboard.press('ArrowLeft');
    await expect(page.evaluate('document.activeElement.dataset.testid')).resolves.toBe('tab-links');
    await page.keyboard.press('ArrowLeft');
    await expect(page.evaluate('document.activeElement.dataset.testid')).resolves.toBe('tab-auth');
    await page.getByTestId('auth-results-header').waitFor();
    await page.keyboard.press('ArrowLeft');
    await expect(page.evaluate('document.activeElement.dataset.testid')).resolves.toBe('tab-transcript');
    await page.getByTestId('transcript').waitFor();
    await page.keyboard.press('ArrowLeft');
    // "Plain one" has no attachments, so no Attachments tab: Raw comes before the transcript.
    await expect(page.evaluate('document.activeElement.dataset.testid')).resolves.toBe('tab-raw');
    await page.getByTestId('raw-source').waitFor();
    expect(errors).toEqual([]);
  });
});
