/**
 * `mailsink import <file.eml|dir> [--smtp-url smtp://127.0.0.1:1025] [--mail-from a] [--rcpt-to b …]`:
 * sends .eml files to a running sink (or any SMTP server) to reproduce a user's message. The
 * envelope comes from each message's headers (Return-Path or From; To, Cc, Bcc) unless given.
 * Prints one line per file; exits 1 when any file could not be sent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.js';
import { envelopeFromHeaders } from '../core/import.js';
import { factsOf, parseMessage } from '../core/parse.js';
import { parseSmtpUrl, sendMessage } from './smtp-send.js';
import { parseSubcommandArgs } from './subcommand-args.js';
import type { SmtpTarget } from './smtp-send.js';

/** Default target: a sink on its default SMTP port. */
export const DEFAULT_SMTP_URL = 'smtp://127.0.0.1:1025';

/** Help of the subcommand. */
export const IMPORT_HELP = `Usage: mailsink import <file.eml|directory> [options]

Sends each .eml file (a directory: every *.eml in it, by name) to a running mailsink over SMTP.
The envelope comes from the headers (Return-Path or From; To, Cc and Bcc) unless given.

Options:
  --smtp-url <url>     Where to send, default ${DEFAULT_SMTP_URL}
  --mail-from <addr>   Envelope sender for every file
  --rcpt-to <addr>     Envelope recipient for every file, repeatable
  -h, --help           Show this help
`;

/** What the command line asked for. */
export interface ImportRequest {
  files: string[];
  target: SmtpTarget;
  smtpUrl: string;
  mailFrom: string | undefined;
  rcptTo: string[] | undefined;
}

/**
 * Reads the subcommand's arguments (after `import`).
 * @returns `'help'` for `--help`.
 * @throws ConfigError (one line naming the option or argument) for a bad flag, URL or path.
 */
export function importRequestFromCli(argv: readonly string[]): ImportRequest | 'help' {
  const parsed = parseSubcommandArgs('import', {
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { 'smtp-url': { type: 'string' }, 'mail-from': { type: 'string' }, 'rcpt-to': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
  });
  if (parsed.values.help) return 'help';
  if (parsed.positionals.length !== 1) throw new ConfigError('path', `import: expected one .eml file or directory, got ${parsed.positionals.length} (mailsink import --help)`);
  const smtpUrl = parsed.values['smtp-url'] ?? DEFAULT_SMTP_URL;
  let target: SmtpTarget;
  try {
    target = parseSmtpUrl(smtpUrl);
  } catch (err) {
    throw new ConfigError('--smtp-url', `import: invalid --smtp-url: ${(err as Error).message}`);
  }
  return { files: emlFiles(parsed.positionals[0]!), target, smtpUrl, mailFrom: parsed.values['mail-from'], rcptTo: parsed.values['rcpt-to'] };
}

/** The file itself, or every `*.eml` directly in the directory, sorted by name. */
function emlFiles(target: string): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch (err) {
    throw new ConfigError('path', `import: cannot read ${target}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!stat.isDirectory()) return [target];
  const files = readdirSync(target).filter((name) => name.toLowerCase().endsWith('.eml')).sort().map((name) => path.join(target, name));
  if (files.length === 0) throw new ConfigError('path', `import: no .eml files in ${target}`);
  return files;
}

/**
 * Sends every file; writes one line per file to `out` (sent) or `err` (failed).
 * @returns The exit status: 0 when all were sent, 1 otherwise.
 */
export async function runImport(request: ImportRequest, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let sent = 0;
  for (const file of request.files) {
    try {
      const raw = readFileSync(file);
      const envelope = envelopeFromHeaders(factsOf(await parseMessage(raw)), { mailFrom: request.mailFrom, rcptTo: request.rcptTo });
      const reply = await sendMessage(request.target, envelope, raw);
      out(`${file}: ${reply}`);
      sent += 1;
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const reason = e.code === 'ECONNREFUSED' ? `cannot connect to ${request.smtpUrl}: ${e.message}` : (e.message ?? String(error));
      err(`mailsink: import ${file}: ${reason}`);
      if (e.code === 'ECONNREFUSED') return 1;
    }
  }
  out(`mailsink import: ${sent} of ${request.files.length} ${request.files.length === 1 ? 'message' : 'messages'} sent to ${request.smtpUrl}`);
  return sent === request.files.length ? 0 : 1;
}
