/**
 * The fault engine of one sink: an ordered list of rules checked at each SMTP stage. The first live
 * rule that matches fires (its reply, delay or disconnect is applied by the SMTP side), counts a hit
 * and retires after `times` hits. Deterministic unless a rule opts into `probability`, which draws
 * from a generator seeded with `--fault-seed`, so a random run can be replayed.
 */
import { randomBytes } from 'node:crypto';
import type { FaultRule, FaultRuleInput, FaultStage } from '../contract.js';
import type { EventBus } from './events.js';
import { describeRule, replyText, sameDefinition } from './fault-rules.js';
import type { ValidFaultRuleInput } from './fault-rules.js';
import { compilePattern } from './patterns.js';
import type { Pattern } from './patterns.js';

/** What is known about the session when a stage is checked. */
export interface FaultContext {
  remoteAddress: string;
  authUser: string | null;
  mailFrom: string | null;
  /** At `rcptTo`: the recipient of this command; at `data`: every accepted recipient. */
  rcptTo: readonly string[];
  /** Decoded subject (data stage only). */
  subject?: string;
}

/** What a fired rule asks the SMTP side to do. */
export interface FaultAction {
  rule: FaultRule;
  /** Wait first, in ms (0 for none). */
  delayMs: number;
  /** Drop the connection without a reply. */
  disconnect: boolean;
  /** The error reply, or `null` to go on normally after the delay. */
  reply: { code: number; message: string } | null;
}

interface LiveRule {
  rule: FaultRule;
  patterns: Partial<Record<'mailFrom' | 'rcptTo' | 'authUser' | 'remoteAddress' | 'subject', Pattern>>;
}

/** Seeded 32-bit generator (mulberry32): the same seed gives the same sequence in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ordered fault rules of one sink; publishes `faults.changed` and `fault.triggered`. */
export class FaultEngine {
  readonly #rules: LiveRule[] = [];
  readonly #events: EventBus;
  readonly #random: () => number;

  /** @param seed - Seed for `probability` rules. */
  constructor(events: EventBus, seed: number) {
    this.#events = events;
    this.#random = seededRandom(seed);
  }

  /** Rules in check order (copies). */
  list(): FaultRule[] {
    return this.#rules.map(({ rule }) => structuredClone(rule));
  }

  /** Appends validated rules; publishes `faults.changed` once. Returns them as stored. */
  add(inputs: readonly ValidFaultRuleInput[]): FaultRule[] {
    const added = inputs.map((input) => this.#toLive(input));
    this.#rules.push(...added);
    this.#changed();
    return added.map(({ rule }) => structuredClone(rule));
  }

  /** Removes one rule; `false` when there is no such id. */
  remove(id: string): boolean {
    const index = this.#rules.findIndex(({ rule }) => rule.id === id);
    if (index === -1) return false;
    this.#rules.splice(index, 1);
    this.#changed();
    return true;
  }

  /**
   * Replaces the definition of one rule (PUT): its id, `createdAt`, `hits` and `matched` are kept,
   * `active` is recomputed (`times` not set, or `hits < times`). Publishes `faults.changed`.
   * @returns The rule as stored, or `undefined` when there is no such id.
   */
  update(id: string, input: ValidFaultRuleInput): FaultRule | undefined {
    const index = this.#rules.findIndex(({ rule }) => rule.id === id);
    if (index === -1) return undefined;
    const { createdAt, hits, matched, lastFired } = this.#rules[index]!.rule;
    this.#rules[index] = withPatterns(completeRule({ ...structuredClone(input), id, createdAt, hits, matched, lastFired }));
    this.#changed();
    return structuredClone(this.#rules[index]!.rule);
  }

  /** Turns one rule on or off (a disabled rule is skipped, nothing counted); publishes `faults.changed`. `undefined` for an unknown id. */
  setEnabled(id: string, enabled: boolean): FaultRule | undefined {
    const live = this.#rules.find(({ rule }) => rule.id === id);
    if (!live) return undefined;
    live.rule.enabled = enabled;
    live.rule.description = describeRule(live.rule);
    this.#changed();
    return structuredClone(live.rule);
  }

  /**
   * Puts the rules in the given order (the first matching rule fires); publishes `faults.changed`.
   * @param ids - Exactly the current ids, each once.
   * @throws FaultOrderError naming the unknown, repeated or missing id.
   */
  reorder(ids: readonly string[]): FaultRule[] {
    const byId = new Map(this.#rules.map((live) => [live.rule.id, live]));
    const seen = new Set<string>();
    for (const id of ids) {
      if (!byId.has(id)) throw new FaultOrderError(`unknown fault rule id "${id}"`);
      if (seen.has(id)) throw new FaultOrderError(`fault rule id "${id}" is given twice`);
      seen.add(id);
    }
    const missing = this.#rules.find(({ rule }) => !seen.has(rule.id));
    if (missing) throw new FaultOrderError(`fault rule id "${missing.rule.id}" is missing (give every current id once)`);
    this.#rules.splice(0, this.#rules.length, ...ids.map((id) => byId.get(id)!));
    this.#changed();
    return this.list();
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules.length = 0;
    this.#changed();
  }

  /** Whether any active rule checks this stage (the data stage parses the message first only then, for `subject`). */
  hasActiveRules(stage: FaultStage): boolean {
    return this.#rules.some(({ rule }) => rule.stage === stage && rule.active && rule.enabled);
  }

  /**
   * Checks a stage: the first active, enabled rule whose match holds (and whose `nth`/`probability` lets it)
   * fires. A rule that matches but is held back by `nth` or `probability` lets later rules be checked.
   */
  evaluate(stage: FaultStage, context: FaultContext): FaultAction | null {
    for (const live of this.#rules) {
      const { rule } = live;
      if (rule.stage !== stage || !rule.active || !rule.enabled || !matches(live, context)) continue;
      rule.matched += 1;
      const nth = rule.match?.nth ?? 1;
      if (rule.matched % nth !== 0) continue;
      if (rule.probability !== undefined && this.#random() >= rule.probability) continue;
      rule.hits += 1;
      if (rule.times !== undefined && rule.hits >= rule.times) rule.active = false;
      rule.description = describeRule(rule);
      rule.lastFired = { time: new Date().toISOString(), code: rule.reply?.code ?? null, disconnect: rule.disconnect === true, remoteAddress: context.remoteAddress };
      const action: FaultAction = {
        rule: structuredClone(rule),
        delayMs: rule.delayMs ?? 0,
        disconnect: rule.disconnect === true,
        reply: rule.reply ? { code: rule.reply.code, message: replyText(rule.reply) } : null,
      };
      this.#events.publish({
        type: 'fault.triggered',
        ruleId: rule.id,
        stage,
        code: action.reply?.code ?? null,
        disconnect: action.disconnect,
        remoteAddress: context.remoteAddress,
      });
      return action;
    }
    return null;
  }

  /**
   * Replaces the whole list with rules made elsewhere, ids kept (the PostgreSQL engine shares the
   * list between the instances of a cluster); a rule already here under the same id keeps its
   * counts (`hits`, `matched`) and `lastFired`, and takes the new definition. Publishes `faults.changed`.
   */
  replace(rules: readonly FaultRule[]): void {
    const previous = new Map(this.#rules.map((live) => [live.rule.id, live]));
    const next = rules.map((rule) => {
      const own = previous.get(rule.id);
      if (own && sameDefinition(own.rule, rule)) return own;
      const counts = own
        ? { hits: own.rule.hits, matched: own.rule.matched, lastFired: own.rule.lastFired }
        : { hits: rule.hits, matched: rule.matched, lastFired: rule.lastFired ?? null };
      return withPatterns(completeRule({ ...structuredClone(rule), ...counts }));
    });
    this.#rules.splice(0, this.#rules.length, ...next);
    this.#changed();
  }

  #toLive(input: ValidFaultRuleInput): LiveRule {
    return withPatterns(completeRule({ ...structuredClone(input), id: randomBytes(6).toString('base64url'), createdAt: new Date().toISOString(), hits: 0, matched: 0, lastFired: null }));
  }

  #changed(): void {
    this.#events.publish({ type: 'faults.changed', rules: this.list() });
  }
}

/** `PUT /api/faults/order` given ids that are not exactly the current ones (field `ids`). */
export class FaultOrderError extends Error {
  readonly field = 'ids';
  constructor(message: string) {
    super(message);
    this.name = 'FaultOrderError';
  }
}

type RuleBase = FaultRuleInput & Pick<FaultRule, 'id' | 'createdAt' | 'hits' | 'matched' | 'lastFired'>;

/** A stored rule from its definition and counts: `enabled` defaults to true, `active` and `description` derived. */
function completeRule(base: RuleBase): FaultRule {
  const { active: _active, description: _description, ...rest } = base as RuleBase & Partial<FaultRule>;
  const rule = { ...rest, enabled: rest.enabled ?? true };
  return { ...rule, active: rule.times === undefined || rule.hits < rule.times, description: describeRule(rule) };
}

function withPatterns(rule: FaultRule): LiveRule {
  const patterns: LiveRule['patterns'] = {};
  for (const key of ['mailFrom', 'rcptTo', 'authUser', 'remoteAddress', 'subject'] as const) {
    const value = rule.match?.[key];
    if (value !== undefined) patterns[key] = compilePattern(value);
  }
  return { rule, patterns };
}

function matches({ patterns }: LiveRule, context: FaultContext): boolean {
  const test = (pattern: Pattern | undefined, value: string | null | undefined) => pattern === undefined || (value != null && pattern.test(value));
  return (
    test(patterns.mailFrom, context.mailFrom) &&
    test(patterns.authUser, context.authUser) &&
    test(patterns.remoteAddress, context.remoteAddress) &&
    test(patterns.subject, context.subject) &&
    (patterns.rcptTo === undefined || context.rcptTo.some((rcpt) => patterns.rcptTo!.test(rcpt)))
  );
}
