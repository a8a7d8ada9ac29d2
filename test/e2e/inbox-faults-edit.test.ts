/**
 * Editing fault rules in the panel: the form opens filled with a rule and saves it with
 * `PUT /api/faults/:id` (a 400 marks the field it names); the enabled switch (`PATCH`) makes SMTP
 * skip a rule, seen by a real client (nodemailer); Move up / Move down (`PUT /api/faults/order`),
 * by keyboard, change which of two rules matching the same recipient replies. At 1400×900, the
 * reorder also on a 390×844 phone.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultRule, FaultRuleInput } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { SCREENSHOTS, openInbox, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };

const rulesOf = async (sink: Sink) => (await api<{ rules: FaultRule[] }>(sink, '/api/faults')).rules;

/** Replaces every rule of the sink with `rules` (in this order). */
async function setRules(sink: Sink, rules: FaultRuleInput[]): Promise<FaultRule[]> {
  await api(sink, '/api/faults', { method: 'DELETE' });
  for (const rule of rules) await api(sink, '/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  return rulesOf(sink);
}

/** The SMTP outcome of sending to `to`: `accepted`, or the reply line of the refusal. */
async function outcome(sink: Sink, to: string): Promise<string> {
  return sendMail(sink, { to, subject: `To ${to}`, text: 'x' }).then(
    () => 'accepted',
    (error: Error & { response?: string }) => error.response ?? error.message,
  );
}

async function openPanel(sink: Sink, browser: Parameters<typeof openInbox>[0], viewport = DESKTOP) {
  const inbox = await openInbox(browser, sink, { viewport });
  await inbox.page.getByTestId('faults-toggle').click();
  return { ...inbox, panel: inbox.page.getByTestId('fault-panel') };
}

describe('editing fault rules', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('edits a rule through the form, and shows the field a bad edit names', async () => {
    const [rule] = await setRules(sink(), [{ stage: 'rcptTo', match: { rcptTo: '*@edit.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'Gone' } }]);
    expect(await outcome(sink(), 'a@edit.example')).toBe('550 5.1.1 Gone');
    const { page, panel, errors } = await openPanel(sink(), browser());
    await panel.getByRole('button', { name: 'Edit rule 1' }).click();
    const form = panel.getByTestId('fault-edit-form');
    await expect(form.getByTestId('fault-pattern').inputValue()).resolves.toBe('*@edit.example');
    await expect(form.getByTestId('fault-code').inputValue()).resolves.toBe('550');
    await expect(form.getByTestId('fault-text').inputValue()).resolves.toBe('Gone');
    await expect.poll(() => page.evaluate('document.activeElement?.dataset.testid')).toBe('fault-stage');

    await form.getByTestId('fault-code').fill('999');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByTestId('fault-error').textContent()).resolves.toContain('reply.code');
    await expect(form.getByTestId('fault-code').getAttribute('aria-invalid')).resolves.toBe('true');

    await form.getByTestId('fault-code').fill('451');
    await form.getByTestId('fault-enhanced-code').fill('4.3.0');
    await form.getByTestId('fault-text').fill('Try later');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.count()).toBe(0);
    const [edited] = await rulesOf(sink());
    expect(edited).toMatchObject({ id: rule!.id, createdAt: rule!.createdAt, hits: 1, stage: 'rcptTo', match: { rcptTo: '*@edit.example' }, reply: { code: 451, enhancedCode: '4.3.0', text: 'Try later' }, enabled: true });
    await expect.poll(() => panel.getByTestId('fault-rule-description').textContent()).toBe(edited!.description);
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Edit rule 1');
    expect(await outcome(sink(), 'b@edit.example')).toBe('451 4.3.0 Try later');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('resets the add form after a rule is added, shows the server default enhanced code, and keeps "Last replied" over a reload', async () => {
    await setRules(sink(), []);
    const { page, panel, errors } = await openPanel(sink(), browser());
    const form = panel.getByTestId('fault-form');
    await form.getByTestId('fault-pattern').fill('*@later.example');
    await form.getByTestId('fault-code').fill('451');
    await form.getByTestId('fault-enhanced-code').fill('');
    await form.getByTestId('fault-text').fill('Try again');
    await form.getByTestId('fault-times').fill('3');
    await expect(form.getByTestId('fault-enhanced-code').getAttribute('placeholder')).resolves.toBe('4.3.0');
    await form.getByTestId('fault-add').click();
    await expect.poll(() => panel.getByTestId('fault-rule').count()).toBe(1);
    const [added] = await rulesOf(sink());
    expect(added).toMatchObject({ stage: 'rcptTo', match: { rcptTo: '*@later.example' }, reply: { code: 451, text: 'Try again' }, times: 3, lastFired: null });
    expect(added!.reply!.enhancedCode).toBeUndefined();
    const fields = ['fault-stage', 'fault-pattern', 'fault-code', 'fault-enhanced-code', 'fault-text', 'fault-times', 'fault-delay'];
    await expect.poll(() => Promise.all(fields.map((id) => form.getByTestId(id).inputValue()))).toEqual(['rcptTo', '', '550', '5.1.1', '', '', '']);
    await expect(form.getByTestId('fault-disconnect').isChecked()).resolves.toBe(false);

    expect(await outcome(sink(), 'a@later.example')).toBe('451 4.3.0 Try again');
    const fired = panel.locator('.fault-rule-fired');
    await expect.poll(() => fired.textContent()).toMatch(/^Last replied 451 at .+ for 127\.0\.0\.1$/);
    const before = await fired.textContent();
    expect((await rulesOf(sink()))[0]!.lastFired).toMatchObject({ code: 451, disconnect: false, remoteAddress: '127.0.0.1' });
    await page.reload();
    await page.getByTestId('faults-toggle').click();
    await expect(page.getByTestId('fault-panel').locator('.fault-rule-fired').textContent()).resolves.toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('disables a rule so SMTP accepts again, and enables it back', async () => {
    const [rule] = await setRules(sink(), [{ stage: 'rcptTo', match: { rcptTo: '*@off.example' }, reply: { code: 550, enhancedCode: '5.7.1', text: 'Blocked' } }]);
    const { page, panel, errors } = await openPanel(sink(), browser());
    const item = panel.getByTestId('fault-rule');
    const enabled = panel.getByRole('checkbox', { name: 'Rule 1 enabled' });
    await expect(enabled.isChecked()).resolves.toBe(true);

    await enabled.uncheck();
    await expect.poll(() => item.getAttribute('data-enabled')).toBe('false');
    await expect(item.getByTestId('fault-rule-disabled').textContent()).resolves.toBe('disabled: skipped');
    await expect(page.getByTestId('faults-toggle').getAttribute('aria-label')).resolves.toBe('Fault rules (0 active)');
    const [disabled] = await rulesOf(sink());
    expect(disabled).toMatchObject({ id: rule!.id, enabled: false });
    await expect(item.getByTestId('fault-rule-description').textContent()).resolves.toBe(disabled!.description);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-fault-disabled.png') });
    expect(await outcome(sink(), 'x@off.example')).toBe('accepted');
    expect((await rulesOf(sink()))[0]).toMatchObject({ hits: 0, matched: 0 });

    await enabled.check();
    await expect.poll(() => item.getAttribute('data-enabled')).toBe('true');
    expect(await outcome(sink(), 'y@off.example')).toBe('550 5.7.1 Blocked');
    await expect.poll(() => item.getByTestId('fault-rule-hits').textContent()).toBe('1 hit');
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const viewport of [DESKTOP, PHONE]) {
    it(`reorders two rules matching one recipient by keyboard, so the other one replies (${viewport.width}×${viewport.height})`, async () => {
      const [first, second] = await setRules(sink(), [
        { stage: 'rcptTo', match: { rcptTo: '*@order.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'First rule' } },
        { stage: 'rcptTo', match: { rcptTo: 'vip@*' }, reply: { code: 452, enhancedCode: '4.2.2', text: 'Second rule' } },
      ]);
      expect(await outcome(sink(), 'vip@order.example')).toBe('550 5.1.1 First rule');
      const { page, panel, errors } = await openPanel(sink(), browser(), viewport);
      const ids = () => panel.getByTestId('fault-rule').evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
      await expect(panel.getByTestId('fault-rule-order').allTextContents()).resolves.toEqual(['1', '2']);
      await expect(panel.getByRole('button', { name: 'Move rule 1 up' }).isDisabled()).resolves.toBe(true);

      await panel.getByRole('button', { name: 'Move rule 2 up' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(ids).toEqual([second!.id, first!.id]);
      expect((await rulesOf(sink())).map((rule) => rule.id)).toEqual([second!.id, first!.id]);
      await expect(panel.getByTestId('fault-rule-order').allTextContents()).resolves.toEqual(['1', '2']);
      // Focus stays with the moved rule: now first, so on its Move down.
      await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Move rule 1 down');
      expect(await outcome(sink(), 'vip@order.example')).toBe('452 4.2.2 Second rule');

      await page.keyboard.press('Enter');
      await expect.poll(ids).toEqual([first!.id, second!.id]);
      await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Move rule 2 up');
      expect(await outcome(sink(), 'vip@order.example')).toBe('550 5.1.1 First rule');
      if (viewport.width === PHONE.width) {
        const box = await panel.getByRole('button', { name: 'Remove rule 2', exact: false }).boundingBox();
        expect(box !== null && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
        await panel.getByRole('button', { name: 'Edit rule 2' }).click();
        await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-fault-edit-phone.png'), fullPage: true });
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
