/** The inbox's fault-rule helpers: a rule fills the form and comes back unchanged (also what the form cannot show), and Move up/down ids. */
import { describe, expect, it } from 'vitest';
import type { FaultRule, FaultRuleInput } from '../../server/contract.js';
import { replyText } from '../../server/core/fault-rules.js';
import { EMPTY_FAULT_FORM, enhancedCodePlaceholder, formFromRule, isEnabled, movedIds, REPLY_PRESETS, replyTextPlaceholder, ruleFromForm, withPreset } from '../../ui/src/fault-form.js';

function rule(id: string, input: FaultRuleInput, enabled = true): FaultRule {
  return { ...input, id, createdAt: '2026-12-04T10:00:00.000Z', hits: 0, matched: 0, active: true, enabled, description: id, lastFired: null };
}

describe('fault form', () => {
  it('sends for every common reply exactly what its menu entry shows', () => {
    expect(REPLY_PRESETS.map((preset) => preset.code)).toEqual([421, 450, 451, 452, 535, 550, 552, 553, 554]);
    for (const preset of REPLY_PRESETS) {
      const reply = ruleFromForm(withPreset({ ...EMPTY_FAULT_FORM, text: 'old text' }, preset)).reply!;
      expect(`${reply.code} ${replyText(reply)}`).toBe(`${preset.code} ${preset.enhancedCode} ${preset.label}`);
    }
    const tooMany = REPLY_PRESETS.find((preset) => preset.code === 452)!;
    expect(`${tooMany.code} ${replyText(ruleFromForm(withPreset(EMPTY_FAULT_FORM, tooMany)).reply!)}`).toBe('452 4.5.3 Too many recipients');
  });

  it('shows as reply-text placeholder what the server sends for the code when the text is empty', () => {
    for (const code of [421, 450, 452, 550, 554, 599]) {
      expect(replyTextPlaceholder(String(code))).toBe(replyText({ code }).replace(/^\d\.\d+\.\d+ /, ''));
    }
    expect(replyTextPlaceholder('452')).toBe('Requested action not taken: insufficient system storage');
    expect(replyTextPlaceholder('550')).toBe('Requested action not taken: mailbox unavailable');
    expect(replyTextPlaceholder('')).toBe('The standard text for the code');
  });

  it('shows as enhanced-code placeholder the code the server puts first when the field is empty', () => {
    for (const code of [421, 450, 451, 452, 550, 553, 554, 599]) {
      expect(enhancedCodePlaceholder(String(code))).toBe(replyText({ code }).split(' ')[0]);
    }
    expect(enhancedCodePlaceholder('451')).toBe('4.3.0');
    expect(enhancedCodePlaceholder(' 421 ')).toBe('4.3.2');
    expect(enhancedCodePlaceholder('')).toBe('5.1.1');
    // The 421 preset and a bare 421 rule send the same enhanced code.
    expect(REPLY_PRESETS.find((preset) => preset.code === 421)!.enhancedCode).toBe(replyText({ code: 421 }).split(' ')[0]);
  });

  it('fills the form from a rule and gives the same rule back', () => {
    const inputs: FaultRuleInput[] = [
      { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user' }, times: 2 },
      { stage: 'connect', match: { remoteAddress: '10.*' }, disconnect: true, delayMs: 250 },
      { stage: 'mailFrom', reply: { code: 451 } },
    ];
    for (const input of inputs) expect(ruleFromForm(formFromRule(input), input)).toEqual(input);
  });

  it('keeps on edit what the form cannot show: other match fields, nth, probability', () => {
    const input: FaultRuleInput = { stage: 'data', match: { rcptTo: 'a@*', subject: 'Invoice*', nth: 3 }, reply: { code: 554 }, probability: 0.5 };
    const values = { ...formFromRule(input), pattern: 'b@*', code: '452' };
    expect(ruleFromForm(values, input)).toEqual({ stage: 'data', match: { rcptTo: 'b@*', subject: 'Invoice*', nth: 3 }, reply: { code: 452 }, probability: 0.5 });
    // A new stage's pattern replaces the old stage's: the old pattern field is not kept.
    expect(ruleFromForm({ ...formFromRule(input), stage: 'mailFrom', pattern: 'x@*' }, input).match).toEqual({ subject: 'Invoice*', nth: 3, mailFrom: 'x@*' });
  });

  it('moves a rule up or down by one and leaves the ends alone', () => {
    const rules = ['a', 'b', 'c'].map((id) => rule(id, { stage: 'rcptTo' }));
    expect(movedIds(rules, 1, 'up')).toEqual(['b', 'a', 'c']);
    expect(movedIds(rules, 1, 'down')).toEqual(['a', 'c', 'b']);
    expect(movedIds(rules, 0, 'up')).toEqual(['a', 'b', 'c']);
    expect(movedIds(rules, 2, 'down')).toEqual(['a', 'b', 'c']);
    expect([isEnabled(rules[0]!), isEnabled(rule('d', { stage: 'auth' }, false))]).toEqual([true, false]);
  });
});
