/**
 * Case 19 (`test/fixtures/cases/19-xss-into-inbox-ui.eml`): script payloads in the subject, the sender
 * name, the text and HTML bodies, a `javascript:` link and an attachment name. Nothing from the
 * message may run, in any tab: no `window.__xss_*` marker appears in any frame of the page (the
 * inbox and the message frame), no native dialog opens, and hostile strings show as text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CASES, openInbox, rowBySubject, SCREENSHOTS, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const SUBJECT = '<script>window.__xss_subject=1</script> Invoice 77';
const SENDER_NAME = '<img src=x onerror=window.__xss_from=1>';
const ATTACHMENT_NAME = '"><img src=x onerror=window.__xss_att=1>.txt';
const MARKERS = ['__xss_subject', '__xss_from', '__xss_link', '__xss_plain', '__xss_svg', '__xss_script', '__xss_img', '__xss_href', '__xss_att'];
const TABS = ['tab-html', 'tab-text', 'tab-source', 'tab-headers', 'tab-raw', 'tab-attachments', 'tab-transcript', 'tab-auth', 'tab-html-check', 'tab-links', 'tab-spam'];

/** Markers set in any frame (the inbox page and every iframe, same-origin or sandboxed). */
async function markersSet(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const frame of page.frames()) {
    const set = (await frame.evaluate(`${JSON.stringify(MARKERS)}.filter((name) => window[name] !== undefined)`)) as string[];
    found.push(...set.map((name) => `${name} in ${frame.url()}`));
  }
  return found;
}

/** Hovers and clicks every link and image in the current tab panel and, if open, in the message frame. */
async function poke(page: Page): Promise<void> {
  const targets = [page.getByTestId('tab-panel').locator('a, img, pre, td, [data-testid="attachment-name"]')];
  if (await page.getByTestId('html-frame').count()) targets.push(page.frameLocator('[data-testid="html-frame"]').locator('a, img, svg, p'));
  for (const target of targets) {
    for (const element of await target.all()) {
      await element.hover({ timeout: 2000 }).catch(() => undefined);
      if ((await element.evaluate((node) => node.nodeName)) === 'A') {
        await element.click({ timeout: 2000, modifiers: [] }).catch(() => undefined);
      }
    }
  }
}

describe('case 19: mail content never runs script in the inbox', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('in the list, the header, every tab, and on hover and click', async () => {
    const { page, context, errors, dialogs } = await openInbox(browser(), sink());
    const popups: string[] = [];
    context.on('page', (popup) => popups.push(popup.url()));
    await sendRaw(sink(), { from: 'billing@example.com', to: ['victim@example.org'] }, readFileSync(path.join(CASES, '19-xss-into-inbox-ui.eml')));

    const row = rowBySubject(page, SUBJECT);
    await row.waitFor();
    await expect(row.getByTestId('row-from').textContent()).resolves.toBe(SENDER_NAME);
    await row.hover();
    await row.click();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe(SUBJECT);
    await expect(page.getByTestId('detail-from').textContent()).resolves.toBe(`${SENDER_NAME} <billing@example.com>`);

    const frame = page.getByTestId('html-frame');
    await frame.waitFor();
    const sandbox = (await frame.getAttribute('sandbox')) ?? '';
    expect(sandbox.split(/\s+/).sort()).toEqual(['allow-popups', 'allow-popups-to-escape-sandbox']);
    const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src [^"]*">/);
    expect(srcdoc).not.toMatch(/script-src/);

    for (const tab of TABS) {
      await page.getByTestId(tab).click();
      await poke(page);
      expect(await markersSet(page), tab).toEqual([]);
    }
    await page.getByTestId('tab-attachments').click();
    await expect(page.getByTestId('attachment-name').textContent()).resolves.toBe(ATTACHMENT_NAME);
    await expect(page.getByTestId('attachment-link').getAttribute('download')).resolves.not.toContain('<');

    await page.getByTestId('tab-html').click();
    const inner = page.frameLocator('[data-testid="html-frame"]');
    await inner.locator('p', { hasText: 'Invoice 77' }).waitFor();
    await inner.locator('a', { hasText: 'open' }).click();
    expect(await markersSet(page)).toEqual([]);

    expect(dialogs).toEqual([]);
    expect(popups.filter((url) => url.startsWith('javascript:'))).toEqual([]);
    expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'xss-case-19.png') });

    // Control: the probe does see a marker in the sandboxed message frame when one is set.
    const messageFrame = page.frames().find((candidate) => candidate.url() === 'about:srcdoc');
    expect(messageFrame).toBeDefined();
    await messageFrame!.evaluate('window.__xss_img = 1');
    expect(await markersSet(page)).toEqual(['__xss_img in about:srcdoc']);
  });
});
