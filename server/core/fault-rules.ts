/**
 * Fault rules as data: the zod schema every way of setting a rule goes through (REST, `--fault`,
 * `--faults-file`, `startSink({ faults })`), the short command-line syntax, pattern matching, the
 * standard reply texts (RFC 5321 §4.2.3) and the one-line description of a rule.
 */
import { z } from 'zod';
import type { FaultRule, FaultRuleInput, FaultStage } from '../contract.js';
import { compilePattern, PatternError } from './patterns.js';
import { defaultEnhancedCode, hasEnhancedCode } from './enhanced-codes.js';
import { standardReplyText } from './reply-codes.js';

/** Every stage, in SMTP order. */
export const FAULT_STAGES = ['connect', 'auth', 'mailFrom', 'rcptTo', 'data'] as const satisfies readonly FaultStage[];

const pattern = z
  .string()
  .min(1, 'expected a glob such as *@bounce.example or a /regex/')
  .max(500)
  .superRefine((value, ctx) => {
    try {
      compilePattern(value);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
  });

/** Schema of one rule as given by a user; errors name the field (`reply.code`, `match.rcptTo` …). */
export const faultRuleInputSchema = z
  .object({
    stage: z.enum(FAULT_STAGES),
    match: z
      .object({
        mailFrom: pattern.optional(),
        rcptTo: pattern.optional(),
        authUser: pattern.optional(),
        remoteAddress: pattern.optional(),
        subject: pattern.optional(),
        nth: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict()
      .optional(),
    reply: z
      .object({
        code: z.number().int().min(400, 'expected a 4xx or 5xx reply code').max(599, 'expected a 4xx or 5xx reply code'),
        enhancedCode: z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'expected an RFC 3463 code such as 5.1.1').optional(),
        text: z.string().min(1).max(400).regex(/^[^\r\n]*$/, 'must be one line').optional(),
      })
      .strict()
      .refine((r) => !r.enhancedCode || r.enhancedCode[0] === String(r.code)[0], { message: 'class must match the reply code (4.x.x for 4xx, 5.x.x for 5xx)', path: ['enhancedCode'] })
      .optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    disconnect: z.boolean().optional(),
    times: z.number().int().min(1).optional(),
    probability: z.number().min(0).max(1).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (!rule.reply && !rule.disconnect && rule.delayMs === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reply'], message: 'a rule needs a reply, disconnect: true or delayMs' });
    }
    if (rule.reply && rule.disconnect) ctx.addIssue({ code: 'custom', path: ['disconnect'], message: 'a rule either replies or disconnects, not both' });
    if (rule.match?.subject !== undefined && rule.stage !== 'data') ctx.addIssue({ code: 'custom', path: ['match', 'subject'], message: 'subject can only be matched at the data stage' });
    const early = rule.stage === 'connect' || rule.stage === 'auth';
    if (early && rule.match?.mailFrom !== undefined) ctx.addIssue({ code: 'custom', path: ['match', 'mailFrom'], message: `no MAIL FROM is known at the ${rule.stage} stage` });
    if ((early || rule.stage === 'mailFrom') && rule.match?.rcptTo !== undefined) ctx.addIssue({ code: 'custom', path: ['match', 'rcptTo'], message: `no RCPT TO is known at the ${rule.stage} stage` });
    if (rule.stage === 'connect' && rule.match?.authUser !== undefined) ctx.addIssue({ code: 'custom', path: ['match', 'authUser'], message: 'no AUTH user is known at the connect stage' });
  });

/** Validated rule input. */
export type ValidFaultRuleInput = z.output<typeof faultRuleInputSchema>;

/** A rule that cannot be used; `field` is its path (`reply.code`), `index` its place in a list. */
export class FaultRuleError extends Error {
  readonly field: string;
  readonly index: number | null;
  constructor(message: string, field: string, index: number | null) {
    super(message);
    this.name = 'FaultRuleError';
    this.field = field;
    this.index = index;
  }
}

/**
 * Validates one rule or a list of rules.
 * @throws FaultRuleError naming the rule (its index, for a list) and the field.
 */
export function validateFaultRules(input: unknown): ValidFaultRuleInput[] {
  const list = Array.isArray(input) ? input : [input];
  return list.map((item, index) => {
    const result = faultRuleInputSchema.safeParse(item);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    // An unknown key is reported on the object that holds it; name the key itself.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    const field = path.length > 0 ? path.join('.') : 'rule';
    const where = Array.isArray(input) ? `rule ${index} ` : 'rule ';
    throw new FaultRuleError(`${where}field "${field}": ${issue.message}`, field, Array.isArray(input) ? index : null);
  });
}

/** The field each stage's short-syntax pattern applies to. */
const SHORT_PATTERN_FIELD: Record<FaultStage, 'remoteAddress' | 'authUser' | 'mailFrom' | 'rcptTo'> = {
  connect: 'remoteAddress',
  auth: 'authUser',
  mailFrom: 'mailFrom',
  rcptTo: 'rcptTo',
  data: 'rcptTo',
};

/**
 * Parses the short command-line syntax `STAGE:PATTERN:ACTION[:ENHANCED[:TEXT]][;key=value…]`:
 * ACTION is a reply code, `disconnect` or `delay`; PATTERN (empty or `*` for any) applies to the
 * client address at `connect`, the AUTH user at `auth`, the sender at `mailFrom` and the recipient at
 * `rcptTo` and `data`; options are `times`, `delayMs`, `nth` and `probability`.
 * Example: `rcptTo:*@bounce.example:550:5.1.1;times=1`.
 *
 * @returns The rule input, not yet validated (pass it to {@link validateFaultRules}).
 * @throws FaultRuleError for a malformed string.
 */
export function parseShortFault(spec: string): FaultRuleInput {
  const [head = '', ...optionParts] = spec.split(';');
  const [stage = '', patternText = '', action = '', enhancedCode, ...textParts] = head.split(':');
  if (!(FAULT_STAGES as readonly string[]).includes(stage)) {
    throw new FaultRuleError(`"${spec}": stage must be one of ${FAULT_STAGES.join(', ')}`, 'stage', null);
  }
  const rule: FaultRuleInput & { match: NonNullable<FaultRuleInput['match']> } = { stage: stage as FaultStage, match: {} };
  if (patternText !== '' && patternText !== '*') rule.match[SHORT_PATTERN_FIELD[rule.stage]] = patternText;
  if (action === 'disconnect') rule.disconnect = true;
  else if (action !== 'delay') {
    if (!/^\d{3}$/.test(action)) throw new FaultRuleError(`"${spec}": action must be a reply code, disconnect or delay`, 'reply.code', null);
    rule.reply = { code: Number(action) };
    if (enhancedCode) rule.reply.enhancedCode = enhancedCode;
    if (textParts.length > 0) rule.reply.text = textParts.join(':');
  }
  for (const option of optionParts.filter((o) => o.trim() !== '')) {
    const [key = '', value = ''] = option.split('=');
    const number = Number(value);
    if (!['times', 'delayMs', 'nth', 'probability'].includes(key)) {
      throw new FaultRuleError(`"${spec}": unknown option "${option}" (expected times=, delayMs=, nth= or probability=)`, key || 'option', null);
    }
    if (value === '' || !Number.isFinite(number)) throw new FaultRuleError(`"${spec}": option ${key} needs a number, got "${value}"`, key, null);
    if (key === 'nth') rule.match.nth = number;
    else rule[key as 'times' | 'delayMs' | 'probability'] = number;
  }
  if (Object.keys(rule.match).length === 0) delete (rule as FaultRuleInput).match;
  return rule;
}

/**
 * The text after the code in a rule's reply line: `5.1.1 Recipient address rejected`. A rule
 * without `enhancedCode` gets the default of its reply code (`550` → `5.1.1`, see
 * {@link defaultEnhancedCode}), unless its own text already begins with one.
 */
export function replyText(reply: NonNullable<FaultRuleInput['reply']>): string {
  const text = reply.text ?? standardReplyText(reply.code);
  if (reply.enhancedCode) return `${reply.enhancedCode} ${text}`;
  const enhancedCode = hasEnhancedCode(text) ? null : defaultEnhancedCode(reply.code);
  return enhancedCode ? `${enhancedCode} ${text}` : text;
}

/** One human line describing a rule, used in logs, the API, the UI and test failures. */
export function describeRule(rule: Omit<FaultRule, 'description' | 'active' | 'enabled' | 'lastFired'> & { enabled?: boolean }): string {
  const matches = Object.entries(rule.match ?? {})
    .filter(([key]) => key !== 'nth')
    .map(([key, value]) => (key === rule.stage ? `matching ${String(value)}` : `${key} matching ${String(value)}`));
  const action = [
    rule.delayMs !== undefined ? `delay ${rule.delayMs} ms` : '',
    rule.disconnect ? 'disconnect' : '',
    rule.reply ? `${rule.reply.code}${rule.reply.enhancedCode ? ` ${rule.reply.enhancedCode}` : ''}` : '',
  ].filter(Boolean);
  const extras = [
    rule.match?.nth && rule.match.nth > 1 ? `every ${ordinal(rule.match.nth)}` : '',
    rule.probability !== undefined ? `probability ${rule.probability}` : '',
    rule.times !== undefined ? `${Math.max(0, rule.times - rule.hits)} of ${rule.times} left` : '',
  ].filter(Boolean);
  if (rule.enabled === false) extras.push('disabled');
  return [[rule.stage, ...matches].join(' '), '→', [action.join(' then '), ...extras].join(', ')].join(' ');
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

const DEFINITION_KEYS = ['stage', 'match', 'reply', 'delayMs', 'disconnect', 'times', 'probability', 'enabled'] as const;

/** Whether two rules have the same definition (counts and derived fields aside; a missing `enabled` is `true`). */
export function sameDefinition(a: FaultRuleInput, b: FaultRuleInput): boolean {
  const key = (rule: FaultRuleInput) => JSON.stringify(DEFINITION_KEYS.map((k) => (k === 'enabled' ? rule.enabled ?? true : rule[k]) ?? null), sortedKeys);
  return key(a) === key(b);
}

/** Whether two lists hold the same rules (ids and definitions) in the same order. */
export function sameRules(a: readonly FaultRule[], b: readonly FaultRule[]): boolean {
  return a.length === b.length && a.every((rule, i) => rule.id === b[i]!.id && sameDefinition(rule, b[i]!));
}

/** JSON replacer writing object keys sorted (a `jsonb` round trip reorders them). */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
