/**
 * The per-message checks in the inbox: the DKIM / SPF / DMARC summary under the subject (loaded when
 * a message opens, never for list rows), and the Authentication, HTML check, Links and Spam tabs
 * (loaded only when opened; Links and Spam only on their button), with the server's 409 message
 * when a check is off. Expected values come from the same API the inbox calls, so this file holds
 * with the stub checks and with the real ones; `inbox-checks-real.test.ts` asserts real results.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, AuthCheck, HtmlCheck, MessageSummary } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { openInbox, rowBySubject, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

/** The 409 `check_unavailable` error of a check that is off, as the API answers it. */
async function unavailable(sink: Sink, path: string): Promise<ApiErrorBody['error']> {
  const res = await fetch(sink.httpUrl + path);
  expect(res.status).toBe(409);
  const body = (await res.json()) as ApiErrorBody;
  expect(body.error.code).toBe('check_unavailable');
  return body.error;
}

async function idOf(sink: Sink, subject: string): Promise<string> {
  const list = await api<{ messages: MessageSummary[] }>(sink, `/api/messages?query=${encodeURIComponent(`subject:"${subject}"`)}`);
  return list.messages[0]!.id;
}

/** Paths of every check request the page makes, in order. */
const LINKS_OFF = 'The link check is off: start mailsink with --enable-link-check (MAILSINK_ENABLE_LINK_CHECK=true) to let it fetch the URLs a message names';
const SPAM_OFF = 'No SpamAssassin configured: start mailsink with --spamassassin HOST:PORT (a spamd)';

function recordChecks(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.includes('/checks/')) seen.push(pathname);
  });
  return seen;
}

async function chipResults(page: Page): Promise<(string | null)[]> {
  const chips = ['dkim', 'spf', 'dmarc'].map((method) => page.getByTestId(`auth-chip-${method}`));
  await expect.poll(() => chips[2]!.getAttribute('data-result')).not.toBe('');
  return Promise.all(chips.map((chip) => chip.getAttribute('data-result')));
}

describe('message checks in the inbox (stub or real server side)', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('shows DKIM, SPF and DMARC none for an unsigned message, and the Authentication tab', async () => {
    await sendMail(sink(), { from: 'App <app@example.com>', subject: 'Unsigned', text: 'No signature here.' });
    const id = await idOf(sink(), 'Unsigned');
    const auth = await api<AuthCheck>(sink(), `/api/messages/${id}/checks/auth`);
    const { page, errors } = await openInbox(browser(), sink());
    const checks = recordChecks(page);

    await rowBySubject(page, 'Unsigned').click();
    expect(await chipResults(page)).toEqual(['none', 'none', 'none']);
    await expect(page.getByTestId('auth-chip-dkim-result').textContent()).resolves.toBe('none');
    await expect(page.getByTestId('auth-chip-spf-result').textContent()).resolves.toBe('none');
    await expect(page.getByTestId('auth-chip-dmarc-result').textContent()).resolves.toBe('none');
    await expect(page.getByTestId('auth-summary').getAttribute('aria-label')).resolves.toBe('Authentication: DKIM none, SPF none, DMARC none. Show details');
    expect(checks).toEqual([`/api/messages/${id}/checks/auth`]);

    await page.getByTestId('auth-summary').click();
    await expect(page.getByTestId('tab-auth').getAttribute('aria-selected')).resolves.toBe('true');
    const header = await page.getByTestId('auth-results-header').textContent();
    expect(header).toBe(auth.authenticationResults);
    expect(header).toMatch(/^Authentication-Results: /);
    await expect(page.getByTestId('auth-dkim-none').textContent()).resolves.toBe('No DKIM-Signature header.');
    await expect(page.getByTestId('auth-dmarc-result').textContent()).resolves.toBe('none');
    await expect(page.getByTestId('auth-spf-result').textContent()).resolves.toBe('none');
    await expect(page.getByTestId('auth-spf-client').textContent()).resolves.toBe(`${auth.spf.clientIp} (the SMTP client of this message)`);
    await expect(page.getByTestId('unsubscribe-present').textContent()).resolves.toBe('no');
    await expect(page.getByTestId('unsubscribe-one-click').textContent()).resolves.toBe('no (RFC 8058)');
    // The summary's result was reused; the List-Unsubscribe check loaded with its tab.
    expect(checks).toEqual([`/api/messages/${id}/checks/auth`, `/api/messages/${id}/checks/list-unsubscribe`]);
    expect(errors).toEqual([]);
  });

  it('says at once that the link check is off (no button that can only fail); runs spam only on request and shows the message naming the option that is off', async () => {
    await sendMail(sink(), { subject: 'With a link', html: '<p><a href="http://127.0.0.1:9/nowhere">a link</a></p>', text: 'a link' });
    const id = await idOf(sink(), 'With a link');
    const linksOff = await unavailable(sink(), `/api/messages/${id}/checks/links`);
    const spamOff = await unavailable(sink(), `/api/messages/${id}/checks/spam`);
    // The API's messages stay lower case; the page shows them as sentences.
    expect(linksOff.message).toBe(`t${LINKS_OFF.slice(1)}`);
    expect(spamOff.message).toBe(`n${SPAM_OFF.slice(1)}`);
    const { page, errors } = await openInbox(browser(), sink());
    const checks = recordChecks(page);

    await rowBySubject(page, 'With a link').click();
    await page.getByTestId('tab-links').click();
    // /api/health says the link check is off: the API's own explanation, and no button.
    await expect(page.getByTestId('links-off').textContent()).resolves.toBe(LINKS_OFF);
    await expect(page.getByTestId('links-run').count()).resolves.toBe(0);
    await expect.poll(() => checks).toEqual([`/api/messages/${id}/checks/auth`]);

    await page.getByTestId('tab-spam').click();
    await expect(page.getByTestId('spam-error').count()).resolves.toBe(0);
    await page.getByTestId('spam-run').click();
    await expect(page.getByTestId('spam-error').textContent()).resolves.toBe(SPAM_OFF);
    // Back on Links, its answer is still there (kept per opened message), not fetched again.
    await page.getByTestId('tab-links').click();
    await expect(page.getByTestId('links-off').textContent()).resolves.toBe(LINKS_OFF);
    expect(checks).toEqual([`/api/messages/${id}/checks/auth`, `/api/messages/${id}/checks/spam`]);
    expect(errors).toEqual([]);
  });

  it('renders the HTML check tab of an HTML message from the API result', async () => {
    await sendMail(sink(), { subject: 'Flexible', html: '<div style="display:flex"><p>One</p><p>Two</p></div>', text: 'One Two' });
    const id = await idOf(sink(), 'Flexible');
    const { page, errors } = await openInbox(browser(), sink());
    await rowBySubject(page, 'Flexible').click();
    await page.getByTestId('tab-html-check').click();
    await expect(page.getByTestId('tab-panel').getAttribute('aria-labelledby')).resolves.toBe('tab-html-check');
    await page.getByTestId('html-check-panel').waitFor();
    const check = await api<HtmlCheck>(sink(), `/api/messages/${id}/checks/html`);
    expect(check.hasHtml).toBe(true);
    expect(check.findings.map((f) => f.feature)).toContain('css-display-flex');
    await expect(page.getByTestId('html-check-score').textContent()).resolves.toMatch(new RegExp(`^${check.score}% supported over all clients`));
    await expect(page.getByTestId('html-check-client').count()).resolves.toBe(check.clients.length);
    await expect(page.getByTestId('html-finding').count()).resolves.toBe(check.findings.length);
    expect(errors).toEqual([]);
  });

  it('keeps tab labels from shifting, reaches the check tabs by keyboard, shows every tab at 1024 px and scrolls them on a phone', async () => {
    await sendMail(sink(), { subject: 'Tabs', text: 'Tabs.' });
    const { page, errors } = await openInbox(browser(), sink());
    await rowBySubject(page, 'Tabs').click();
    // The Links label gains its count once the links arrive: measure after that, not during it.
    await expect.poll(() => page.getByTestId('tab-links').textContent()).toBe('Links (0)');
    const widths = () => page.locator('[role="tab"]').evaluateAll((tabs) => tabs.map((tab) => tab.getBoundingClientRect().width));
    const before = await widths();
    await page.getByTestId('tab-spam').click();
    await expect(page.getByTestId('tab-spam').getAttribute('aria-selected')).resolves.toBe('true');
    expect(await widths()).toEqual(before);

    await page.getByTestId('tab-transcript').click();
    await page.getByTestId('tab-transcript').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('tab-auth').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.evaluate('document.activeElement.dataset.testid')).resolves.toBe('tab-auth');
    await page.keyboard.press('End');
    await expect(page.getByTestId('tab-spam').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.getByTestId('tab-spam').textContent()).resolves.toBe('Spam');

    // 1024 px (a laptop with a side panel): every tab in view, wrapped onto a second row if need be, none cut.
    await page.setViewportSize({ width: 1024, height: 768 });
    const inView = await page.getByRole('tablist').evaluate((list) => {
      const box = list.getBoundingClientRect();
      return [...list.querySelectorAll('[role="tab"]')].filter((tab) => {
        const r = tab.getBoundingClientRect();
        return r.left >= box.left && r.right <= box.right && tab.scrollWidth <= tab.clientWidth;
      }).length;
    });
    expect(inView).toBe(await page.locator('[role="tab"]').count());
    expect(await page.getByRole('tablist').evaluate((list) => list.scrollWidth > list.clientWidth)).toBe(false);

    await page.setViewportSize({ width: 420, height: 800 });
    const fit = await page.getByRole('tablist').evaluate((list) => ({
      scrolls: list.scrollWidth > list.clientWidth,
      cut: [...list.querySelectorAll('[role="tab"]')].filter((tab) => tab.scrollWidth > tab.clientWidth).length,
    }));
    expect(fit).toEqual({ scrolls: true, cut: 0 });
    expect(errors).toEqual([]);
  });
});
