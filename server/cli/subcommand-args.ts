/**
 * `node:util` parseArgs for the subcommands (`mailsink import`, `mailsink probe`), with its errors
 * turned into one line that names the flag, as every bad option of mailsink is reported.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config.js';

/**
 * `parseArgs(config)` (give it `strict` and `allowPositionals`).
 * @throws ConfigError `"<command>: invalid --flag: <reason>"` for an unknown flag or a missing value.
 */
export function parseSubcommandArgs<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments';
    throw new ConfigError(flag, `${command}: invalid ${flag}: ${message.replace(/\. To specify.*$/, '').replace(/ To specify a positional.*$/, '')}`);
  }
}
