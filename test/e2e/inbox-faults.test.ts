/**
 * The fault panel: lists the sink's rules with description and hit counts, adds a rule through the
 * form (POST /api/faults), shows the server's validation error naming the field, updates hit counts
 * live when a rule fires for a real SMTP client, and removes rules.
 */
import { describe, expect, it } from 'vitest';
import type { FaultRule } from '../../server/contract.js';
import { openInbox, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const rulesOf = async (sink: Parameters<typeof api>[0]) => (await api<{ rules: FaultRule[] }>(sink, '/api/faults')).rules;

describe('fault panel', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('lists, adds, counts hits live, and removes rules', async () => {
    await api(sink(), '/api/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'mailFrom', match: { mailFrom: '*@spam.example' }, reply: { code: 553, enhancedCode: '5.1.3' } }),
    });
    const { page, errors } = await openInbox(browser(), sink());
    await expect(page.getByTestId('faults-toggle').getAttribute('aria-label')).resolves.toBe('Fault rules (1 active)');
    await page.getByTestId('faults-toggle').click();
    const panel = page.getByTestId('fault-panel');
    const [existing] = await rulesOf(sink());
    await expect(panel.getByTestId('fault-rule-description').allTextContents()).resolves.toEqual([existing!.description]);

    // A bad rule: the server's 400 names the field, which is marked invalid.
    await panel.getByTestId('fault-code').fill('700');
    await panel.getByTestId('fault-add').click();
    await expect(panel.getByTestId('fault-error').textContent()).resolves.toContain('reply.code');
    await expect(panel.getByTestId('fault-code').getAttribute('aria-invalid')).resolves.toBe('true');

    // rcptTo *@bounce.example → 550 5.1.1 "No such user", once.
    await panel.getByTestId('fault-stage').selectOption('rcptTo');
    await panel.getByTestId('fault-pattern').fill('*@bounce.example');
    await panel.getByTestId('fault-preset').selectOption('550');
    await panel.getByTestId('fault-text').fill('No such user');
    await panel.getByTestId('fault-times').fill('1');
    await panel.getByTestId('fault-add').click();
    await expect.poll(() => panel.getByTestId('fault-rule').count()).toBe(2);
    await expect(panel.getByTestId('fault-error').count()).resolves.toBe(0);
    const added = (await rulesOf(sink()))[1]!;
    expect(added).toMatchObject({ stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user' }, times: 1, hits: 0 });
    const item = panel.locator(`[data-testid="fault-rule"][data-id="${added.id}"]`);
    await expect(item.getByTestId('fault-rule-description').textContent()).resolves.toBe(added.description);
    await expect(item.getByTestId('fault-rule-hits').textContent()).resolves.toBe('0 hits');

    // A real client hits it: the count and description update live.
    const failure = await sendMail(sink(), { to: 'ghost@bounce.example', subject: 'Bounce me', text: 'x' }).catch((error: Error & { responseCode?: number }) => error);
    expect(failure).toMatchObject({ responseCode: 550 });
    await expect.poll(() => item.getByTestId('fault-rule-hits').textContent()).toBe('1 hit');
    const fired = (await rulesOf(sink()))[1]!;
    await expect.poll(() => item.getByTestId('fault-rule-description').textContent()).toBe(fired.description);
    await expect(item.textContent()).resolves.toContain('retired');
    await expect(item.textContent()).resolves.toContain('Last replied 550');
    await expect(page.getByTestId('faults-toggle').getAttribute('aria-label')).resolves.toBe('Fault rules (1 active)');

    // A slow, dropped greeting: disconnect and delay, no reply.
    await panel.getByTestId('fault-stage').selectOption('connect');
    await panel.getByTestId('fault-pattern').fill('10.*');
    await panel.getByTestId('fault-disconnect').check();
    await expect(panel.getByTestId('fault-code').isDisabled()).resolves.toBe(true);
    await panel.getByTestId('fault-times').fill('');
    await panel.getByTestId('fault-delay').fill('250');
    await panel.getByTestId('fault-add').click();
    await expect.poll(() => panel.getByTestId('fault-rule').count()).toBe(3);
    const { id: _id, createdAt: _createdAt, description, ...dropped } = (await rulesOf(sink()))[2]!;
    expect(dropped).toEqual({ stage: 'connect', match: { remoteAddress: '10.*' }, disconnect: true, delayMs: 250, hits: 0, matched: 0, active: true, enabled: true, lastFired: null });
    await expect(panel.getByTestId('fault-rule-description').nth(2).textContent()).resolves.toBe(description);

    // Remove them all.
    await item.getByTestId('fault-rule-remove').click();
    await expect.poll(() => panel.getByTestId('fault-rule').count()).toBe(2);
    await panel.getByTestId('fault-rule-remove').first().click();
    await expect.poll(() => panel.getByTestId('fault-rule').count()).toBe(1);
    await panel.getByTestId('fault-rule-remove').click();
    await panel.getByTestId('fault-empty').waitFor();
    expect(await rulesOf(sink())).toEqual([]);

    // Escape closes the panel.
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('Escape');
    await expect(panel.count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
