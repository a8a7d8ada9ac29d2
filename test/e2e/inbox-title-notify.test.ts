/**
 * The tab title shows the unread count of the whole inbox; the top bar's "N unread" follows the
 * search (unread among the matching messages). Desktop notifications are opt-in: nothing asks for
 * permission on load; after the user turns them on, new mail while the tab is hidden shows one
 * notification (with the subject as text). The Notification API is replaced by a recorder.
 */
import { describe, expect, it } from 'vitest';
import { openInbox, rowBySubject, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';

/** Records permission requests and notifications instead of showing them; `__hidden` fakes a background tab. */
const NOTIFICATION_RECORDER = `(() => {
  window.__notify = { requests: 0, shown: [] };
  let permission = 'default';
  class RecordingNotification {
    static get permission() { return permission; }
    static requestPermission() { window.__notify.requests += 1; permission = 'granted'; return Promise.resolve(permission); }
    constructor(title, options) { window.__notify.shown.push({ title, body: options && options.body }); }
  }
  window.Notification = RecordingNotification;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__hidden === true });
})()`;

describe('title and notifications', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('shows the unread count in the title', async () => {
    const { page, errors } = await openInbox(browser(), sink());
    await expect.poll(() => page.title()).toBe('mailsink');
    await sendMail(sink(), { subject: 'Unread one', text: 'x' });
    await sendMail(sink(), { subject: 'Unread two', text: 'x' });
    await expect.poll(() => page.title()).toBe('(2) mailsink');
    await expect(page.getByTestId('unread-count').textContent()).resolves.toBe('2 unread');
    await rowBySubject(page, 'Unread one').click();
    await expect.poll(() => page.title()).toBe('(1) mailsink');
    await rowBySubject(page, 'Unread two').click();
    await expect.poll(() => page.title()).toBe('mailsink');
    expect(errors).toEqual([]);
  });

  it('counts unread among the matches in the top bar while the title keeps the whole inbox', async () => {
    await sendMail(sink(), { subject: 'Invoice 1', text: 'x' });
    await sendMail(sink(), { subject: 'Invoice 2', text: 'x' });
    await sendMail(sink(), { subject: 'Hello 3', text: 'x' });
    const { page, errors } = await openInbox(browser(), sink());
    await expect.poll(() => page.title()).toBe('(3) mailsink');
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('3 unread');
    await rowBySubject(page, 'Invoice 1').click();
    await expect.poll(() => page.title()).toBe('(2) mailsink');

    const input = page.getByTestId('search-input');
    await input.fill('subject:invoice');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('message-count').textContent()).toBe('2 matching');
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('1 unread');
    await expect(page.title()).resolves.toBe('(2) mailsink');

    // Every match read: no unread count beside "2 matching", though the inbox still has one.
    await rowBySubject(page, 'Invoice 2').click();
    await expect.poll(() => page.title()).toBe('(1) mailsink');
    await expect.poll(() => page.getByTestId('unread-count').count()).toBe(0);
    await expect(page.getByTestId('message-count').textContent()).resolves.toBe('2 matching');

    await input.fill('');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('1 unread');
    expect(errors).toEqual([]);
  });

  it('asks for notification permission only on the button, then notifies of new mail in a hidden tab', async () => {
    const { page, context, errors } = await openInbox(browser(), sink());
    await context.addInitScript(NOTIFICATION_RECORDER);
    await page.reload();
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
    await expect(page.evaluate('window.__notify.requests')).resolves.toBe(0);
    await expect(page.getByTestId('notify-toggle').getAttribute('aria-pressed')).resolves.toBe('false');

    await page.getByTestId('notify-toggle').click();
    await expect.poll(() => page.getByTestId('notify-toggle').getAttribute('aria-pressed')).toBe('true');
    await expect(page.evaluate('window.__notify.requests')).resolves.toBe(1);

    await sendMail(sink(), { subject: 'While you look', text: 'visible tab: no notification' });
    await rowBySubject(page, 'While you look').waitFor();
    await page.evaluate('window.__hidden = true');
    await sendMail(sink(), { from: 'Alerts <alerts@example.com>', subject: '<b>Build failed</b>', text: 'x' });
    await expect.poll(() => page.evaluate('window.__notify.shown')).toEqual([{ title: '<b>Build failed</b>', body: 'From Alerts' }]);

    await page.reload();
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
    await expect(page.getByTestId('notify-toggle').getAttribute('aria-pressed')).resolves.toBe('false'); // fresh recorder: permission 'default'
    await expect(page.evaluate('window.__notify.requests')).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
