/**
 * The patterns of fault rules, matched in time linear in the input so that no rule can stall the
 * sink (a backtracking `RegExp` took 118 s on `*a*a*a*a*a*a*a*b` against an 80-character address,
 * and `/^(a+)+$/` never finished):
 *
 * - a glob (`*` any run of characters, `?` one UTF-16 code unit, case-insensitive, whole value) is
 *   matched by the two-pointer wildcard algorithm: at most O(pattern × value) steps, no recursion;
 * - a `/regex/flags` is compiled by RE2JS (a port of RE2: automata, no backtracking), which has no
 *   backreferences or lookaround; such a regex is refused when the rule is made, not when it runs.
 */
import { RE2JS } from 're2js';

/** A compiled pattern: `test` says whether a value matches (a regex may match anywhere in it). */
export interface Pattern {
  test(value: string): boolean;
}

/** Why a pattern cannot be used (one line for the API's 400 or the CLI's exit message). */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

/** JS regex flags and their RE2JS equivalents; `g`, `y`, `d` and `u` change nothing for a yes/no test (RE2JS is always Unicode-aware). */
const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, s: RE2JS.DOTALL, m: RE2JS.MULTILINE, g: 0, y: 0, d: 0, u: 0 };

/**
 * Compiles `/regex/flags` (RE2 syntax, the JS subset without backreferences and lookaround) or a glob.
 * @throws PatternError for a malformed regex, an unknown flag, or a regex feature RE2 cannot do.
 */
export function compilePattern(value: string): Pattern {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(value);
  if (!regex) return globPattern(value);
  const [, source = '', flagText = ''] = regex;
  let flags = 0;
  for (const flag of flagText) {
    const bit = FLAGS[flag];
    if (bit === undefined) throw new PatternError(`regex flag "${flag}" is not supported (use i, s or m)`);
    flags |= bit;
  }
  try {
    const re = RE2JS.compile(source, flags);
    return { test: (input) => re.test(input) };
  } catch (err) {
    throw new PatternError(unsupportedFeature(source) ?? `invalid /regex/: ${err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err)}`);
  }
}

/** A friendlier reason for what RE2 refuses by design (it matches in linear time, so it has no backtracking features). */
function unsupportedFeature(source: string): string | null {
  const why = 'regexes run on a linear-time engine (RE2 syntax)';
  if (/\(\?<?[=!]/.test(source)) return `lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: ${why}`;
  if (/\\[1-9]|\\k</.test(source)) return `backreferences (\\1, \\k<name>) are not supported: ${why}`;
  return null;
}

/** A case-insensitive glob over the whole value. */
function globPattern(glob: string): Pattern {
  const pattern = glob.toLowerCase();
  return { test: (value) => globMatch(pattern, value.toLowerCase()) };
}

/**
 * Whether `value` matches `pattern` (`*` any run, `?` one code unit, everything else literal).
 * Greedy two-pointer matching: on a mismatch, go back to the last `*` and let it swallow one more
 * character. Only the last `*` is ever revisited, which is enough because any earlier `*` could
 * only give up characters that the later one can also take. O(|pattern| × |value|) worst case.
 */
export function globMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = v;
    } else if (c !== undefined && (c === '?' || c === value[v])) {
      p++;
      v++;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
