/**
 * Command-line words → flag values, with errors a new user can act on: node's `parseArgs` with a
 * value that begins with a dash (`--smtp-port -5`) taken as the value (then checked by the option's
 * schema), an unknown flag answered with the nearest known one and a pointer to `--help`, and a
 * warning for a `MAILSINK_*` variable no option reads.
 */
import { parseArgs } from 'node:util';

/** A flag as `parseArgs` takes it. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}

/** Parsed flag values by flag name (without dashes). */
export type FlagValues = Record<string, string | string[] | boolean | undefined>;

/** Thrown for words that are not valid flags; `option` is the flag at fault (or `arguments`), `message` one line. */
export class FlagError extends Error {
  readonly option: string;
  constructor(option: string, message: string) {
    super(message);
    this.name = 'FlagError';
    this.option = option;
  }
}

/**
 * Parses `argv` against `specs` (strict, no positionals). A word after a string flag is its value
 * even when it begins with a dash, unless it is itself a known flag (`--smtp-port --host x` still
 * says `--smtp-port` needs a value).
 *
 * @throws FlagError naming the flag: unknown (with the nearest known flag within a few edits),
 *   missing value, value given to a switch, or a stray word.
 */
export function parseFlags(argv: readonly string[], specs: Readonly<Record<string, FlagSpec>>): FlagValues {
  const known = knownWords(specs);
  const args: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i]!;
    const next = argv[i + 1];
    const spec = word.startsWith('--') && !word.includes('=') ? specs[word.slice(2)] : undefined;
    if (spec?.type === 'string' && next !== undefined && next.startsWith('-') && !known.has(next.split('=')[0]!)) {
      args.push(`${word}=${next}`);
      i += 1;
    } else {
      args.push(word);
    }
  }
  try {
    return parseArgs({ args, options: specs, strict: true, allowPositionals: false }).values as FlagValues;
  } catch (err) {
    throw translate(err, specs);
  }
}

function knownWords(specs: Readonly<Record<string, FlagSpec>>): Set<string> {
  const words = new Set<string>();
  for (const [name, spec] of Object.entries(specs)) {
    words.add(`--${name}`);
    if (spec.short) words.add(`-${spec.short}`);
  }
  return words;
}

const HELP_HINT = '(mailsink --help lists every option)';

/** Turns a `parseArgs` error into one line naming the flag. */
function translate(err: unknown, specs: Readonly<Record<string, FlagSpec>>): FlagError {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  const code = (err as { code?: string }).code;
  const flag = /'(--?[^'\s=]+)/.exec(message)?.[1] ?? 'arguments';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const suggestion = nearestFlag(flag, Object.keys(specs));
    return new FlagError(flag, `unknown option ${flag}${suggestion ? `; did you mean ${suggestion}?` : ''} ${HELP_HINT}`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const word = /'([^']*)'/.exec(message)?.[1] ?? '';
    return new FlagError('arguments', `unexpected argument ${JSON.stringify(word)}: options take the form --name value ${HELP_HINT}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const switchFlag = specs[flag.replace(/^--/, '')]?.type === 'boolean';
    return new FlagError(flag, `invalid ${flag}: ${switchFlag ? 'it is a switch and takes no value' : 'it needs a value'} ${HELP_HINT}`);
  }
  return new FlagError(flag, `invalid ${flag}: ${message} ${HELP_HINT}`);
}

/** The known flag (`--name`) nearest to `word`, or `null` when none is within edit distance 3. */
export function nearestFlag(word: string, names: readonly string[]): string | null {
  const bare = word.replace(/^-+/, '').toLowerCase();
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const distance = editDistance(bare, name);
    if (distance <= Math.min(3, Math.max(1, Math.floor(name.length / 3))) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best ? `--${best.name}` : null;
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (optimal string alignment), O(a·b). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * One warning line for each `MAILSINK_*` variable in `env` that no option reads (a typo would
 * otherwise be ignored in silence), with the nearest known variable when there is one.
 */
export function unknownEnvironmentWarnings(env: Readonly<Record<string, string | undefined>>, known: readonly string[]): string[] {
  const knownSet = new Set(known);
  return Object.keys(env)
    .filter((name) => name.startsWith('MAILSINK_') && !knownSet.has(name))
    .sort()
    .map((name) => {
      const nearest = nearestFlag(name.slice('MAILSINK_'.length).toLowerCase().replace(/_/g, '-'), known.map((k) => k.slice('MAILSINK_'.length).toLowerCase().replace(/_/g, '-')));
      const hint = nearest ? `; did you mean MAILSINK_${nearest.slice(2).toUpperCase().replace(/-/g, '_')}?` : '';
      return `warning: ignoring unknown environment variable ${name}${hint} ${HELP_HINT}`;
    });
}
