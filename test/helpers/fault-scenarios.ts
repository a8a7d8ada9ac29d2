/**
 * One table of fault rules covering every stage and option, each written twice (the `--fault` short
 * syntax and the JSON of `--faults-file` / `POST /api/faults`), with the smtplib session that
 * triggers it and the exact transcript a client sees. `faults-cli`, `faults-file` and `faults-rest`
 * load the same table through their own way and must give the same transcripts.
 *
 * Sessions come from 127.0.0.1, except the connect rule's, which comes from 127.0.0.2; no rule
 * matches another rule's session. The probability rule runs with seed {@link SEED}.
 */
import { expect } from 'vitest';
import type { FaultRule, FaultRuleInput } from '../../server/contract.js';
import type { FaultList, RejectionList } from '../../server/http/faults-routes.js';
import { smtplibSessions } from './smtplib.js';
import type { SmtplibSession, Transcript } from './smtplib.js';

/** `--fault-seed` of every table run. */
export const SEED = 42;

/** One row of the table. */
export interface FaultScenario {
  name: string;
  /** The rule in `--fault` short syntax. */
  short: string;
  /** The same rule as JSON. */
  rule: FaultRuleInput;
  session: SmtplibSession;
  /** Transcript smtplib reports (exact lines; the greeting and a queue id are matched by pattern). */
  expected: Transcript;
  /** The rule's `hits` afterwards. */
  hits: number;
}

const GREETING = expect.stringMatching(/^220 mailsink ESMTP/) as unknown as string;
const QUEUED = expect.stringMatching(/^250 2\.0\.0 Ok: queued as [\w-]+$/) as unknown as string;
const MESSAGE = 'From: app@example.com\r\nSubject: fault table\r\n\r\nbody\r\n';

/** Outcomes of the probability rule's eight RCPTs with seed 42 (`true` = the rule fired → 451). */
export const SEEDED_OUTCOMES = [false, true, false, false, true, false, true, false] as const;

export const FAULT_SCENARIOS: readonly FaultScenario[] = [
  {
    name: 'connect: 421 for one client address, then the server closes',
    short: 'connect:127.0.0.2:421:4.3.2:Too many connections, try again later',
    rule: { stage: 'connect', match: { remoteAddress: '127.0.0.2' }, reply: { code: 421, enhancedCode: '4.3.2', text: 'Too many connections, try again later' } },
    session: { localAddress: '127.0.0.2', steps: [['ehlo']] },
    expected: ['421 4.3.2 Too many connections, try again later', '(closed)'],
    hits: 1,
  },
  {
    name: 'auth: 535 for one user, another user still gets in',
    short: 'auth:blocked:535:5.7.8',
    rule: { stage: 'auth', match: { authUser: 'blocked' }, reply: { code: 535, enhancedCode: '5.7.8' } },
    session: { steps: [['ehlo'], ['auth', 'blocked', 'secret'], ['auth', 'allowed', 'secret']] },
    expected: [GREETING, '250', '535 5.7.8 Authentication credentials invalid', '235 2.7.0 Authentication successful'],
    hits: 1,
  },
  {
    name: 'mailFrom: 451 greylisting for one sender domain',
    short: 'mailFrom:*@greylist.example:451:4.7.1:Greylisted, try again in 5 minutes',
    rule: { stage: 'mailFrom', match: { mailFrom: '*@greylist.example' }, reply: { code: 451, enhancedCode: '4.7.1', text: 'Greylisted, try again in 5 minutes' } },
    session: { steps: [['ehlo'], ['mail', 'app@greylist.example'], ['mail', 'app@example.com']] },
    expected: [GREETING, '250', '451 4.7.1 Greylisted, try again in 5 minutes', '250 2.1.0 Accepted'],
    hits: 1,
  },
  {
    name: 'rcptTo: 550 for one recipient domain, others accepted',
    short: 'rcptTo:*@bounce.example:550:5.1.1:Recipient address rejected',
    rule: { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'Recipient address rejected' } },
    session: { steps: [['ehlo'], ['mail', 'app@example.com'], ['rcpt', 'nobody@bounce.example'], ['rcpt', 'ok@example.org']] },
    expected: [GREETING, '250', '250 2.1.0 Accepted', '550 5.1.1 Recipient address rejected', '250 2.1.5 Accepted'],
    hits: 1,
  },
  {
    name: 'data: 554 once (times=1), the retry is stored',
    short: 'data:*@once.example:554:5.6.0:Message rejected as spam;times=1',
    rule: { stage: 'data', match: { rcptTo: '*@once.example' }, reply: { code: 554, enhancedCode: '5.6.0', text: 'Message rejected as spam' }, times: 1 },
    session: {
      steps: [['ehlo'], ['mail', 'app@example.com'], ['rcpt', 'user@once.example'], ['data', MESSAGE], ['mail', 'app@example.com'], ['rcpt', 'user@once.example'], ['data', MESSAGE]],
    },
    expected: [GREETING, '250', '250 2.1.0 Accepted', '250 2.1.5 Accepted', '554 5.6.0 Message rejected as spam', '250 2.1.0 Accepted', '250 2.1.5 Accepted', QUEUED],
    hits: 1,
  },
  {
    name: 'rcptTo: 452 on every 2nd matching recipient (nth=2)',
    short: 'rcptTo:*@busy.example:452:4.5.3:Too many recipients;nth=2',
    rule: { stage: 'rcptTo', match: { rcptTo: '*@busy.example', nth: 2 }, reply: { code: 452, enhancedCode: '4.5.3', text: 'Too many recipients' } },
    session: { steps: [['ehlo'], ['mail', 'app@example.com'], ['rcpt', 'a@busy.example'], ['rcpt', 'b@busy.example'], ['rcpt', 'c@busy.example'], ['rcpt', 'd@busy.example']] },
    expected: [GREETING, '250', '250 2.1.0 Accepted', '250 2.1.5 Accepted', '452 4.5.3 Too many recipients', '250 2.1.5 Accepted', '452 4.5.3 Too many recipients'],
    hits: 2,
  },
  {
    name: 'mailFrom: delay only (delayMs=50), then the normal reply',
    short: 'mailFrom:*@slow.example:delay;delayMs=50',
    rule: { stage: 'mailFrom', match: { mailFrom: '*@slow.example' }, delayMs: 50 },
    session: { steps: [['ehlo'], ['mail', 'app@slow.example']] },
    expected: [GREETING, '250', '250 2.1.0 Accepted'],
    hits: 1,
  },
  {
    name: 'rcptTo: disconnect without a reply',
    short: 'rcptTo:*@drop.example:disconnect',
    rule: { stage: 'rcptTo', match: { rcptTo: '*@drop.example' }, disconnect: true },
    session: { steps: [['ehlo'], ['mail', 'app@example.com'], ['rcpt', 'user@drop.example']] },
    expected: [GREETING, '250', '250 2.1.0 Accepted', '(closed)'],
    hits: 1,
  },
  {
    name: 'rcptTo: 451 with probability 0.5, replayed by seed 42',
    short: 'rcptTo:*@flaky.example:451:4.3.0:Try again later;probability=0.5',
    rule: { stage: 'rcptTo', match: { rcptTo: '*@flaky.example' }, reply: { code: 451, enhancedCode: '4.3.0', text: 'Try again later' }, probability: 0.5 },
    session: { steps: [['ehlo'], ['mail', 'app@example.com'], ...SEEDED_OUTCOMES.map((_, i): ['rcpt', string] => ['rcpt', `u${i}@flaky.example`])] },
    expected: [GREETING, '250', '250 2.1.0 Accepted', ...SEEDED_OUTCOMES.map((fired) => (fired ? '451 4.3.0 Try again later' : '250 2.1.5 Accepted'))],
    hits: SEEDED_OUTCOMES.filter(Boolean).length,
  },
];

/** Rule fields as given (what `GET /api/faults` must echo back besides id, hits …). */
function given(rule: FaultRule): FaultRuleInput {
  const keys = ['stage', 'match', 'reply', 'delayMs', 'disconnect', 'times', 'probability'] as const;
  return Object.fromEntries(keys.filter((key) => rule[key] !== undefined).map((key) => [key, rule[key]])) as unknown as FaultRuleInput;
}

/**
 * Checks a sink loaded with the table's rules (in table order, seed {@link SEED}): `GET /api/faults`
 * lists them, smtplib sees each scenario's exact transcript, each rule counted its hits, and every
 * refused attempt is in `GET /api/rejections`.
 */
export async function expectFaultTable(target: { smtpPort: number; httpUrl: string }): Promise<void> {
  const before = (await (await fetch(`${target.httpUrl}/api/faults`)).json()) as FaultList;
  expect(before.seed).toBe(SEED);
  expect(before.rules.map(given)).toEqual(FAULT_SCENARIOS.map((s) => s.rule));

  const transcripts = await smtplibSessions(target.smtpPort, FAULT_SCENARIOS.map((s) => s.session));
  const byName = Object.fromEntries(FAULT_SCENARIOS.map((s, i) => [s.name, transcripts[i]]));
  expect(byName).toEqual(Object.fromEntries(FAULT_SCENARIOS.map((s) => [s.name, s.expected])));

  const after = (await (await fetch(`${target.httpUrl}/api/faults`)).json()) as FaultList;
  expect(Object.fromEntries(after.rules.map((r, i) => [FAULT_SCENARIOS[i]!.name, r.hits]))).toEqual(Object.fromEntries(FAULT_SCENARIOS.map((s) => [s.name, s.hits])));
  expect(after.rules.find((r) => r.times === 1)).toMatchObject({ active: false, description: 'data rcptTo matching *@once.example → 554 5.6.0, 0 of 1 left' });

  // Every refusal the clients saw is in the rejection log, with its reply line (null for the drop) and its rule.
  const { rejections } = (await (await fetch(`${target.httpUrl}/api/rejections`)).json()) as RejectionList;
  const seen = FAULT_SCENARIOS.flatMap((s, i) =>
    s.expected.filter((line) => typeof line === 'string' && (/^[45]\d\d /.test(line) || (line === '(closed)' && s.rule.disconnect))).map((line) => `${after.rules[i]!.id} ${line === '(closed)' ? null : line}`),
  );
  expect(rejections.map((r) => `${r.ruleId} ${r.reply}`).sort()).toEqual(seen.sort());
}
