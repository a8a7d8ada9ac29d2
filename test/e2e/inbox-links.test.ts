/**
 * The Links tab: at once, without any request to the outside, every link of a message (anchor text,
 * URL as text, copy, open in a new tab without opener or referrer) and the one-time codes of its text
 * (copy), with "Links (N)" as the tab label; the on-request link check stays beneath. At 1400×900
 * and on a 390×844 phone; an HTML-only message takes its code from the HTML's text; a link that is not
 * http(s) (mailto:) is text and copy, never an Open link; no links and no code are said so.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LinkList, MessageSummary } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { SCREENSHOTS, openInbox, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const VERIFY = 'https://app.example/verify?t=abc&u=7';
const HELP = 'https://help.app.example/faq';

async function idOf(sink: Sink, subject: string): Promise<string> {
  const list = await api<{ messages: MessageSummary[] }>(sink, `/api/messages?query=${encodeURIComponent(`subject:"${subject}"`)}`);
  return list.messages[0]!.id;
}

/** Host names of every request the page makes that leaves the sink. */
function outsideRequests(page: Page, sink: Sink): string[] {
  const seen: string[] = [];
  const own = new URL(sink.httpUrl).host;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.host !== own && url.protocol !== 'data:') seen.push(request.url());
  });
  return seen;
}

async function clipboard(page: Page): Promise<string> {
  return (await page.evaluate('navigator.clipboard.readText()')) as string;
}

describe('Links tab', () => {
  const sink = useSink();
  const browser = useBrowser();

  for (const viewport of [
    { width: 1400, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`shows both links with anchor text and the code, and copies them (${viewport.width}×${viewport.height})`, async () => {
      const subject = `Verify ${viewport.width}`;
      await sendMail(sink(), {
        subject,
        html: `<p>Your code is 482913</p><p><a href="${VERIFY.replace('&', '&amp;')}">Verify  your
          email</a> or read the <a href="${HELP}">Help centre</a>.</p>`,
        text: `Your code is 482913\nVerify your email: ${VERIFY}\nHelp: ${HELP}\n`,
      });
      const id = await idOf(sink(), subject);
      const api_links = await api<LinkList>(sink(), `/api/messages/${id}/links`);
      expect(api_links.links.map(({ url, text }) => ({ url, text }))).toEqual([
        { url: VERIFY, text: 'Verify your email' },
        { url: HELP, text: 'Help centre' },
      ]);
      const { page, errors, dialogs } = await openInbox(browser(), sink(), { viewport, hash: `#/messages/${id}`, permissions: ['clipboard-read', 'clipboard-write'] });
      const outside = outsideRequests(page, sink());

      const tab = page.getByTestId('tab-links');
      await expect.poll(() => tab.textContent()).toBe('Links (2)');
      await tab.click();
      const links = page.getByTestId('found-link');
      await expect(links.getByTestId('found-link-text').allTextContents()).resolves.toEqual(['Verify your email', 'Help centre']);
      await expect(links.getByTestId('found-link-url').allTextContents()).resolves.toEqual([VERIFY, HELP]);
      const open = links.first().getByTestId('found-link-open');
      await expect(open.getAttribute('href')).resolves.toBe(VERIFY);
      await expect(open.getAttribute('target')).resolves.toBe('_blank');
      await expect(open.getAttribute('rel')).resolves.toBe('noopener noreferrer');
      await expect(page.getByTestId('found-code').allTextContents()).resolves.toEqual(['482913']);

      await page.getByTestId('found-code-copy').click();
      await expect.poll(() => page.getByTestId('found-code-copy').getAttribute('data-state')).toBe('copied');
      await expect(clipboard(page)).resolves.toBe('482913');
      await links.nth(1).getByTestId('found-link-copy').click();
      await expect.poll(() => clipboard(page)).toBe(HELP);

      // The status check is off in this sink (no --enable-link-check): the tab says how to turn it on.
      await expect(page.getByTestId('links-off').textContent()).resolves.toContain('--enable-link-check');
      await expect(page.getByTestId('links-run').count()).resolves.toBe(0);
      if (viewport.width === 390) {
        const box = await page.getByTestId('found-code-copy').boundingBox();
        expect(box !== null && box.x >= 0 && box.x + box.width <= 390).toBe(true);
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, `inbox-links-${viewport.width}.png`), fullPage: true });
      expect({ outside, errors, dialogs }).toEqual({ outside: [], errors: [], dialogs: [] });
      await page.close();
    });
  }

  it('finds the code in the HTML text of an HTML-only message; a link that is not http(s) gets no Open link', async () => {
    await sendMail(sink(), { subject: 'Code only', html: '<div>Sign-in code:<b>730155</b></div><p>Order 12345678 is not a code. <a href="mailto:help@app.example">Write to us</a></p>' });
    const id = await idOf(sink(), 'Code only');
    const { page, errors } = await openInbox(browser(), sink(), { hash: `#/messages/${id}` });
    const tab = page.getByTestId('tab-links');
    await expect.poll(() => tab.textContent()).toBe('Links (1)');
    await tab.click();
    const link = page.getByTestId('found-link');
    await expect(link.getByTestId('found-link-text').textContent()).resolves.toBe('Write to us');
    await expect(link.getByTestId('found-link-url').textContent()).resolves.toBe('mailto:help@app.example');
    await expect(link.getByTestId('found-link-open').count()).resolves.toBe(0);
    await expect(page.getByTestId('found-code').allTextContents()).resolves.toEqual(['730155']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says when a message has no links and no code', async () => {
    await sendMail(sink(), { subject: 'Nothing', text: 'Just words, and the number 1234567.' });
    const id = await idOf(sink(), 'Nothing');
    const { page, errors } = await openInbox(browser(), sink(), { hash: `#/messages/${id}` });
    const tab = page.getByTestId('tab-links');
    await expect.poll(() => tab.textContent()).toBe('Links (0)');
    await tab.click();
    await page.getByTestId('found-links-empty').waitFor();
    await page.getByTestId('found-codes-empty').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
