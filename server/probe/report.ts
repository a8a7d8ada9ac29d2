/**
 * The shape of a probe report (`mailsink probe --json`, `POST /api/probe`): stages in session order
 * with their timing, graded findings, TLS details, the EHLO capabilities, DNS checks and the
 * transcript. Documented in README "Testing a real SMTP server"; the exit codes follow the first
 * failing stage.
 */
/** One transcript line; `atMs` counts from the start of the probe. */
export interface TranscriptEntry {
  readonly atMs: number;
  readonly direction: 'client' | 'server' | 'note';
  readonly text: string;
}

/** Stages of an SMTP session in order (`tls` is implicit TLS, `starttls` the upgrade). */
export const PROBE_STAGES = ['connect', 'banner', 'tls', 'ehlo', 'starttls', 'auth', 'mailFrom', 'rcptTo', 'data', 'quit'] as const;
export type ProbeStageName = (typeof PROBE_STAGES)[number];

/** Exit code of `mailsink probe` for the first failing stage (0: none failed and no `fail` finding). */
export const STAGE_EXIT_CODES: Readonly<Record<ProbeStageName, number>> = {
  connect: 10,
  banner: 11,
  tls: 12,
  ehlo: 13,
  starttls: 14,
  auth: 15,
  mailFrom: 16,
  rcptTo: 17,
  data: 18,
  quit: 19,
};
/** Every stage passed but a check failed (certificate, open relay, DNS …). */
export const FINDING_EXIT_CODE = 2;
/** Bad usage: an unknown option or a malformed value. */
export const USAGE_EXIT_CODE = 1;

/** A reply as reported: code, enhanced code and the text of its last line. */
export interface ReportedReply {
  readonly code: number;
  readonly enhancedCode: string | null;
  readonly text: string;
}

/** One stage: whether it succeeded, how long it took in ms, the server's reply if any. */
export interface ProbeStage {
  readonly stage: ProbeStageName;
  readonly ok: boolean;
  readonly ms: number;
  readonly reply: ReportedReply | null;
  /** One line on what was done or what went wrong, e.g. `AUTH PLAIN as alice` or `ECONNREFUSED`. */
  readonly detail: string;
}

export type FindingLevel = 'pass' | 'warn' | 'fail';

/** One graded observation, one line of text. */
export interface ProbeFinding {
  readonly level: FindingLevel;
  readonly stage: ProbeStageName | 'dns' | 'relay';
  readonly text: string;
  /** For a non-2xx reply: its likely cause and what to do (from the shared reply-code table). */
  readonly explanation?: { readonly cause: string; readonly action: string };
}

/** A certificate as the probe saw it. Dates are ISO 8601 UTC. */
export interface ProbeCertificate {
  readonly subject: string;
  readonly subjectAltNames: readonly string[];
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** Whole days until `validTo` (negative once expired). */
  readonly daysToExpiry: number;
  readonly selfSigned: boolean;
  readonly fingerprint256: string;
}

/** The TLS session: protocol, cipher, the chain from the server's certificate up, and checks. */
export interface ProbeTls {
  readonly mode: 'starttls' | 'implicit';
  readonly protocol: string | null;
  readonly cipher: string | null;
  /** The server's certificate first, then each issuer the server sent. */
  readonly chain: readonly ProbeCertificate[];
  /** Whether the certificate names the host probed (RFC 6125). */
  readonly matchesHost: boolean;
  /** Whether it chains to a CA this machine trusts; `trustError` says why not (e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`). */
  readonly trusted: boolean;
  readonly trustError: string | null;
}

/** EHLO capabilities, parsed (RFC 5321 §4.1.1.1 and the extensions' RFCs). */
export interface ProbeCapabilities {
  /** The host name the server gave in the first EHLO line. */
  readonly hostname: string;
  /** Every keyword line as sent, e.g. `SIZE 10240000`. */
  readonly lines: readonly string[];
  /** SIZE limit in bytes (RFC 1870), `0` for no limit, `null` when not offered. */
  readonly sizeBytes: number | null;
  readonly pipelining: boolean;
  readonly eightBitMime: boolean;
  readonly smtpUtf8: boolean;
  readonly enhancedStatusCodes: boolean;
  readonly chunking: boolean;
  readonly dsn: boolean;
  readonly startTls: boolean;
  /** AUTH mechanisms offered (RFC 4954), upper case. */
  readonly auth: readonly string[];
}

/** DNS records of a domain, as `--dns` found them. */
export interface ProbeDns {
  readonly domain: string;
  readonly mx: readonly { exchange: string; priority: number }[];
  readonly spf: string | null;
  /** DNS-querying mechanisms SPF evaluation needs, counted through includes (RFC 7208 §4.6.4: at most 10). */
  readonly spfLookups: number | null;
  readonly dmarc: string | null;
  readonly mtaSts: string | null;
  readonly tlsRpt: string | null;
  /** PTR names of the server's address, and whether one of them resolves back to it. */
  readonly ptr: { readonly address: string; readonly names: readonly string[]; readonly forwardConfirmed: boolean } | null;
}

/** The whole report. */
export interface ProbeReport {
  /** `smtp://host:port` or `smtps://host:port`, without credentials. */
  readonly target: string;
  readonly startedAt: string;
  /** Total time in ms. */
  readonly ms: number;
  readonly stages: readonly ProbeStage[];
  readonly findings: readonly ProbeFinding[];
  readonly banner: string | null;
  readonly ehlo: { readonly beforeTls: ProbeCapabilities | null; readonly afterTls: ProbeCapabilities | null };
  readonly tls: ProbeTls | null;
  /** With `--send`: the queue id the server gave in its `250` to DATA, when it gave one. */
  readonly queueId: string | null;
  readonly openRelay: { readonly tested: boolean; readonly open: boolean | null; readonly reply: ReportedReply | null } | null;
  readonly dns: ProbeDns | null;
  readonly transcript: readonly TranscriptEntry[];
  /** The process exit code this report gives (see {@link STAGE_EXIT_CODES}). */
  readonly exitCode: number;
}

/** The exit code for a report: the first failed stage's, else 2 for any `fail` finding, else 0. */
export function exitCodeOf(stages: readonly ProbeStage[], findings: readonly ProbeFinding[]): number {
  const failed = stages.find((stage) => !stage.ok);
  if (failed) return STAGE_EXIT_CODES[failed.stage];
  return findings.some((finding) => finding.level === 'fail') ? FINDING_EXIT_CODE : 0;
}
