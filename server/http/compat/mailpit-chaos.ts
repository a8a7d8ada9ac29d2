/**
 * Mailpit's chaos triggers (internal/smtpd/chaos, `GET/PUT /api/v1/chaos`) mapped onto mailsink's
 * fault rules: `Sender` → a `mailFrom` rule, `Recipient` → `rcptTo`, `Authentication` → `auth`, each
 * replying `ErrorCode` with `Probability`/100, drawn from the sink's seeded generator
 * (`--fault-seed`), so a run replays. The triggers are read back from the rules, so a rule of that
 * shape added through `/api/faults` shows here too; `PUT` replaces only rules of that shape.
 */
import { Router } from 'express';
import type { FaultRule, FaultStage } from '../../contract.js';
import { validateFaultRules } from '../../core/fault-rules.js';
import type { FaultEngine } from '../../core/faults.js';
import { ApiError } from '../errors.js';
import type { CompatDeps } from './deps.js';
import { objectBody } from './mailpit-messages.js';

/** One trigger: reply code and chance in percent (0 = off). */
export interface ChaosTrigger {
  ErrorCode: number;
  Probability: number;
}

const TRIGGERS = [
  { key: 'Sender', stage: 'mailFrom', defaultCode: 451 },
  { key: 'Recipient', stage: 'rcptTo', defaultCode: 451 },
  { key: 'Authentication', stage: 'auth', defaultCode: 535 },
] as const satisfies readonly { key: string; stage: FaultStage; defaultCode: number }[];

type ChaosTriggers = Record<(typeof TRIGGERS)[number]['key'], ChaosTrigger>;

/** A rule that a chaos trigger stands for: a bare reply at one of the three stages, with a probability. */
function isChaosRule(rule: FaultRule, stage: FaultStage): boolean {
  const matchless = !rule.match || Object.keys(rule.match).length === 0;
  return rule.stage === stage && matchless && rule.probability !== undefined && rule.reply !== undefined && rule.delayMs === undefined && !rule.disconnect && rule.times === undefined;
}

/** The triggers as the current fault rules define them. */
export function chaosTriggers(faults: FaultEngine): ChaosTriggers {
  const rules = faults.list();
  const out = {} as ChaosTriggers;
  for (const { key, stage, defaultCode } of TRIGGERS) {
    const rule = rules.find((r) => r.active && r.enabled && isChaosRule(r, stage));
    out[key] = rule ? { ErrorCode: rule.reply!.code, Probability: Math.round(rule.probability! * 100) } : { ErrorCode: defaultCode, Probability: 0 };
  }
  return out;
}

/** Validates a `PUT` body (Mailpit's `chaos.Set` rules): codes 400–599 (0 = default), probability 0–100. */
function parseTriggers(body: unknown): ChaosTriggers {
  const input = objectBody(body);
  const out = {} as ChaosTriggers;
  for (const { key, defaultCode } of TRIGGERS) {
    const trigger = objectBody(input[key]);
    const code = trigger['ErrorCode'] === undefined || trigger['ErrorCode'] === 0 ? defaultCode : trigger['ErrorCode'];
    const probability = trigger['Probability'] ?? 0;
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 400 || code > 599) throw new ApiError(400, 'invalid_request', 'error code must be between 400 and 599', `${key}.ErrorCode`);
    if (typeof probability !== 'number' || !Number.isInteger(probability) || probability < 0 || probability > 100) throw new ApiError(400, 'invalid_request', 'probability must be between 0 and 100', `${key}.Probability`);
    out[key] = { ErrorCode: code, Probability: probability };
  }
  return out;
}

/**
 * `GET /api/v1/chaos` (the triggers) and `PUT /api/v1/chaos` (sets all three, missing ones off; answers the
 * triggers). A bad code or probability is `400` in plain text naming the trigger, as Mailpit answers.
 */
export function mailpitChaosRouter(deps: CompatDeps): Router {
  const router = Router();
  router.get('/api/v1/chaos', (_req, res) => {
    res.json(chaosTriggers(deps.faults));
  });
  router.put('/api/v1/chaos', (req, res) => {
    const triggers = parseTriggers(req.body);
    for (const rule of deps.faults.list()) if (TRIGGERS.some(({ stage }) => isChaosRule(rule, stage))) deps.faults.remove(rule.id);
    const inputs = TRIGGERS.filter(({ key }) => triggers[key].Probability > 0).map(({ key, stage }) => ({
      stage,
      reply: { code: triggers[key].ErrorCode },
      probability: triggers[key].Probability / 100,
    }));
    if (inputs.length > 0) deps.faults.add(validateFaultRules(inputs));
    res.json(chaosTriggers(deps.faults));
  });
  return router;
}
