/**
 * Fault rules as data and the engine without sockets: the schema and its field-naming errors, the
 * `--fault` short syntax (and that every table rule's short form is its JSON form), patterns,
 * reply texts, descriptions, the seeded generator, and the engine's order, `times`, `nth` and
 * `probability`. The same rules over real sockets are in `test/integration/faults-*.test.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromCli } from '../../server/config.js';
import type { FaultRule, SinkEvent } from '../../server/contract.js';
import { EventBus } from '../../server/core/events.js';
import { describeRule, FaultRuleError, parseShortFault, replyText, validateFaultRules } from '../../server/core/fault-rules.js';
import { compilePattern } from '../../server/core/patterns.js';
import type { FaultContext } from '../../server/core/faults.js';
import { FaultEngine, seededRandom } from '../../server/core/faults.js';
import { FAULT_SCENARIOS } from '../helpers/fault-scenarios.js';

describe('parseShortFault', () => {
  it.for([
    ['rcptTo:*@bounce.example:550:5.1.1', { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1' } }],
    ['rcptTo:*@bounce.example:550:5.1.1:Recipient address rejected', { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'Recipient address rejected' } }],
    ['mailFrom::451::Greylisted: come back later', { stage: 'mailFrom', reply: { code: 451, text: 'Greylisted: come back later' } }],
    ['connect:*:421', { stage: 'connect', reply: { code: 421 } }],
    ['connect:10.0.0.*:disconnect', { stage: 'connect', match: { remoteAddress: '10.0.0.*' }, disconnect: true }],
    ['auth:bob:535;times=2', { stage: 'auth', match: { authUser: 'bob' }, reply: { code: 535 }, times: 2 }],
    ['data:*@example.org:delay;delayMs=250', { stage: 'data', match: { rcptTo: '*@example.org' }, delayMs: 250 }],
    ['rcptTo:*:452;nth=3;probability=0.25;', { stage: 'rcptTo', match: { nth: 3 }, reply: { code: 452 }, probability: 0.25 }],
    ['rcptTo:/^a\\d+@/:450:4.2.1;delayMs=10', { stage: 'rcptTo', match: { rcptTo: '/^a\\d+@/' }, reply: { code: 450, enhancedCode: '4.2.1' }, delayMs: 10 }],
  ] as const)('%s', ([spec, rule]) => {
    expect(parseShortFault(spec)).toEqual(rule);
    expect(validateFaultRules(parseShortFault(spec))).toEqual([rule]);
  });

  it('every rule of the integration table: the short form is the JSON form', () => {
    for (const scenario of FAULT_SCENARIOS) expect(validateFaultRules(parseShortFault(scenario.short)), scenario.short).toEqual([scenario.rule]);
  });

  it.for([
    ['rcpt:*:550', 'stage', '"rcpt:*:550": stage must be one of connect, auth, mailFrom, rcptTo, data'],
    ['rcptTo:*:bounce', 'reply.code', '"rcptTo:*:bounce": action must be a reply code, disconnect or delay'],
    ['rcptTo:*:550;times', 'times', '"rcptTo:*:550;times": option times needs a number, got ""'],
    ['rcptTo:*:550;times=x', 'times', '"rcptTo:*:550;times=x": option times needs a number, got "x"'],
    ['rcptTo:*:550;count=1', 'count', '"rcptTo:*:550;count=1": unknown option "count=1" (expected times=, delayMs=, nth= or probability=)'],
  ] as const)('%s → FaultRuleError on %s', ([spec, field, message]) => {
    expect(() => parseShortFault(spec)).toThrow(new FaultRuleError(message, field, null));
    try {
      parseShortFault(spec);
    } catch (err) {
      expect(err).toMatchObject({ field, index: null });
    }
  });
});

describe('validateFaultRules', () => {
  const error = (input: unknown) => {
    try {
      validateFaultRules(input);
    } catch (err) {
      if (err instanceof FaultRuleError) return { message: err.message, field: err.field, index: err.index };
      throw err;
    }
    throw new Error('expected a FaultRuleError');
  };

  it('names the field, and the index for a list', () => {
    expect(error({ stage: 'rcptTo', reply: { code: 200 } })).toEqual({ message: 'rule field "reply.code": expected a 4xx or 5xx reply code', field: 'reply.code', index: null });
    expect(error([{ stage: 'data', delayMs: 1 }, { stage: 'data', delayMs: 1.5 }])).toEqual({ message: 'rule 1 field "delayMs": Invalid input: expected int, received number', field: 'delayMs', index: 1 });
    expect(error({ stage: 'rcptTo', reply: { code: 550 }, match: { rcpt: 'x' } })).toMatchObject({ field: 'match.rcpt' });
    expect(error({ stage: 'rcptTo', reply: { code: 550, txt: 'x' } })).toMatchObject({ field: 'reply.txt' });
    expect(error({ stage: 'rcptTo', reply: { code: 550 }, retry: true })).toMatchObject({ field: 'retry', message: 'rule field "retry": Unrecognized key: "retry"' });
    expect(error('rcptTo:*:550')).toMatchObject({ field: 'rule' });
  });

  it.for([
    [{ stage: 'rcptTo' }, 'reply', 'a rule needs a reply, disconnect: true or delayMs'],
    [{ stage: 'rcptTo', reply: { code: 550 }, disconnect: true }, 'disconnect', 'a rule either replies or disconnects, not both'],
    [{ stage: 'rcptTo', reply: { code: 550, enhancedCode: '4.1.1' } }, 'reply.enhancedCode', 'class must match the reply code (4.x.x for 4xx, 5.x.x for 5xx)'],
    [{ stage: 'rcptTo', reply: { code: 550, text: 'two\nlines' } }, 'reply.text', 'must be one line'],
    [{ stage: 'mailFrom', match: { subject: 'x' }, reply: { code: 550 } }, 'match.subject', 'subject can only be matched at the data stage'],
    [{ stage: 'connect', match: { mailFrom: 'x' }, reply: { code: 550 } }, 'match.mailFrom', 'no MAIL FROM is known at the connect stage'],
    [{ stage: 'auth', match: { rcptTo: 'x' }, reply: { code: 550 } }, 'match.rcptTo', 'no RCPT TO is known at the auth stage'],
    [{ stage: 'connect', match: { authUser: 'x' }, reply: { code: 550 } }, 'match.authUser', 'no AUTH user is known at the connect stage'],
    [{ stage: 'rcptTo', match: { rcptTo: '/[/' }, reply: { code: 550 } }, 'match.rcptTo', 'invalid /regex/: missing closing ]: `[`'],
    [{ stage: 'rcptTo', match: { rcptTo: '/^(a)\\1$/' }, reply: { code: 550 } }, 'match.rcptTo', 'backreferences (\\1, \\k<name>) are not supported: regexes run on a linear-time engine (RE2 syntax)'],
    [{ stage: 'rcptTo', match: { rcptTo: '/^a(?=b)/' }, reply: { code: 550 } }, 'match.rcptTo', 'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: regexes run on a linear-time engine (RE2 syntax)'],
    [{ stage: 'rcptTo', match: { rcptTo: '/a/v' }, reply: { code: 550 } }, 'match.rcptTo', 'regex flag "v" is not supported (use i, s or m)'],
    [{ stage: 'rcptTo', match: { rcptTo: '' }, reply: { code: 550 } }, 'match.rcptTo', 'expected a glob such as *@bounce.example or a /regex/'],
    [{ stage: 'rcptTo', reply: { code: 550 }, probability: -0.1 }, 'probability', 'Too small: expected number to be >=0'],
    [{ stage: 'rcptTo', reply: { code: 550 }, times: 0 }, 'times', 'Too small: expected number to be >=1'],
  ] as const)('%j → %s', ([rule, field, message]) => {
    expect(error(rule)).toEqual({ message: `rule field "${field}": ${message}`, field, index: null });
  });
});

describe('patterns, reply texts, descriptions', () => {
  it('globs are whole-string and case-insensitive; /regex/flags are regexes', () => {
    const glob = compilePattern('*@Bounce.example')!;
    expect(['a@bounce.example', 'A.B@BOUNCE.EXAMPLE'].map((v) => glob.test(v))).toEqual([true, true]);
    expect(['a@bounce.example.org', 'a@bounceXexample'].map((v) => glob.test(v))).toEqual([false, false]);
    expect(compilePattern('user?@x')!.test('user1@x')).toBe(true);
    expect(compilePattern('a+b@(x)')!.test('a+b@(x)')).toBe(true);
    expect(compilePattern('/^vip-\\d+@/i')!.test('VIP-12@example.org')).toBe(true);
    expect(compilePattern('/^vip-\\d+@/')!.test('VIP-12@example.org')).toBe(false);
    expect(() => compilePattern('/(/')).toThrow('invalid /regex/: missing closing ): `(`');
  });

  it('default texts per code, enhanced code first (a default one per reply code when the rule names none)', () => {
    expect(replyText({ code: 550, enhancedCode: '5.1.1', text: 'Recipient address rejected' })).toBe('5.1.1 Recipient address rejected');
    expect(replyText({ code: 421 })).toBe('4.3.2 Service not available, closing transmission channel');
    expect(replyText({ code: 550, text: 'No such user' })).toBe('5.1.1 No such user');
    expect(replyText({ code: 552 })).toBe('5.3.4 Requested mail action aborted: exceeded storage allocation');
    expect(replyText({ code: 451, text: '4.7.1 Greylisted' })).toBe('4.7.1 Greylisted'); // the text already has one
    expect(replyText({ code: 452, enhancedCode: '4.2.2' })).toBe('4.2.2 Requested action not taken: insufficient system storage');
    expect(replyText({ code: 535, enhancedCode: '5.7.8' })).toBe('5.7.8 Authentication credentials invalid');
    expect(replyText({ code: 499 })).toBe('4.0.0 Temporary failure');
    expect(replyText({ code: 599 })).toBe('5.0.0 Permanent failure');
  });

  it('one line describing each rule', () => {
    const base = { id: 'r1', createdAt: '2025-01-01T00:00:00.000Z', hits: 0, matched: 0 };
    expect(describeRule({ ...base, stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1' }, times: 1 })).toBe('rcptTo matching *@bounce.example → 550 5.1.1, 1 of 1 left');
    expect(describeRule({ ...base, hits: 1, stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1' }, times: 1 })).toBe('rcptTo matching *@bounce.example → 550 5.1.1, 0 of 1 left');
    expect(describeRule({ ...base, stage: 'data', match: { subject: '*invoice*', rcptTo: '*@x' }, delayMs: 200, reply: { code: 451 } })).toBe('data subject matching *invoice* rcptTo matching *@x → delay 200 ms then 451');
    expect(describeRule({ ...base, stage: 'connect', disconnect: true, probability: 0.1 })).toBe('connect → disconnect, probability 0.1');
    expect(describeRule({ ...base, stage: 'rcptTo', match: { nth: 3 }, reply: { code: 452 } })).toBe('rcptTo → 452, every 3rd');
    expect(describeRule({ ...base, stage: 'rcptTo', match: { nth: 12 }, reply: { code: 452 } })).toBe('rcptTo → 452, every 12th');
  });
});

describe('seededRandom (mulberry32)', () => {
  it('is a fixed sequence per seed, so a run can be replayed from its seed', () => {
    const first = (seed: number, n: number) => {
      const next = seededRandom(seed);
      return Array.from({ length: n }, () => next());
    };
    expect(first(1, 3)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    expect(first(42, 100)).toEqual(first(42, 100));
    expect(first(43, 100)).not.toEqual(first(42, 100));
    expect(first(42, 1000).every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('FaultEngine', () => {
  const context = (over: Partial<FaultContext> = {}): FaultContext => ({ remoteAddress: '127.0.0.1', authUser: null, mailFrom: 'app@example.com', rcptTo: ['a@example.org'], ...over });
  const engine = (rules: unknown[], seed = 1) => {
    const events = new EventBus();
    const received: SinkEvent[] = [];
    events.subscribe((e) => received.push(e));
    const faults = new FaultEngine(events, seed);
    faults.add(validateFaultRules(rules));
    return { faults, received };
  };

  it('checks rules in order: the first live match fires; retired rules let later ones fire', () => {
    const { faults } = engine([
      { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1' }, times: 1 },
      { stage: 'rcptTo', reply: { code: 451 } },
    ]);
    expect(faults.evaluate('mailFrom', context())).toBeNull();
    expect(faults.evaluate('rcptTo', context({ rcptTo: ['x@bounce.example'] }))?.reply).toEqual({ code: 550, message: '5.1.1 Requested action not taken: mailbox unavailable' });
    expect(faults.evaluate('rcptTo', context({ rcptTo: ['x@bounce.example'] }))?.reply).toEqual({ code: 451, message: '4.3.0 Requested action aborted: local error in processing' });
    expect(faults.list().map((r: FaultRule) => [r.hits, r.active])).toEqual([[1, false], [1, true]]);
  });

  it('nth fires on every n-th matching command; non-matching commands do not count', () => {
    const { faults } = engine([{ stage: 'rcptTo', match: { rcptTo: '*@busy.example', nth: 2 }, reply: { code: 452 } }]);
    const fired = ['a@busy.example', 'x@other.example', 'b@busy.example', 'c@busy.example', 'd@busy.example'].map((rcpt) => faults.evaluate('rcptTo', context({ rcptTo: [rcpt] })) !== null);
    expect(fired).toEqual([false, false, true, false, true]);
    expect(faults.list()[0]).toMatchObject({ matched: 4, hits: 2 });
  });

  it('probability draws from the seeded generator only for matching commands', () => {
    const draws = seededRandom(42);
    const expected = Array.from({ length: 20 }, () => draws() < 0.3);
    const { faults } = engine([{ stage: 'rcptTo', match: { rcptTo: '*@flaky.example' }, reply: { code: 451 }, probability: 0.3 }], 42);
    const fired: boolean[] = [];
    for (let i = 0; i < 20; i++) {
      expect(faults.evaluate('rcptTo', context({ rcptTo: ['steady@example.org'] }))).toBeNull();
      fired.push(faults.evaluate('rcptTo', context({ rcptTo: [`u${i}@flaky.example`] })) !== null);
    }
    expect(fired).toEqual(expected);
  });

  it('matches every given field; at data, any accepted recipient', () => {
    const { faults } = engine([{ stage: 'data', match: { mailFrom: 'app@*', rcptTo: '*@full.example', subject: '/invoice/i' }, reply: { code: 452 } }]);
    expect(faults.evaluate('data', context({ rcptTo: ['a@example.org', 'b@full.example'], subject: 'Your INVOICE' }))).not.toBeNull();
    expect(faults.evaluate('data', context({ rcptTo: ['a@example.org', 'b@full.example'], subject: 'hello' }))).toBeNull();
    expect(faults.evaluate('data', context({ rcptTo: ['a@example.org'], subject: 'invoice' }))).toBeNull();
    expect(faults.evaluate('data', context({ mailFrom: 'other@example.com', rcptTo: ['b@full.example'], subject: 'invoice' }))).toBeNull();
  });

  it('publishes faults.changed on changes and fault.triggered when a rule fires', () => {
    const { faults, received } = engine([{ stage: 'connect', delayMs: 5 }]);
    const [rule] = faults.list();
    faults.evaluate('connect', context({ remoteAddress: '10.0.0.7' }));
    expect(faults.remove('nope')).toBe(false);
    expect(faults.remove(rule!.id)).toBe(true);
    expect(received.map((e) => e.type)).toEqual(['faults.changed', 'fault.triggered', 'faults.changed']);
    expect(received[1]).toEqual({ type: 'fault.triggered', seq: 2, ruleId: rule!.id, stage: 'connect', code: null, disconnect: false, remoteAddress: '10.0.0.7' });
  });
});

describe('configFromCli fault options', () => {
  const fail = (argv: string[], env: Record<string, string> = {}) => {
    try {
      configFromCli(argv, env);
    } catch (err) {
      if (err instanceof ConfigError) return { option: err.option, message: err.message };
      throw err;
    }
    throw new Error('expected a ConfigError');
  };

  it('--fault rules follow --faults-file rules; MAILSINK_FAULT is ignored when --fault is given', () => {
    const request = configFromCli(['--fault', 'rcptTo:*:550', '--fault', 'connect:*:421', '--fault-seed', '9'], { MAILSINK_FAULT: 'auth:*:535' });
    expect(request).toMatchObject({ kind: 'run', config: { faultSeed: 9, faults: [{ stage: 'rcptTo' }, { stage: 'connect' }] } });
  });

  it('a bad rule names the option, the rule and the field', () => {
    expect(fail(['--fault', 'rcptTo:*:550', '--fault', 'rcptTo:*:550:4.1.1'])).toEqual({ option: '--fault', message: 'invalid --fault "rcptTo:*:550:4.1.1": rule field "reply.enhancedCode": class must match the reply code (4.x.x for 4xx, 5.x.x for 5xx)' });
    expect(fail([], { MAILSINK_FAULT: 'data:*:554;nth=0' })).toEqual({ option: 'MAILSINK_FAULT', message: 'invalid MAILSINK_FAULT "data:*:554;nth=0": rule field "match.nth": Too small: expected number to be >=1' });
    expect(fail(['--fault', 'rcpt:*:550'])).toEqual({ option: '--fault', message: 'invalid --fault "rcpt:*:550": stage must be one of connect, auth, mailFrom, rcptTo, data' });
    expect(fail(['--fault', 'rcptTo:*:550;tries=2'])).toEqual({ option: '--fault', message: 'invalid --fault "rcptTo:*:550;tries=2": unknown option "tries=2" (expected times=, delayMs=, nth= or probability=)' });
    expect(fail(['--fault=rcptTo:*:550;probability=2'])).toEqual({ option: '--fault', message: 'invalid --fault "rcptTo:*:550;probability=2": rule field "probability": Too big: expected number to be <=1' });
    expect(fail(['--fault-seed=-1'])).toEqual({ option: '--fault-seed', message: 'invalid --fault-seed: Too small: expected number to be >=0 (got "-1")' });
  });

  it('a bad --faults-file names the option, the file, the rule index and the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-unit-'));
    try {
      const write = (name: string, content: string) => {
        writeFileSync(path.join(dir, name), content);
        return path.join(dir, name);
      };
      const top = write('top.json', JSON.stringify([{ stage: 'connect', delayMs: 1 }, { stage: 'rcptTo', reply: { code: 550 }, retries: 1 }]));
      expect(fail(['--faults-file', top])).toEqual({ option: '--faults-file', message: `invalid --faults-file ${top}: rule 1 field "retries": Unrecognized key: "retries"` });
      const single = write('single.json', JSON.stringify({ stage: 'rcptTo', reply: { code: 550 } }));
      expect(fail(['--faults-file', single])).toEqual({ option: '--faults-file', message: `invalid --faults-file ${single}: expected a JSON array of fault rules` });
      const missing = path.join(dir, 'missing.json');
      expect(fail([], { MAILSINK_FAULTS_FILE: missing })).toEqual({ option: 'MAILSINK_FAULTS_FILE', message: `invalid MAILSINK_FAULTS_FILE: cannot read ${missing}: ENOENT` });
      const good = write('good.json', JSON.stringify([{ stage: 'auth', reply: { code: 535 } }]));
      expect(configFromCli(['--faults-file', good, '--fault', 'rcptTo:*:550'], {})).toMatchObject({ config: { faults: [{ stage: 'auth' }, { stage: 'rcptTo' }] } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
