/**
 * Fault rules from the command line: `--fault` (short syntax, repeatable) and `MAILSINK_FAULT`
 * (one rule a line), with `--fault-seed`. The built CLI runs the whole rule table; a bad rule exits
 * 1 with one line naming the option, the rule and the field (every message of the short syntax and
 * the schema is checked in-process by test/unit/fault-rules.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultList } from '../../server/http/faults-routes.js';
import { runCli, startCli } from '../helpers/cli.js';
import type { CliSink } from '../helpers/cli.js';
import { expectFaultTable, FAULT_SCENARIOS, SEED } from '../helpers/fault-scenarios.js';

describe('--fault', () => {
  let cli: CliSink;
  beforeAll(async () => {
    cli = await startCli([...FAULT_SCENARIOS.flatMap((s) => ['--fault', s.short]), '--fault-seed', String(SEED)]);
  });
  afterAll(async () => {
    expect(await cli?.stop()).toBe(0);
  });

  it('every stage, times, nth, delay, disconnect and probability work as the table says', async () => {
    await expectFaultTable(cli);
  });

  it('logs each fired rule with its description', () => {
    expect(cli.stderr()).toMatch(/fault \S+ \(rcptTo matching \*@bounce\.example → 550 5\.1\.1\) fired for 127\.0\.0\.1/);
  });
});

describe('MAILSINK_FAULT and MAILSINK_FAULT_SEED', () => {
  it('take one rule a line and the seed', async () => {
    const cli = await startCli([], { MAILSINK_FAULT: 'rcptTo:*@bounce.example:550:5.1.1\n\nmailFrom:*@slow.example:delay;delayMs=50\n', MAILSINK_FAULT_SEED: '7' });
    try {
      const list = (await (await fetch(`${cli.httpUrl}/api/faults`)).json()) as FaultList;
      expect(list.seed).toBe(7);
      expect(list.rules.map((r) => r.description)).toEqual(['rcptTo matching *@bounce.example → 550 5.1.1', 'mailFrom matching *@slow.example → delay 50 ms']);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });
});

describe('a bad --fault', () => {
  const cases: Array<[string[], Record<string, string>, string]> = [
    [['--fault', 'rcptTo:*@bounce.example:650'], {}, 'mailsink: invalid --fault "rcptTo:*@bounce.example:650": rule field "reply.code": expected a 4xx or 5xx reply code'],
    [['--fault', 'rcptTo:*:550', '--fault', 'connect:*:421;nth=0'], {}, 'mailsink: invalid --fault "connect:*:421;nth=0": rule field "match.nth": Too small: expected number to be >=1'],
    [['--fault', 'rcptTo:/^(a)\\1@/:550'], {}, 'mailsink: invalid --fault "rcptTo:/^(a)\\1@/:550": rule field "match.rcptTo": backreferences (\\1, \\k<name>) are not supported: regexes run on a linear-time engine (RE2 syntax)'],
    [[], { MAILSINK_FAULT: 'rcptTo:*:550\nauth:*:250' }, 'mailsink: invalid MAILSINK_FAULT "auth:*:250": rule field "reply.code": expected a 4xx or 5xx reply code'],
  ];

  it.concurrent.for(cases)('%j %j exits 1 with one line naming the option, rule and field', async ([args, env, line], { expect }) => {
    const result = await runCli(args, env);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${line}\n`);
  });
});
