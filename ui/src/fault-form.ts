/**
 * The add-a-rule form of the fault panel as data: its fields, the common reply presets, and how a
 * filled form becomes a `FaultRuleInput` for `POST /api/faults` (the server validates it and names
 * the field at fault), and back (to edit a rule with `PUT /api/faults/:id`).
 */
import type { FaultMatch, FaultRule, FaultRuleInput, FaultStage } from '../../server/contract.js';
import { defaultEnhancedCode } from '../../server/core/enhanced-codes.js';
import { REPLY_CODES, standardReplyText } from '../../server/core/reply-codes.js';

export interface FaultFormValues {
  stage: FaultStage;
  pattern: string;
  code: string;
  enhancedCode: string;
  text: string;
  times: string;
  delayMs: string;
  disconnect: boolean;
}

export const EMPTY_FAULT_FORM: FaultFormValues = {
  stage: 'rcptTo',
  pattern: '',
  code: '550',
  enhancedCode: '5.1.1',
  text: '',
  times: '',
  delayMs: '',
  disconnect: false,
};

/** The match fields a stage's pattern can fill. */
type PatternField = Exclude<keyof FaultMatch, 'nth'>;

/** Stages in SMTP order, with what the pattern is matched against (as in the `--fault` short syntax). */
export const FAULT_STAGE_OPTIONS: readonly { stage: FaultStage; label: string; patternLabel: string; field: PatternField }[] = [
  { stage: 'connect', label: 'Connect (greeting)', patternLabel: 'Client address', field: 'remoteAddress' },
  { stage: 'auth', label: 'AUTH', patternLabel: 'AUTH user', field: 'authUser' },
  { stage: 'mailFrom', label: 'MAIL FROM', patternLabel: 'Sender', field: 'mailFrom' },
  { stage: 'rcptTo', label: 'RCPT TO (each recipient)', patternLabel: 'Recipient', field: 'rcptTo' },
  { stage: 'data', label: 'End of DATA', patternLabel: 'Any recipient', field: 'rcptTo' },
];

/** Replies real servers send, to fill code and enhanced code in one go: the presets of the reply-code table `mailsink probe` explains replies from. */
export const REPLY_PRESETS: readonly ReplyPreset[] = REPLY_CODES.filter((entry) => entry.preset).map(({ code, enhancedCode, label }) => ({ code, enhancedCode, label }));

/** One common reply of the form's preset menu, shown as `code enhancedCode label`. */
export interface ReplyPreset {
  code: number;
  enhancedCode: string;
  label: string;
}

/**
 * The form with `preset` chosen: its code, enhanced code and, as reply text, its label, so the
 * server sends exactly what the menu showed (`452 4.5.3 Too many recipients`; a code's standard
 * text need not fit the enhanced code).
 */
export function withPreset(values: FaultFormValues, preset: ReplyPreset): FaultFormValues {
  return { ...values, code: String(preset.code), enhancedCode: preset.enhancedCode, text: preset.label };
}

/** The reply text the server sends when the text field is left empty: the standard text of the code typed (the field's placeholder). */
export function replyTextPlaceholder(code: string): string {
  const number = Number(code);
  return /^[245]\d\d$/.test(code.trim()) ? standardReplyText(number) : 'The standard text for the code';
}

/** The enhanced code the server puts before the reply when the field is left empty: its default for the code typed (`451` → `4.3.0`; the field's placeholder). */
export function enhancedCodePlaceholder(code: string): string {
  return /^[45]\d\d$/.test(code.trim()) ? defaultEnhancedCode(Number(code))! : '5.1.1';
}

function optionalNumber(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

function patternField(stage: FaultStage): PatternField {
  return FAULT_STAGE_OPTIONS.find((option) => option.stage === stage)?.field ?? 'rcptTo';
}

/** The match conditions of `base` the form has no field for (kept on edit): all but its stage's pattern field. */
function keptMatch(base: FaultRuleInput | undefined): FaultMatch {
  if (!base?.match) return {};
  const { [patternField(base.stage)]: _pattern, ...rest } = base.match;
  return rest;
}

/**
 * The rule the form describes; empty fields are left out. When editing, `base` is the rule as it was:
 * what the form cannot show (other match conditions, `nth`, `probability`) is kept from it.
 */
export function ruleFromForm(values: FaultFormValues, base?: FaultRuleInput): FaultRuleInput {
  const rule: FaultRuleInput = { stage: values.stage };
  const match: FaultMatch = keptMatch(base);
  if (values.pattern.trim() !== '') match[patternField(values.stage)] = values.pattern.trim();
  if (Object.keys(match).length > 0) rule.match = match;
  if (base?.probability !== undefined) rule.probability = base.probability;
  if (values.disconnect) rule.disconnect = true;
  else if (values.code.trim() !== '') {
    rule.reply = { code: Number(values.code) };
    if (values.enhancedCode.trim() !== '') rule.reply.enhancedCode = values.enhancedCode.trim();
    if (values.text.trim() !== '') rule.reply.text = values.text.trim();
  }
  const times = optionalNumber(values.times);
  const delayMs = optionalNumber(values.delayMs);
  if (times !== undefined) rule.times = times;
  if (delayMs !== undefined) rule.delayMs = delayMs;
  return rule;
}

/** The form filled with `rule`, for editing it. */
export function formFromRule(rule: FaultRuleInput): FaultFormValues {
  const text = (value: number | string | undefined) => (value === undefined ? '' : String(value));
  return {
    stage: rule.stage,
    pattern: text(rule.match?.[patternField(rule.stage)]),
    code: text(rule.reply?.code),
    enhancedCode: text(rule.reply?.enhancedCode),
    text: text(rule.reply?.text),
    times: text(rule.times),
    delayMs: text(rule.delayMs),
    disconnect: rule.disconnect === true,
  };
}

/** Whether a rule is checked at all (`enabled`; a rule from an older server without the field counts as enabled). */
export function isEnabled(rule: FaultRule): boolean {
  return rule.enabled !== false;
}

/** The form field a server error `field` (e.g. `reply.code`, `match.rcptTo`) points at. */
export function formFieldOf(serverField: string | undefined): keyof FaultFormValues | null {
  if (!serverField) return null;
  if (serverField.startsWith('match.')) return 'pattern';
  const map: Record<string, keyof FaultFormValues> = {
    stage: 'stage',
    reply: 'code',
    'reply.code': 'code',
    'reply.enhancedCode': 'enhancedCode',
    'reply.text': 'text',
    times: 'times',
    delayMs: 'delayMs',
    disconnect: 'disconnect',
  };
  return map[serverField] ?? null;
}

/** A step in the check order. */
export type Move = 'up' | 'down';

/** The ids with the rule at `index` swapped with its neighbour above or below. */
export function movedIds(rules: readonly FaultRule[], index: number, move: Move): string[] {
  const ids = rules.map((rule) => rule.id);
  const other = move === 'up' ? index - 1 : index + 1;
  if (other < 0 || other >= ids.length) return ids;
  [ids[index], ids[other]] = [ids[other]!, ids[index]!];
  return ids;
}
