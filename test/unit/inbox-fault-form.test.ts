/** The inbox's fault-rule helpers: a rule fills the form and comes back unchanged (also what the form cannot show), and Move up/down ids. */
import { describe, expect, it } from 'vitest';
import type { FaultRule, FaultRuleInput } from '../../server/contract.js';
import { formFromRule, isEnabled, movedIds, ruleFromForm } from '../../ui/src/fault-form.js';

function rule(id: string, input: FaultRuleInput, enabled = true): FaultRule {
  return { ...input, id, createdAt: '2026-12-04T10:00:00.000Z', hits: 0, matched: 0, active: true, enabled, description: id };
}

describe('fault form', () => {
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
