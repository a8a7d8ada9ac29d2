/**
 * Fault rules from a JSON file: `--faults-file` (or `MAILSINK_FAULTS_FILE`), validated with the
 * same schema as `POST /api/faults`. The built CLI runs the whole rule table from a file; a bad file
 * exits 1 with one line naming the option, the file, the rule index and the field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultList } from '../../server/http/faults-routes.js';
import { runCli, startCli } from '../helpers/cli.js';
import type { CliSink } from '../helpers/cli.js';
import { expectFaultTable, FAULT_SCENARIOS, SEED } from '../helpers/fault-scenarios.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` (JSON-encoded unless a string) to a file in the temporary directory. */
function file(name: string, content: unknown): string {
  const target = path.join(dir, name);
  writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return target;
}

describe('--faults-file', () => {
  let cli: CliSink;
  beforeAll(async () => {
    cli = await startCli(['--faults-file', file('table.json', FAULT_SCENARIOS.map((s) => s.rule)), '--fault-seed', String(SEED)]);
  });
  afterAll(async () => {
    expect(await cli?.stop()).toBe(0);
  });

  it('every stage, times, nth, delay, disconnect and probability work as the table says', async () => {
    await expectFaultTable(cli);
  });
});

describe('MAILSINK_FAULTS_FILE', () => {
  it('is read like --faults-file; its rules are checked before --fault rules', async () => {
    const rules = file('env.json', [{ stage: 'rcptTo', match: { rcptTo: '/^vip-\\d+@example\\.org$/i' }, reply: { code: 450, enhancedCode: '4.2.1', text: 'Mailbox busy' }, times: 2 }]);
    const cli = await startCli(['--fault', 'rcptTo:*:550'], { MAILSINK_FAULTS_FILE: rules });
    try {
      const list = (await (await fetch(`${cli.httpUrl}/api/faults`)).json()) as FaultList;
      expect(list.rules.map((r) => r.description)).toEqual(['rcptTo matching /^vip-\\d+@example\\.org$/i → 450 4.2.1, 2 of 2 left', 'rcptTo → 550']);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });
});

describe('a bad faults file', () => {
  const valid = { stage: 'rcptTo', reply: { code: 550 } };
  const cases: Array<[string, () => string[], (f: string) => string | RegExp]> = [
    ['a wrong type in rule 1', () => ['--faults-file', file('type.json', [valid, { stage: 'rcptTo', reply: { code: '550' } }])], (f) => `invalid --faults-file ${f}: rule 1 field "reply.code": Invalid input: expected number, received string`],
    ['an unknown field in rule 0', () => ['--faults-file', file('unknown.json', [{ ...valid, match: { rcpt: '*@x.example' } }])], (f) => `invalid --faults-file ${f}: rule 0 field "match.rcpt": Unrecognized key: "rcpt"`],
    ['not JSON', () => ['--faults-file', file('broken.json', '[{"stage": "rcptTo",')], (f) => new RegExp(`^mailsink: invalid --faults-file ${f}: not JSON: [^\\n]+\\n$`)],
  ];

  it.concurrent.for(cases)('%s exits 1 with one line naming the option, file, rule and field', async ([, makeArgs, message], { expect }) => {
    const args = makeArgs();
    const result = await runCli(args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const expected = message(args[1]!);
    if (expected instanceof RegExp) expect(result.stderr).toMatch(expected);
    else expect(result.stderr).toBe(`mailsink: ${expected}\n`);
  });

  it('named by MAILSINK_FAULTS_FILE when that is the source', async () => {
    const bad = file('env-bad.json', [{ stage: 'mailFrom', match: { rcptTo: '*' }, reply: { code: 550 } }]);
    const result = await runCli([], { MAILSINK_FAULTS_FILE: bad });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`mailsink: invalid MAILSINK_FAULTS_FILE ${bad}: rule 0 field "match.rcptTo": no RCPT TO is known at the mailFrom stage\n`);
  });
});
