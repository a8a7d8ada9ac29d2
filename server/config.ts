/**
 * Configuration: one zod schema per option, defaults → `MAILSINK_*` environment → command-line
 * flags (flags win). Parsed once, frozen, passed down. A bad value is a {@link ConfigError} whose
 * message is one line naming the option.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigFileError, loadConfigFiles } from './config-files.js';
import { addressPattern, allowedHost, duration, file, flag, hostPort, ipAddress, listOf, origin, portNumber, relayUrl, smtpPorts } from './config-schemas.js';
import { FlagError, parseFlags, unknownEnvironmentWarnings } from './cli/args.js';
import type { FlagSpec, FlagValues } from './cli/args.js';
import type { LoadedFiles } from './config-files.js';
import { FaultRuleError, parseShortFault, validateFaultRules } from './core/fault-rules.js';
import { parseStorageSpec, StorageOpenError } from './storage/index.js';
import type { StorageSpec } from './storage/index.js';
import type { ValidFaultRuleInput } from './core/fault-rules.js';
import type { RelayUpstream } from './relay/upstream.js';

/** Thrown for an invalid option; `message` is one line that names the option (flag or variable). */
export class ConfigError extends Error {
  /** The flag or environment variable at fault, e.g. `--smtp-port`. */
  readonly option: string;
  constructor(option: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.option = option;
  }
}

const MiB = 1024 * 1024;
const port = portNumber;
const positiveInt = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const byteSize = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = parseByteSize(value);
  if (bytes === null) ctx.addIssue({ code: 'custom', message: 'expected a byte count such as 52428800, 50M or 512MiB' });
  return bytes ?? 0;
});
const host = z.string().trim().min(1, 'expected a host name or IP address');
const storageSpec = z.unknown().transform((value, ctx): StorageSpec => {
  const spec = value as Partial<StorageSpec> | null;
  if (spec !== null && typeof spec === 'object') {
    if (spec.kind === 'memory' || (spec.kind === 'sqlite' && typeof spec.path === 'string' && spec.path !== '') || (spec.kind === 'postgres' && typeof spec.url === 'string')) return spec as StorageSpec;
  } else if (typeof value === 'string') {
    try {
      return parseStorageSpec(value);
    } catch (err) {
      if (!(err instanceof StorageOpenError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message.replace(/^--storage: /, '') });
      return { kind: 'memory' };
    }
  }
  ctx.addIssue({ code: 'custom', message: 'expected memory, sqlite:PATH or a postgres:// URL' });
  return { kind: 'memory' };
});
/**
 * Every option: its key, flag, environment variable, schema, default and help text. `kind` is
 * `list` for repeatable flags (the variable takes a comma-separated list) and `flag` for switches
 * without a value (the variable takes true/false).
 */
export const OPTIONS = [
  { key: 'smtpPorts', flag: 'smtp-port', kind: 'list', schema: smtpPorts, default: [1025], help: 'SMTP port, offering STARTTLS; repeatable for more listeners (e.g. 1025 and 1587); 0 picks a free port' },
  { key: 'smtpsPort', flag: 'smtps-port', schema: port.nullable(), default: null, help: 'Implicit-TLS SMTP port (SMTPS, like 465); off when omitted' },
  { key: 'httpPort', flag: 'http-port', schema: port, default: 8025, help: 'HTTP port (web inbox, REST API, WebSocket); 0 picks a free port' },
  { key: 'host', flag: 'host', schema: host, default: '127.0.0.1', help: 'Address every listener binds to; 0.0.0.0 for every interface (then set --ui-auth-file)' },
  { key: 'maxMessages', flag: 'max-messages', schema: positiveInt, default: 5000, help: 'Most messages kept; the oldest are evicted' },
  { key: 'maxMessageSize', flag: 'max-message-size', schema: byteSize, default: 50 * MiB, help: 'Largest message accepted, in bytes (K/M/G suffixes allowed); larger gets 552' },
  { key: 'maxStoreBytes', flag: 'max-store-bytes', schema: byteSize, default: 512 * MiB, help: 'Most raw bytes kept over all messages; the oldest are evicted' },
  { key: 'storage', flag: 'storage', schema: storageSpec, default: 'memory', help: 'Where mail is kept: memory (gone on exit), sqlite:PATH (one file, kept across restarts) or postgres://user:pass@host:port/db (kept, and shared by several instances)' },
  { key: 'faultSeed', flag: 'fault-seed', schema: z.coerce.number().int().min(0).max(0xffffffff).optional(), default: undefined, help: 'Seed for fault rules with a probability (random when omitted; GET /api/faults shows it)' },
  { key: 'tlsCert', flag: 'tls-cert', schema: file, default: null, help: 'PEM certificate (chain) for STARTTLS and SMTPS; a self-signed one is made at start when omitted' },
  { key: 'tlsKey', flag: 'tls-key', schema: file, default: null, help: 'PEM private key of --tls-cert' },
  { key: 'requireTls', flag: 'require-tls', kind: 'flag', schema: flag, default: false, help: 'Refuse AUTH and MAIL before STARTTLS (530 5.7.0)' },
  { key: 'authUsers', flag: 'auth-users', schema: file, default: null, help: 'File of user:password lines; SMTP AUTH then checks credentials (535 5.7.8); default: any accepted' },
  { key: 'maxAuthFailures', flag: 'max-auth-failures', schema: positiveInt, default: 20, help: 'Failed SMTP AUTH attempts allowed per client address within 60 s (with --auth-users); more get 454 4.7.0 without a password check' },
  { key: 'authRequired', flag: 'auth-required', kind: 'flag', schema: flag, default: false, help: 'Refuse MAIL without AUTH (530 5.7.0)' },
  { key: 'maxRecipients', flag: 'max-recipients', schema: positiveInt, default: 1000, help: 'Most RCPT TO per message; more get 452 4.5.3' },
  { key: 'maxConnections', flag: 'max-connections', schema: positiveInt, default: 1000, help: 'Most SMTP connections at once over all ports; more get 421 4.3.2' },
  { key: 'maxConnectionsPerAddress', flag: 'max-connections-per-address', schema: positiveInt.nullable(), default: null, defaultText: '3/4 of --max-connections', help: 'Most SMTP connections at once from one client address (loopback too); more get 421 4.7.0' },
  { key: 'idleTimeoutMs', flag: 'idle-timeout', schema: duration, default: '300s', help: 'Close an SMTP session with 421 4.4.2 when no complete command line (or, in DATA, no complete message line) came for this long; bytes that trickle in do not count (300s, 5m, 500ms; a bare number is seconds)' },
  { key: 'maxLineLength', flag: 'max-line-length', schema: z.coerce.number().int().min(512).max(MiB), default: 16_384, help: 'Longest SMTP command line in octets (AUTH included); longer gets 421 4.5.0 (message lines are not limited)' },
  { key: 'uiAuthFile', flag: 'ui-auth-file', schema: file, default: null, help: 'File of user:password or user:bcrypt-hash lines; the inbox, API and WebSocket then need basic auth (/api/health stays open)' },
  { key: 'enableProbe', flag: 'enable-probe', kind: 'flag', schema: flag, default: false, help: 'Serve POST /api/probe and the inbox "Test a server" page: the sink then connects to SMTP servers an API caller names (off by default)' },
  { key: 'corsOrigins', flag: 'cors-origin', kind: 'list', schema: listOf(origin), default: [], help: 'Origin allowed to call the API and open the WebSocket from a browser (repeatable; * for any); default: none' },
  { key: 'allowedHosts', flag: 'allowed-host', env: 'MAILSINK_ALLOWED_HOSTS', kind: 'list', schema: listOf(allowedHost), default: [], help: 'Host name the HTTP side answers to besides loopback, --host, this machine\'s name and IP addresses (repeatable; *.example.org for subdomains; * turns the DNS-rebinding check off: unsafe)' },
  { key: 'dnsRecords', flag: 'dns-records', schema: file, default: null, help: 'File of DNS records the message checks read (DKIM keys, SPF, DMARC), one a line: NAME TYPE VALUE (TXT, MX, A, AAAA, CNAME; TXT values in double quotes; # comments)' },
  { key: 'dnsLive', flag: 'dns-live', kind: 'flag', schema: flag, default: false, help: 'Look up names --dns-records does not hold with the system resolver (off: the checks are offline and deterministic)' },
  { key: 'spfClientIp', flag: 'spf-client-ip', schema: ipAddress.nullable(), default: null, help: 'Client address the SPF check assumes (mail from 127.0.0.1 says nothing about SPF); default: the address the message came from' },
  { key: 'spamassassin', flag: 'spamassassin', schema: hostPort.nullable(), default: null, help: 'HOST:PORT of a SpamAssassin spamd the spam check asks (e.g. 127.0.0.1:783); off when omitted' },
  { key: 'enableLinkCheck', flag: 'enable-link-check', kind: 'flag', schema: flag, default: false, help: 'Serve the link check: the sink then fetches the URLs a message names (off by default)' },
  { key: 'releaseAllow', flag: 'release-allow', kind: 'list', schema: listOf(hostPort), default: [], help: 'SMTP server HOST:PORT that MailHog-style release may send to (repeatable); default: none, release refused' },
  { key: 'relayUrl', flag: 'relay-url', schema: relayUrl.nullable(), default: null, help: 'Upstream SMTP server that releases and auto-relay deliver to: smtp://[user:pass@]host[:port][?starttls=required|opportunistic|off] or smtps://… (the password is never shown); off when omitted' },
  { key: 'relayTlsVerify', flag: 'relay-tls-verify', schema: flag, default: true, help: 'Verify the upstream\'s TLS certificate (true/false)' },
  { key: 'relayCa', flag: 'relay-ca', schema: file, default: null, help: 'PEM file of the CA certificate(s) the upstream\'s certificate is checked against instead of the system\'s (e.g. a test server\'s self-signed one)' },
  { key: 'relayAllow', flag: 'relay-allow', kind: 'list', schema: listOf(addressPattern), default: [], help: 'Recipient pattern auto-relayed to --relay-url (repeatable; *@team.example, case-insensitive); default: none, no auto-relay' },
  { key: 'relayDeny', flag: 'relay-deny', kind: 'list', schema: listOf(addressPattern), default: [], help: 'Recipient pattern never auto-relayed, even when --relay-allow matches (repeatable)' },
  { key: 'relayRetryInitialMs', flag: 'relay-retry-initial', schema: duration, default: '30s', help: 'Wait before the second delivery attempt after a 4xx or no answer; doubled after each further attempt (30s, 500ms; a bare number is seconds)' },
  { key: 'relayMaxAttempts', flag: 'relay-max-attempts', schema: z.coerce.number().int().min(1).max(1000), default: 5, help: 'Most delivery attempts of one message; then it is failed' },
  { key: 'relayMaxAgeMs', flag: 'relay-max-age', schema: duration, default: '1h', help: 'A delivery whose next attempt would start later than this after it was queued is failed (1h, 30m)' },
] as const;

/** Flags that take fault rules (besides `--fault-seed` above). */
export const FAULT_FLAGS = {
  fault: { env: 'MAILSINK_FAULT', help: "Fault rule in short syntax, repeatable: 'rcptTo:*@bounce.example:550:5.1.1;times=1' (env: one per line)" },
  'faults-file': { env: 'MAILSINK_FAULTS_FILE', help: 'JSON file with an array of fault rules (checked before --fault rules)' },
} as const;

type Option = (typeof OPTIONS)[number];

/** Resolved, frozen configuration of one sink. Sizes in bytes, times in ms, files as paths (`null` when not set). */
export interface Config {
  /** The first of {@link smtpPorts}. */
  readonly smtpPort: number;
  /** Plain SMTP ports (STARTTLS offered on each), in the order given. */
  readonly smtpPorts: readonly number[];
  /** Implicit-TLS SMTP port, or `null` for none. */
  readonly smtpsPort: number | null;
  readonly httpPort: number;
  readonly host: string;
  readonly maxMessages: number;
  readonly maxMessageSize: number;
  readonly maxStoreBytes: number;
  /** The store engine (`--storage`): memory, a SQLite file or a PostgreSQL URL (see `server/storage/index.ts`). */
  readonly storage: StorageSpec;
  /** Seed for `probability` fault rules; chosen at random when not given. */
  readonly faultSeed: number;
  readonly tlsCert: string | null;
  readonly tlsKey: string | null;
  /** Answer `530 5.7.0` to AUTH and MAIL until STARTTLS (RFC 3207 §4). */
  readonly requireTls: boolean;
  readonly authUsers: string | null;
  /** Answer `530 5.7.0` to MAIL without AUTH (RFC 4954 §6). */
  readonly authRequired: boolean;
  readonly maxRecipients: number;
  readonly maxConnections: number;
  /** Most connections from one client address; when not given, 3/4 of {@link maxConnections} (rounded up). */
  readonly maxConnectionsPerAddress: number;
  /** Failed AUTH checks allowed per client address within 60 s; more get `454 4.7.0` (see `AuthThrottle`). */
  readonly maxAuthFailures: number;
  /** No complete command line (or DATA line) for this long (ms) closes a session with `421 4.4.2`. */
  readonly idleTimeoutMs: number;
  /** Longest command line in octets (RFC 5321 §4.5.3.1.4 sets 512 as the least a server accepts). */
  readonly maxLineLength: number;
  readonly uiAuthFile: string | null;
  /** Serve `POST /api/probe`: the sink opens SMTP connections to targets an API caller names. */
  readonly enableProbe: boolean;
  /** Origins allowed by CORS and the WebSocket check (`*` for any); same-origin is always allowed. */
  readonly corsOrigins: readonly string[];
  /** Extra `Host` names the HTTP server answers to (normalised; `*.suffix` wildcards, `*` for any); see `http/allowed-hosts.ts`. */
  readonly allowedHosts: readonly string[];
  /** SMTP servers (`host:port`, normalized) a release may target; empty: release is refused. */
  readonly releaseAllow: readonly string[];
  /** `--dns-records`: path of the DNS records file of the message checks, or `null`. */
  readonly dnsRecords: string | null;
  /** `--dns-live`: the checks may ask the system resolver for names the records file lacks. */
  readonly dnsLive: boolean;
  /** `--spf-client-ip`: client address the SPF check assumes, or `null` for the message's own. */
  readonly spfClientIp: string | null;
  /** `--spamassassin`: `host:port` (normalized) of a spamd, or `null`. */
  readonly spamassassin: string | null;
  /** `--enable-link-check`: the link check may fetch URLs named by messages. */
  readonly enableLinkCheck: boolean;
  /** `--relay-url`: the upstream of releases and auto-relay (holds the password: never log or serve it), or `null`. */
  readonly relayUrl: RelayUpstream | null;
  /** `--relay-tls-verify`: check the upstream's certificate. */
  readonly relayTlsVerify: boolean;
  /** `--relay-ca`: path of the PEM CA certificates trusted for the upstream instead of the system's (read into `files.relayCa`), or `null`. */
  readonly relayCa: string | null;
  /** `--relay-allow`, `--relay-deny`: recipient globs of auto-relay. */
  readonly relayAllow: readonly string[];
  readonly relayDeny: readonly string[];
  /** Backoff base in ms: attempt n+1 waits `relayRetryInitialMs × 2^(n−1)` after attempt n. */
  readonly relayRetryInitialMs: number;
  readonly relayMaxAttempts: number;
  /** A delivery is failed rather than attempted later than this many ms after it was queued. */
  readonly relayMaxAgeMs: number;
  /** Fault rules active from the start, in check order. */
  readonly faults: readonly ValidFaultRuleInput[];
  /** What the TLS and user files held, read while resolving. */
  readonly files: LoadedFiles;
}

/** Options a caller may set; the rest take defaults. `smtpPort` is a one-port shorthand for `smtpPorts`. Fault rules are validated like `POST /api/faults`. */
export type ConfigInput = { [K in Exclude<keyof Config, 'faults' | 'files' | 'smtpPort'>]?: Config[K] | string } & {
  smtpPort?: number | string;
  faults?: readonly unknown[];
};

/** The environment variable of an option, e.g. `MAILSINK_SMTP_PORT`. */
export function envName(option: Option): string {
  if ('env' in option) return option.env;
  return `MAILSINK_${option.flag.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * Resolves a configuration from values given in code, validating each one.
 * @throws ConfigError naming the first invalid option.
 */
export function resolveConfig(input: ConfigInput = {}, sources: Partial<Record<keyof Config, string>> = {}): Config {
  const out: Record<string, unknown> = {};
  const name = (key: keyof Config) => sources[key] ?? (key === 'smtpPorts' && input.smtpPorts === undefined && input.smtpPort !== undefined ? 'smtpPort' : key);
  for (const option of OPTIONS) {
    const given = option.key === 'smtpPorts' ? (input.smtpPorts ?? input.smtpPort) : input[option.key];
    const result = (option.schema as z.ZodType).safeParse(given === undefined ? option.default : given);
    if (!result.success) {
      const reason = result.error.issues[0]?.message ?? 'invalid value';
      const item = /^("(?:[^"\\]|\\.)*"):/.exec(reason)?.[1]; // a list item's reason quotes the item
      const shown = JSON.stringify(given);
      const quoted = option.key === 'storage' || option.key === 'relayUrl' || (item !== undefined && (shown === item || shown === `[${item}]`)); // a storage or relay URL may hold a password: never echoed
      const got = quoted ? '' : ` (got ${shown})`;
      throw new ConfigError(name(option.key), `invalid ${name(option.key)}: ${reason}${got}`);
    }
    out[option.key] = Array.isArray(result.data) ? Object.freeze(result.data) : result.data;
  }
  out['smtpPort'] = (out['smtpPorts'] as number[])[0];
  out['maxConnectionsPerAddress'] ??= Math.ceil(((out['maxConnections'] as number) * 3) / 4);
  out['faultSeed'] ??= Math.floor(Math.random() * 0xffffffff);
  try {
    out['files'] = loadConfigFiles(out as unknown as Config, (key) => name(key));
  } catch (err) {
    if (!(err instanceof ConfigFileError)) throw err;
    throw new ConfigError(name(err.key), `invalid ${name(err.key)}: ${err.reason}`);
  }
  try {
    out['faults'] = Object.freeze(validateFaultRules([...(input.faults ?? [])]));
  } catch (err) {
    if (!(err instanceof FaultRuleError)) throw err;
    const name = sources.faults ?? 'faults';
    throw new ConfigError(name, `invalid ${name}: ${err.message}`);
  }
  return Object.freeze(out as unknown as Config);
}

/** What the command line asked for besides configuration. */
export type CliRequest = { kind: 'run'; config: Config } | { kind: 'help' } | { kind: 'version' };

/**
 * Reads flags and `MAILSINK_*` variables (flags win) into a configuration.
 * @param argv - Arguments after the script name.
 * @param env - Environment, usually `process.env`.
 * @throws ConfigError for an unknown flag, a missing value or an invalid value (naming it).
 */
export function configFromCli(argv: readonly string[], env: Record<string, string | undefined>): CliRequest {
  const parsed = parseCliArgs(argv);
  if (parsed.help) return { kind: 'help' };
  if (parsed.version) return { kind: 'version' };
  const input: Record<string, unknown> = {};
  const sources: Partial<Record<keyof Config, string>> = {};
  for (const option of OPTIONS) {
    const fromFlag = parsed[option.flag];
    const fromEnv = env[envName(option)];
    if (typeof fromFlag === 'string' || fromFlag === true || (Array.isArray(fromFlag) && fromFlag.length > 0)) {
      input[option.key] = fromFlag;
      sources[option.key] = `--${option.flag}`;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      input[option.key] = fromEnv;
      sources[option.key] = envName(option);
    } else {
      sources[option.key] = `--${option.flag}`; // named as a flag when another option needs it (e.g. --tls-cert needs --tls-key)
    }
  }
  const { faults, source } = faultsFromCli(parsed, env);
  if (source) sources.faults = source;
  return { kind: 'run', config: resolveConfig({ ...input, faults }, sources) };
}

/** Rules from `--faults-file` (or its variable) then every `--fault` (or `MAILSINK_FAULT` lines), each validated under its source's name. */
function faultsFromCli(parsed: Record<string, unknown>, env: Record<string, string | undefined>): { faults: unknown[]; source: string | undefined } {
  const faults: unknown[] = [];
  const fileFlag = typeof parsed['faults-file'] === 'string';
  const file = fileFlag ? (parsed['faults-file'] as string) : env[FAULT_FLAGS['faults-file'].env] || undefined;
  const fileSource = fileFlag ? '--faults-file' : FAULT_FLAGS['faults-file'].env;
  if (file !== undefined) {
    faults.push(...checkRules(fileSource, `${file}: `, () => validateFaultRules(readFaultsFile(file, fileSource))));
  }
  const flagged = Array.isArray(parsed['fault']) ? (parsed['fault'] as string[]) : [];
  const specs = flagged.length > 0 ? flagged : (env[FAULT_FLAGS.fault.env] ?? '').split('\n').filter((line) => line.trim() !== '');
  const specSource = flagged.length > 0 ? '--fault' : FAULT_FLAGS.fault.env;
  for (const spec of specs) {
    faults.push(...checkRules(specSource, `"${spec.trim()}": `, () => validateFaultRules(parseShortFault(spec.trim()))));
  }
  return { faults, source: specs.length > 0 ? specSource : file !== undefined ? fileSource : undefined };
}

/** Runs a rule validation, turning its error into a one-line ConfigError naming the option. */
function checkRules(option: string, prefix: string, validate: () => unknown[]): unknown[] {
  try {
    return validate();
  } catch (err) {
    if (err instanceof FaultRuleError) throw new ConfigError(option, `invalid ${option} ${prefix}${err.message.replace(/^"[^"]*": /, '')}`);
    throw err;
  }
}

function readFaultsFile(file: string, source: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(source, `invalid ${source}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(source, `invalid ${source} ${file}: not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(data)) throw new ConfigError(source, `invalid ${source} ${file}: expected a JSON array of fault rules`);
  return data;
}

function parseCliArgs(argv: readonly string[]): FlagValues {
  const specs: Record<string, FlagSpec> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const option of OPTIONS) {
    const kind = 'kind' in option ? option.kind : 'value';
    specs[option.flag] = kind === 'flag' ? { type: 'boolean' } : kind === 'list' ? { type: 'string', multiple: true } : { type: 'string' };
  }
  specs['fault'] = { type: 'string', multiple: true };
  specs['faults-file'] = { type: 'string' };
  try {
    return parseFlags(argv, specs);
  } catch (err) {
    if (err instanceof FlagError) throw new ConfigError(err.option, err.message);
    throw err;
  }
}

/** Variables the sink itself does not read: its test recipes' (`createClient(process.env.MAILSINK_HTTP_URL)`), the corpus suite's and `mailsink probe`'s. */
const RECIPE_VARIABLES = ['MAILSINK_HTTP_URL', 'MAILSINK_CORPUS', 'MAILSINK_PROBE_AUTH'];

/** One warning line per `MAILSINK_*` variable in `env` that no option reads (see {@link unknownEnvironmentWarnings}). */
export function environmentWarnings(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = [...OPTIONS.map(envName), ...Object.values(FAULT_FLAGS).map((f) => f.env), ...RECIPE_VARIABLES];
  return unknownEnvironmentWarnings(env, known);
}

/** Parses `52428800`, `50M`, `50MiB`, `512k`, `1G` (binary multiples) into bytes; `null` if malformed. */
export function parseByteSize(value: number | string): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  const match = /^\s*(\d+)\s*(?:([kmg])(?:i?b)?|b)?\s*$/i.exec(value);
  if (!match) return null;
  const unit = { k: 1024, m: MiB, g: 1024 * MiB }[(match[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  const bytes = Number(match[1]) * unit;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}
