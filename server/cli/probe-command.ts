/**
 * `mailsink probe smtp://host:port [options]`: tests an SMTP server stage by stage and prints a
 * report (or `--json`). Exit codes follow the first failing stage (see `mailsink probe --help`).
 * AUTH credentials come from `--auth user:pass` or `MAILSINK_PROBE_AUTH` and are masked everywhere.
 */
import { parseDurationMs } from '../config-schemas.js';
import { ConfigError } from '../config.js';
import type { ProbeOptions } from '../probe/probe.js';
import { exitCodeHelp } from '../probe/render.js';
import { parseProbeTarget } from '../probe/target.js';
import { parseSubcommandArgs } from './subcommand-args.js';

/** Help of the subcommand. */
export const PROBE_HELP = `Usage: mailsink probe <smtp://host:port | smtps://host:port> [options]

Tests an SMTP server the way a sending app meets it: connect, banner, EHLO, STARTTLS or implicit
TLS (protocol, cipher, certificate chain, names, expiry), AUTH, MAIL FROM, RCPT TO, DATA with
--send, QUIT. Each stage is timed; findings are graded pass / warn / fail; refused replies are
explained (likely cause, what to do).

Options:
  --starttls <mode>      require | try (default) | never: STARTTLS on a plain connection
  --auth <user:pass>     Authenticate (PLAIN, LOGIN or CRAM-MD5); env MAILSINK_PROBE_AUTH
  --from <address>       MAIL FROM address (default probe@example.com)
  --to <address>         RCPT TO address, repeatable (default postmaster@<host>)
  --send                 Send one small test message (DATA) instead of RSET after RCPT TO
  --timeout <duration>   Longest wait for each stage: 10s (default), 500ms, 1m; a bare number is seconds
  --open-relay           Also try to relay from a foreign sender to a foreign recipient, without AUTH
  --dns <domain>         Check MX, SPF (10-lookup limit), DMARC, MTA-STS, TLS-RPT and the server's PTR
  --dns-server <host[:port]>  DNS server for --dns (default: the system resolver)
  --ehlo <name>          Name to give in EHLO (default: this machine's host name)
  --json                 Print one JSON object (schema: README "Testing a real SMTP server")
  --no-transcript        Leave the session transcript out of the text report
  --no-color             No colours (also NO_COLOR=1; colours only on a terminal anyway)
  -h, --help             Show this help

${exitCodeHelp()}

Examples:
  mailsink probe smtp://127.0.0.1:1025
  mailsink probe smtp://mail.example.org:587 --starttls require --auth alice:secret --to bob@example.org
  mailsink probe smtps://smtp.example.org:465 --send --from me@example.org --to me@example.org --json
  mailsink probe smtp://mx.example.org --open-relay --dns example.org
`;

/** What the command line asked for. */
export interface ProbeRequest {
  options: ProbeOptions;
  json: boolean;
  transcript: boolean;
  colour: boolean;
}

const STARTTLS_MODES = ['require', 'try', 'never'] as const;

function bad(option: string, message: string): ConfigError {
  return new ConfigError(option, `probe: ${option}: ${message}`);
}

/**
 * Reads the subcommand's arguments (after `probe`).
 * @returns `'help'` for `--help`.
 * @throws ConfigError (one line naming the option) for a bad flag or value.
 */
export function probeRequestFromCli(argv: readonly string[], env: NodeJS.ProcessEnv, isTty: boolean): ProbeRequest | 'help' {
  const parsed = parseSubcommandArgs('probe', {
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      starttls: { type: 'string' }, auth: { type: 'string' }, from: { type: 'string' }, to: { type: 'string', multiple: true }, send: { type: 'boolean' },
      timeout: { type: 'string' }, 'open-relay': { type: 'boolean' }, dns: { type: 'string' }, 'dns-server': { type: 'string' }, ehlo: { type: 'string' },
      json: { type: 'boolean' }, 'no-transcript': { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) throw bad('target', `expected one smtp://host:port or smtps://host:port (got ${parsed.positionals.length})`);
  const target = parsed.positionals[0]!;
  try {
    parseProbeTarget(target);
  } catch (err) {
    throw bad('target', (err as Error).message);
  }
  const starttls = v.starttls ?? 'try';
  if (!(STARTTLS_MODES as readonly string[]).includes(starttls)) throw bad('--starttls', `expected require, try or never (got ${JSON.stringify(starttls)})`);
  const authText = v.auth ?? env.MAILSINK_PROBE_AUTH;
  const authOption = v.auth !== undefined ? '--auth' : 'MAILSINK_PROBE_AUTH';
  let auth: ProbeOptions['auth'] = null;
  if (authText !== undefined && authText !== '') {
    const colon = authText.indexOf(':');
    if (colon <= 0) throw bad(authOption, 'expected user:password');
    auth = { user: authText.slice(0, colon), pass: authText.slice(colon + 1) };
  }
  const timeoutMs = v.timeout === undefined ? 10_000 : parseDurationMs(v.timeout);
  if (timeoutMs === null) throw bad('--timeout', 'expected a duration such as 10s, 500ms or 1m (a bare number is seconds)');
  for (const [option, address] of [['--from', v.from], ...(v.to ?? []).map((to) => ['--to', to] as const)] as const) {
    if (address !== undefined && !/^[^\s<>@]+@[^\s<>@]+$/.test(address)) throw bad(option, `expected an address such as user@example.org (got ${JSON.stringify(address)})`);
  }
  if (v['dns-server'] !== undefined && !/^(\[[0-9a-f:]+\]|[\w.-]+)(:\d{1,5})?$/i.test(v['dns-server'])) throw bad('--dns-server', 'expected host or host:port');
  if (v['dns-server'] !== undefined && v.dns === undefined) throw bad('--dns-server', 'needs --dns <domain>');
  return {
    options: {
      target,
      starttls: starttls as ProbeOptions['starttls'],
      auth,
      ...(v.from !== undefined ? { from: v.from } : {}),
      ...(v.to !== undefined ? { to: v.to } : {}),
      send: v.send === true,
      timeoutMs,
      openRelay: v['open-relay'] === true,
      dns: v.dns !== undefined ? { domain: v.dns, server: v['dns-server'] ?? null } : null,
      ...(v.ehlo !== undefined ? { ehloName: v.ehlo } : {}),
    },
    json: v.json === true,
    transcript: v['no-transcript'] !== true,
    colour: isTty && v['no-color'] !== true && !env.NO_COLOR,
  };
}
