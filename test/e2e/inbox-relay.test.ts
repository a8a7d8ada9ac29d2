/**
 * Release from the inbox (issue 17): a second mailsink is the relay upstream. The Release button is
 * off with the reason on a sink without --relay-url; with it, the dialog starts with the envelope
 * recipients and shows the upstream, Send queues the message, and the Delivery tab follows it live
 * (message.delivery events) through a 421 retry to delivered, each attempt with its reply and
 * transcript as the API records them; a 550 ends it as failed; a bad recipient is refused naming
 * the field. The upstream holds the exact bytes. Also at 390 px width. An auto-relayed message shows
 * its delivery (to the allowed recipients only) without a click; one for nobody allowed has no tab.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, MessageSummary } from '../../server/contract.js';
import { configFromCli } from '../../server/config.js';
import type { Sink } from '../../server/sink.js';
import { openInbox, rowBySubject, SCREENSHOTS, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, fetchBytes, startTestSink, useSink } from '../helpers/sink.js';

const ARROWS = { client: 'C:', server: 'S:', note: '··' } as const;
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The relaying sink, configured through the agreed command-line flags. */
function useRelaySink(upstream: () => Sink, extra: string[] = []): () => Sink {
  let sink: Sink | undefined;
  beforeAll(async () => {
    const url = `smtp://127.0.0.1:${upstream().smtpPort}?starttls=off`;
    const request = configFromCli(['--smtp-port', '0', '--http-port', '0', '--relay-url', url, '--relay-retry-initial', '200ms', '--relay-max-attempts', '5', ...extra], {});
    if (request.kind !== 'run') throw new Error('expected a run configuration');
    sink = await startTestSink({ ...request.config });
  });
  afterAll(async () => {
    await sink?.stop();
  });
  return () => {
    if (!sink) throw new Error('relay sink not started yet');
    return sink;
  };
}

async function messageBySubject(sink: Sink, subject: string): Promise<MessageSummary> {
  const list = await api<{ messages: MessageSummary[] }>(sink, `/api/messages?query=${encodeURIComponent(`subject:"${subject}"`)}`);
  const [message] = list.messages.filter((m) => m.subject === subject);
  if (!message) throw new Error(`no message "${subject}" in ${sink.httpUrl}`);
  return message;
}

async function openAndRelease(page: Page, subject: string, recipients: string): Promise<void> {
  await rowBySubject(page, subject).click();
  await page.getByTestId('release-button').click();
  await page.getByTestId('release-to').fill(recipients);
  await page.getByTestId('release-send').click();
  await expect.poll(() => page.getByTestId('release-dialog').getAttribute('open')).toBeNull();
}

const upstream = useSink();
const browser = useBrowser();

describe('release without a relay', () => {
  it('is off on a sink without --relay-url, saying how to turn it on', async () => {
    await sendMail(upstream(), { subject: 'Nowhere to go', text: 'x' });
    const { page, errors, dialogs } = await openInbox(browser(), upstream());
    await rowBySubject(page, 'Nowhere to go').click();
    const button = page.getByTestId('release-button');
    await expect(button.isDisabled()).resolves.toBe(true);
    await expect(button.getAttribute('title')).resolves.toContain('--relay-url');
    await expect(page.getByTestId('tab-delivery').count()).resolves.toBe(0);
    expect({ errors, dialogs }).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });
});

describe('release from the inbox', () => {
  const relaying = useRelaySink(upstream);

  it('releases with a 421 retry, then delivered, shown live attempt by attempt', async () => {
    await api(upstream(), '/api/faults', json({ stage: 'mailFrom', match: { mailFrom: 'retry@example.com' }, reply: { code: 421, enhancedCode: '4.3.2', text: 'Try again later' }, times: 1 }));
    await sendMail(relaying(), { from: 'retry@example.com', to: 'dev@example.org', bcc: 'qa@team.example', subject: 'Release me', text: 'Hello upstream' });
    const { page, errors, dialogs } = await openInbox(browser(), relaying());
    await rowBySubject(page, 'Release me').click();
    await expect(page.getByTestId('tab-delivery').count()).resolves.toBe(0);

    // Keyboard: Enter on the button opens the dialog on the recipients; Escape cancels.
    const button = page.getByTestId('release-button');
    await expect.poll(() => button.isDisabled()).toBe(false);
    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('release-dialog');
    await expect(page.evaluate("document.activeElement?.getAttribute('data-testid')")).resolves.toBe('release-to');
    await expect(page.getByTestId('release-to').inputValue()).resolves.toBe('dev@example.org, qa@team.example');
    const relay = await api<{ upstream: { url: string } | null }>(relaying(), '/api/relay');
    await expect(dialog.getByTestId('release-upstream-url').textContent()).resolves.toBe(relay.upstream!.url);
    await page.keyboard.press('Escape');
    await expect(dialog.getAttribute('open')).resolves.toBeNull();
    await expect(page.getByTestId('tab-delivery').count()).resolves.toBe(0);

    await openAndRelease(page, 'Release me', 'dev@example.org\nother@example.net');
    await expect(page.getByTestId('tab-delivery').getAttribute('aria-selected')).resolves.toBe('true');
    const state = page.getByTestId('delivery-state');
    await expect.poll(() => state.getAttribute('data-state')).toBe('delivered');

    const message = await messageBySubject(relaying(), 'Release me');
    const delivery = await api<Delivery>(relaying(), `/api/messages/${message.id}/delivery`);
    expect(delivery).toMatchObject({ state: 'delivered', reason: 'release', mailFrom: 'retry@example.com', rcptTo: ['dev@example.org', 'other@example.net'], nextAttemptAt: null });
    expect(delivery.attempts.map((a) => [a.number, a.outcome, a.code])).toEqual([[1, 'retry', 421], [2, 'delivered', 250]]);
    expect(delivery.attempts[0]!.reply).toMatch(/^421 4\.3\.2 Try again later/);
    const items = page.getByTestId('delivery-attempt');
    await expect(items.evaluateAll((els) => els.map((el) => el.getAttribute('data-outcome')))).resolves.toEqual(['retry', 'delivered']);
    await expect(page.getByTestId('delivery-attempt-reply').allTextContents()).resolves.toEqual(delivery.attempts.map((a) => a.reply));
    await expect(page.getByTestId('delivery-rcpt').textContent()).resolves.toBe('<dev@example.org>, <other@example.net>');
    await expect(page.getByTestId('delivery-next').count()).resolves.toBe(0);

    // The transcript of the delivered attempt, expanded with the keyboard.
    const toggle = items.nth(1).getByTestId('delivery-attempt-transcript-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    const expected = delivery.attempts[1]!.transcript.map((line) => `${ARROWS[line.direction]} ${line.text}`).join('\n');
    await expect(items.nth(1).getByTestId('delivery-attempt-transcript').textContent()).resolves.toBe(expected);
    expect(expected).toContain('RCPT TO:<other@example.net>');

    // The upstream got the exact bytes for the recipients typed in the dialog.
    const received = await messageBySubject(upstream(), 'Release me');
    expect(received.envelope).toEqual({ mailFrom: 'retry@example.com', rcptTo: ['dev@example.org', 'other@example.net'] });
    const [sent, got] = await Promise.all([fetchBytes(relaying(), `/api/messages/${message.id}/raw`), fetchBytes(upstream(), `/api/messages/${received.id}/raw`)]);
    expect(got.body.equals(sent.body)).toBe(true);
    await expect(button.isDisabled()).resolves.toBe(false); // ended: may be released again

    // A phone: the toolbar still holds Release, and the tab shows.
    await page.setViewportSize({ width: 390, height: 844 });
    const box = await button.boundingBox();
    expect(box !== null && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await page.getByTestId('delivery-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-relay-phone.png') });
    expect({ errors, dialogs }).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });

  it('ends as failed after one attempt on a 550, and names the field of a bad recipient', async () => {
    await api(upstream(), '/api/faults', json({ stage: 'rcptTo', match: { rcptTo: '*@reject.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user' } }));
    await sendMail(relaying(), { to: 'dev@example.org', subject: 'Bounce me', text: 'x' });
    const { page, errors, dialogs } = await openInbox(browser(), relaying(), { colorScheme: 'dark' });
    await rowBySubject(page, 'Bounce me').click();

    await page.getByTestId('release-button').click();
    await page.getByTestId('release-to').fill('not an address');
    await page.getByTestId('release-send').click();
    await expect(page.getByTestId('release-error').textContent()).resolves.toContain('to');
    await expect(page.getByTestId('release-to').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByTestId('release-cancel').click();

    await openAndRelease(page, 'Bounce me', 'ghost@reject.example');
    await expect.poll(() => page.getByTestId('delivery-state').getAttribute('data-state')).toBe('failed');
    const message = await messageBySubject(relaying(), 'Bounce me');
    const delivery = await api<Delivery>(relaying(), `/api/messages/${message.id}/delivery`);
    expect(delivery.attempts.map((a) => [a.outcome, a.code])).toEqual([['failed', 550]]);
    await expect(page.getByTestId('delivery-attempt-reply').allTextContents()).resolves.toEqual([delivery.attempts[0]!.reply]);
    expect(delivery.attempts[0]!.reply).toMatch(/^550 5\.1\.1 No such user/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-relay-failed-dark.png') });
    expect({ errors, dialogs }).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });
});

describe('auto-relay in the inbox', () => {
  const relaying = useRelaySink(upstream, ['--relay-allow', '*@team.example', '--relay-deny', 'boss@team.example']);

  it('shows an auto-relayed message delivered to the allowed recipients only, live, without a click on Release', async () => {
    const { page, errors, dialogs } = await openInbox(browser(), relaying());
    await sendMail(relaying(), { from: 'app@example.com', to: 'ann@team.example, boss@team.example', cc: 'guest@other.example', subject: 'Team news', text: 'For the team' });
    await rowBySubject(page, 'Team news').click();
    await page.getByTestId('tab-delivery').click();
    await expect.poll(() => page.getByTestId('delivery-state').getAttribute('data-state')).toBe('delivered');
    await expect(page.getByTestId('delivery-reason').getAttribute('data-reason')).resolves.toBe('auto-relay');
    await expect(page.getByTestId('delivery-reason').textContent()).resolves.toMatch(/^Auto-relayed to /);
    await expect(page.getByTestId('delivery-rcpt').textContent()).resolves.toBe('<ann@team.example>');

    const message = await messageBySubject(relaying(), 'Team news');
    const delivery = await api<Delivery>(relaying(), `/api/messages/${message.id}/delivery`);
    expect([delivery.reason, delivery.rcptTo, delivery.attempts.map((a) => [a.outcome, a.code])]).toEqual(['auto-relay', ['ann@team.example'], [['delivered', 250]]]);
    const received = await messageBySubject(upstream(), 'Team news');
    expect(received.envelope).toEqual({ mailFrom: 'app@example.com', rcptTo: ['ann@team.example'] });
    // A message for nobody the rules allow is only captured: no Delivery tab.
    await sendMail(relaying(), { from: 'app@example.com', to: 'guest@other.example', subject: 'Outsider', text: 'x' });
    await rowBySubject(page, 'Outsider').click();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('Outsider');
    await expect(page.getByTestId('tab-delivery').count()).resolves.toBe(0);
    expect({ errors, dialogs }).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });
});
