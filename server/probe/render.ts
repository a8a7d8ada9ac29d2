/**
 * The human report of `mailsink probe`: stages with their timing, EHLO capabilities, TLS and the
 * certificate, findings (with cause and action for refused replies), DNS, the transcript, and the
 * result line. ANSI colour only when asked (a TTY without `NO_COLOR`).
 */
import type { ProbeFinding, ProbeReport, ProbeStage } from './report.js';
import { STAGE_EXIT_CODES } from './report.js';

const fmt = new Intl.NumberFormat('en-US');
const COLOURS = { pass: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' } as const;

type Paint = (colour: keyof typeof COLOURS, text: string) => string;

function stageLine(stage: ProbeStage, paint: Paint): string {
  const mark = stage.ok ? paint('pass', '✓') : paint('fail', '✗');
  const reply = stage.reply ? `${stage.reply.code} ${stage.reply.text}` : '';
  const text = [reply, stage.detail].filter(Boolean).join(' · ');
  return `  ${mark} ${stage.stage.padEnd(9)} ${`${fmt.format(stage.ms)} ms`.padStart(9)}  ${text}`;
}

function findingLines(finding: ProbeFinding, paint: Paint): string[] {
  const label = paint(finding.level, finding.level.toUpperCase().padEnd(4));
  const lines = [`  ${label}  ${finding.stage.padEnd(9)} ${finding.text}`];
  if (finding.explanation) {
    lines.push(`        ${' '.repeat(9)} ${paint('dim', 'cause:')} ${finding.explanation.cause}`);
    lines.push(`        ${' '.repeat(9)} ${paint('dim', 'do:')}    ${finding.explanation.action}`);
  }
  return lines;
}

function tlsLines(report: ProbeReport): string[] {
  if (!report.tls) return [];
  const { tls } = report;
  const lines = [`TLS (${tls.mode === 'implicit' ? 'implicit' : 'STARTTLS'})  ${tls.protocol ?? '?'} · ${tls.cipher ?? '?'} · ${tls.trusted ? 'trusted' : `not trusted (${tls.trustError ?? '?'})`} · ${tls.matchesHost ? 'names the host' : 'does NOT name the host'}`];
  tls.chain.forEach((cert, index) => {
    lines.push(`  ${index === 0 ? 'certificate' : `issuer ${index}   `}  ${cert.subject} · issued by ${cert.issuer}${cert.selfSigned ? ' (self-signed)' : ''}`);
    lines.push(`               valid ${cert.validFrom.slice(0, 10)} → ${cert.validTo.slice(0, 10)} (${cert.daysToExpiry} days left)${cert.subjectAltNames.length > 0 ? ` · ${cert.subjectAltNames.join(', ')}` : ''}`);
  });
  return [...lines, ''];
}

function ehloLines(report: ProbeReport): string[] {
  const out: string[] = [];
  const { beforeTls, afterTls } = report.ehlo;
  if (beforeTls) out.push(`EHLO ${beforeTls.hostname}: ${beforeTls.lines.join(', ') || '(no extensions)'}`);
  if (afterTls) out.push(`EHLO after TLS: ${afterTls.lines.join(', ') || '(no extensions)'}`);
  return out.length > 0 ? [...out, ''] : [];
}

function resultLine(report: ProbeReport, paint: Paint): string {
  const count = (level: ProbeFinding['level']) => report.findings.filter((finding) => finding.level === level).length;
  const failed = report.stages.find((stage) => !stage.ok);
  const why = failed ? `${failed.stage} failed` : report.exitCode === 0 ? 'all stages passed' : 'a check failed';
  const colour = report.exitCode === 0 ? 'pass' : 'fail';
  return paint(colour, `RESULT  ${count('fail')} fail, ${count('warn')} warn, ${count('pass')} pass · exit ${report.exitCode} (${why})`);
}

/** Renders the report as text lines (no trailing newline). */
export function renderProbeReport(report: ProbeReport, options: { colour?: boolean; transcript?: boolean } = {}): string {
  const paint: Paint = options.colour ? (colour, text) => `${COLOURS[colour]}${text}${COLOURS.reset}` : (_colour, text) => text;
  const lines = [paint('bold', `mailsink probe ${report.target} · ${report.startedAt} · ${fmt.format(report.ms)} ms`), ''];
  if (report.banner !== null) lines.push(`Banner  ${report.banner}`, '');
  lines.push('Stages', ...report.stages.map((stage) => stageLine(stage, paint)), '');
  lines.push(...ehloLines(report), ...tlsLines(report));
  if (report.queueId) lines.push(`Queue id  ${report.queueId}`, '');
  if (report.dns) {
    const { dns } = report;
    lines.push(`DNS ${dns.domain}`, `  MX       ${dns.mx.map((mx) => `${mx.priority} ${mx.exchange}`).join(', ') || '(none)'}`, `  SPF      ${dns.spf ?? '(none)'}`, `  DMARC    ${dns.dmarc ?? '(none)'}`, `  MTA-STS  ${dns.mtaSts ?? '(none)'}`, `  TLS-RPT  ${dns.tlsRpt ?? '(none)'}`);
    if (dns.ptr) lines.push(`  PTR      ${dns.ptr.address} → ${dns.ptr.names.join(', ') || '(none)'}`);
    lines.push('');
  }
  lines.push('Findings', ...report.findings.flatMap((finding) => findingLines(finding, paint)), '');
  if (options.transcript !== false) {
    lines.push('Transcript', ...report.transcript.map((entry) => `  ${paint('dim', `${String(entry.atMs).padStart(6)} ms`)}  ${entry.direction === 'client' ? 'C:' : entry.direction === 'server' ? 'S:' : '--'} ${entry.text}`), '');
  }
  lines.push(resultLine(report, paint));
  return lines.join('\n');
}

/** The exit-code table for `--help` and the README. */
export function exitCodeHelp(): string {
  const stages = Object.entries(STAGE_EXIT_CODES).map(([stage, code]) => `${code} ${stage}`).join(', ');
  return `Exit codes: 0 every stage passed and no check failed; 1 bad usage; 2 every stage passed but a check failed (certificate, open relay, DNS …); by the first failing stage: ${stages}.`;
}
