/**
 * The linear glob matcher agrees with the backtracking RegExp it replaced on short random cases
 * (seeded, so a failure replays), and regexes go through RE2JS: flags map, and what RE2 cannot do
 * is refused with a reason. The stall itself is shown over SMTP by
 * test/integration/faults-patterns-linear.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compilePattern, globMatch, PatternError } from '../../server/core/patterns.js';
import { Prng } from '../helpers/prng.js';

const SEED = 20261203;

function reference(glob: string, value: string): boolean {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's').test(value);
}

describe('globMatch', () => {
  it(`agrees with a regex translation on 5,000 random cases (seed ${SEED})`, () => {
    const random = new Prng(SEED);
    const word = (alphabet: string, max: number) => Array.from({ length: random.int(0, max) }, () => random.pick([...alphabet])).join('');
    let matched = 0;
    for (let i = 0; i < 5_000; i++) {
      const glob = word('ab*?.', 8);
      const value = word('ab.', 10);
      const expected = reference(glob, value);
      if (globMatch(glob, value) !== expected) throw new Error(`seed ${SEED}, case ${i}: ${JSON.stringify(glob)} vs ${JSON.stringify(value)} should be ${expected}`);
      if (expected) matched++;
    }
    expect(matched).toBeGreaterThan(500); // both outcomes are exercised
  });

  it('edge cases', () => {
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('?', '')).toBe(false);
    expect(globMatch('a*', 'a')).toBe(true);
    expect(globMatch('*a*a*a*a*a*a*a*b', `${'a'.repeat(5000)}`)).toBe(false);
    expect(globMatch('*a*a*a*a*a*a*a*b', `${'a'.repeat(5000)}b`)).toBe(true);
  });
});

describe('compilePattern', () => {
  it('globs are whole-value and case-insensitive, other characters literal', () => {
    expect(compilePattern('*@Bounce.Example').test('X@bounce.example')).toBe(true);
    expect(compilePattern('a.b@x').test('aXb@x')).toBe(false);
    expect(compilePattern('[a]@x').test('[A]@X')).toBe(true);
  });

  it('regexes: unanchored, flags i s m map to RE2, nested quantifiers finish', () => {
    expect(compilePattern('/bounce/').test('a@bounce.example')).toBe(true);
    expect(compilePattern('/^BOUNCE/i').test('bounce@x')).toBe(true);
    expect(compilePattern('/a.b/').test('a\nb')).toBe(false);
    expect(compilePattern('/a.b/s').test('a\nb')).toBe(true);
    expect(compilePattern('/^b$/m').test('a\nb')).toBe(true);
    expect(compilePattern('/^(a+)+$/').test(`${'a'.repeat(10_000)}@`)).toBe(false);
    expect(compilePattern('/^(?<local>[^@]+)@x$/').test('me@x')).toBe(true);
  });

  it.for([
    ['/(a)\\1/', 'backreferences (\\1, \\k<name>) are not supported: regexes run on a linear-time engine (RE2 syntax)'],
    ['/(?<n>a)\\k<n>/', 'backreferences (\\1, \\k<name>) are not supported: regexes run on a linear-time engine (RE2 syntax)'],
    ['/a(?!b)/', 'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: regexes run on a linear-time engine (RE2 syntax)'],
    ['/(?<=a)b/', 'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: regexes run on a linear-time engine (RE2 syntax)'],
    ['/a{2,1}/', 'invalid /regex/: invalid repeat count: `{2,1}`'],
    ['/a/x', 'regex flag "x" is not supported (use i, s or m)'],
  ] as const)('%s is refused: %s', ([pattern, message]) => {
    expect(() => compilePattern(pattern)).toThrow(new PatternError(message));
  });
});
