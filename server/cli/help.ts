/**
 * The text of `mailsink --help`: what mailsink is, every option with its variable and default
 * (sizes as `50M`), the short syntax of `--fault`, and a few examples.
 */
import { envName, FAULT_FLAGS, OPTIONS } from '../config.js';

const ABOUT = 'mailsink: a local fake SMTP server for development and tests: it accepts every message, keeps it, and shows it in a web inbox and over a REST API.';

const FAULT_SYNTAX = [
  'Fault rules, short syntax (--fault, repeatable; MAILSINK_FAULT one per line):',
  '  STAGE:PATTERN:ACTION[:ENHANCED[:TEXT]][;times=N][;nth=N][;delayMs=MS][;probability=P]',
  '    STAGE    connect | auth | mailFrom | rcptTo | data',
  '    PATTERN  glob (* any run, ? one character) or /regex/ on the client address (connect), the AUTH',
  '             user (auth), the sender (mailFrom) or the recipient (rcptTo, data); empty or * for any',
  '    ACTION   a 4xx/5xx reply code, disconnect, or delay (with delayMs)',
  '    ENHANCED an RFC 3463 code such as 5.1.1 (default: one for the reply code); TEXT the reply text',
];

const EXAMPLES = [
  'Examples:',
  '  mailsink                                   SMTP on 127.0.0.1:1025, web inbox on http://127.0.0.1:8025',
  '  mailsink --smtp-port 2525 --http-port 0    another SMTP port; 0 lets the system pick a free one',
  '  mailsink --max-message-size 10M --auth-required',
  "  mailsink --fault 'rcptTo:*@bounce.example:550:5.1.1;times=1' --fault 'mailFrom::451::Greylisted'",
  '  MAILSINK_HOST=0.0.0.0 MAILSINK_UI_AUTH_FILE=users.txt mailsink      (every option has a variable)',
];

/** A byte count as the largest exact binary unit: `52428800` → `50M`, `1536` → `1536`… `1024` → `1K`. */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** The default of an option as shown in the help. */
function shownDefault(option: (typeof OPTIONS)[number]): string {
  const kind = 'kind' in option ? option.kind : 'value';
  if ('defaultText' in option) return option.defaultText;
  if (kind === 'flag') return 'off';
  if (Array.isArray(option.default)) return option.default.join(',') || '(none)';
  if (typeof option.default === 'number' && /-size|-bytes/.test(option.flag)) return formatByteSize(option.default);
  return option.default === null || option.default === undefined ? '(none)' : String(option.default);
}

/** Help text: one line on what mailsink is, usage, every flag with its variable and default, the fault syntax, examples. */
export function helpText(): string {
  const rows = OPTIONS.map((o) => {
    const kind = 'kind' in o ? o.kind : 'value';
    const note = kind === 'list' ? ' (env: comma-separated)' : kind === 'flag' ? ' (env: true or false)' : '';
    const name = o.flag.length > 18 ? `${o.flag}\n  ${' '.repeat(20)}` : o.flag.padEnd(18);
    return `  --${name} ${o.help}${note}\n  ${' '.repeat(20)} env ${envName(o)}, default ${shownDefault(o)}`;
  });
  const faultRows = Object.entries(FAULT_FLAGS).map(([flag, o]) => `  --${flag.padEnd(18)} ${o.help}\n  ${' '.repeat(20)} env ${o.env}`);
  return [
    ABOUT,
    '',
    'Usage: mailsink [options]',
    '       mailsink import <file.eml|directory> [--smtp-url smtp://127.0.0.1:1025]   (mailsink import --help)',
    '       mailsink probe <smtp://host:port | smtps://host:port> [options]       (mailsink probe --help)',
    '',
    'Options:',
    ...rows,
    ...faultRows,
    `  ${'-h, --help'.padEnd(20)} Show this help`,
    `  ${'-v, --version'.padEnd(20)} Show the version`,
    '',
    ...FAULT_SYNTAX,
    '',
    ...EXAMPLES,
    '',
  ].join('\n');
}
