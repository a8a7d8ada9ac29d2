/**
 * `mailsink probe`: walks one SMTP session against a server stage by stage (connect, banner, TLS,
 * EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA with `send`, QUIT), times each in ms, grades what
 * it sees, and returns a {@link ProbeReport}. Never throws for what the server does: a refused or
 * broken stage is a failed stage in the report.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { authenticate } from './auth.js';
import { ProbeConnection, ProbeIoError } from './connection.js';
import type { SmtpReply, TranscriptEntry } from './connection.js';
import { checkDns } from './dns.js';
import { bannerFindings, capabilityFindings, replyFinding, tlsFindings } from './findings.js';
import { inspectTls, parseCapabilities, readBanner } from './inspect.js';
import { probeMessage, queueIdOf, toDataPayload } from './message.js';
import { checkOpenRelay } from './relay.js';
import { exitCodeOf } from './report.js';
import type { ProbeCapabilities, ProbeDns, ProbeFinding, ProbeReport, ProbeStage, ProbeStageName, ProbeTls } from './report.js';
import { parseProbeTarget } from './target.js';
import type { ProbeTarget } from './target.js';

/** What to probe and how. Times in ms. */
export interface ProbeOptions {
  /** `smtp://host[:port]` (default port 25) or `smtps://host[:port]` (default 465). */
  target: string;
  /** STARTTLS on a plain connection: `require` fails without it, `try` (default) uses it when offered, `never` skips it. */
  starttls?: 'require' | 'try' | 'never';
  /** Credentials for AUTH (PLAIN, LOGIN or CRAM-MD5, whichever the server offers first in that order). */
  auth?: { user: string; pass: string } | null;
  /** `MAIL FROM` address; default `probe@example.com`. */
  from?: string;
  /** `RCPT TO` addresses; default `postmaster@<host>` (or `postmaster@example.com` for an IP). */
  to?: readonly string[];
  /** Send one test message (DATA) instead of resetting after RCPT TO. */
  send?: boolean;
  /** Longest wait for each stage, in ms (default 10,000). */
  timeoutMs?: number;
  /** Also test for an open relay on a second, unauthenticated connection. */
  openRelay?: boolean;
  /** DNS checks for a domain: MX, SPF, DMARC, MTA-STS, TLS-RPT and PTR of the server; `server` is `host[:port]`. */
  dns?: { domain: string; server?: string | null } | null;
  /** Name given in EHLO (default: this machine's host name). */
  ehloName?: string;
}

/** Mutable state of one probe run. */
class Run {
  readonly started = performance.now();
  readonly transcript: TranscriptEntry[] = [];
  readonly stages: ProbeStage[] = [];
  readonly findings: ProbeFinding[] = [];
  banner: string | null = null;
  beforeTls: ProbeCapabilities | null = null;
  afterTls: ProbeCapabilities | null = null;
  tls: ProbeTls | null = null;
  queueId: string | null = null;
  openRelay: ProbeReport['openRelay'] = null;
  dns: ProbeDns | null = null;

  /** Runs one stage: records it with its time; a thrown error fails it. Resolves to whether it succeeded. */
  async stage(name: ProbeStageName, action: () => Promise<{ ok: boolean; reply: SmtpReply | null; detail: string }>): Promise<boolean> {
    const begin = performance.now();
    try {
      const { ok, reply, detail } = await action();
      this.stages.push({ stage: name, ok, ms: Math.round(performance.now() - begin), reply: reply && reported(reply), detail });
      return ok;
    } catch (err) {
      const detail = err instanceof ProbeIoError || err instanceof Error ? err.message : String(err);
      this.stages.push({ stage: name, ok: false, ms: Math.round(performance.now() - begin), reply: null, detail });
      this.findings.push({ level: 'fail', stage: name, text: `${name}: ${detail}`, explanation: ioExplanation(err) });
      return false;
    }
  }
}

/** A reply as reported: the last line's text, or the first line of a multi-line success (EHLO's greeting). */
function reported(reply: SmtpReply): NonNullable<ProbeStage['reply']> {
  const text = reply.lines.length > 1 && reply.code < 400 ? reply.lines[0]! : reply.line.slice(4);
  return { code: reply.code, enhancedCode: reply.enhancedCode, text };
}

function ioExplanation(err: unknown): ProbeFinding['explanation'] {
  const message = err instanceof Error ? err.message : '';
  if (message.startsWith('ECONNREFUSED')) return { cause: 'Nothing listens on that port, or a firewall rejects the connection.', action: 'Check the host and port (25, 465, 587 or the sink’s 1025) and that the server runs.' };
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return { cause: 'The host name does not resolve.', action: 'Check the spelling and the DNS of the host.' };
  if (err instanceof ProbeIoError && err.kind === 'timeout') return { cause: 'The server did not answer in time: filtered port, tarpit, or an overloaded server.', action: 'Check firewalls between here and the server, or raise --timeout.' };
  if (err instanceof ProbeIoError && err.kind === 'closed') return { cause: 'The server dropped the connection without a reply.', action: 'Read the server log: connection limits, TLS policy or a crash.' };
  return undefined;
}

/**
 * Probes an SMTP server and reports every stage.
 * @throws Error only for a malformed `target` (message names the expected form).
 */
export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
  const target = parseProbeTarget(options.target);
  const run = new Run();
  const startedAt = new Date().toISOString();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const starttls = options.starttls ?? 'try';
  const ehloName = options.ehloName ?? os.hostname();
  const conn = await openConnection(run, target, timeoutMs);
  if (conn) {
    try {
      await session(run, conn, target, { ...options, timeoutMs, starttls, ehloName });
    } finally {
      conn.close();
    }
  }
  if (options.openRelay) run.openRelay = await checkOpenRelay({ target, timeoutMs, starttls, ehloName, findings: run.findings, transcript: run.transcript, startedAt: run.started });
  if (options.dns) {
    const dns = await checkDns({ domain: options.dns.domain, server: options.dns.server ?? null, address: conn?.remoteAddress ?? null, bannerHost: run.banner ? readBanner(run.banner).hostname : null, timeoutMs });
    run.dns = dns.records;
    run.findings.push(...dns.findings);
  }
  return {
    target: target.display,
    startedAt,
    ms: Math.round(performance.now() - run.started),
    stages: run.stages,
    findings: run.findings,
    banner: run.banner,
    ehlo: { beforeTls: run.beforeTls, afterTls: run.afterTls },
    tls: run.tls,
    queueId: run.queueId,
    openRelay: run.openRelay,
    dns: run.dns,
    transcript: run.transcript,
    exitCode: exitCodeOf(run.stages, run.findings),
  };
}

async function openConnection(run: Run, target: ProbeTarget, timeoutMs: number): Promise<ProbeConnection | null> {
  let conn: ProbeConnection | null = null;
  const connected = await run.stage('connect', async () => {
    conn = await ProbeConnection.open({ host: target.host, port: target.port, implicitTls: false, timeoutMs, transcript: run.transcript, startedAt: run.started });
    return { ok: true, reply: null, detail: `TCP to ${target.host}:${target.port} (${conn.remoteAddress ?? '?'})` };
  });
  if (!connected || !conn) return null;
  const opened: ProbeConnection = conn;
  if (target.implicitTls && !(await upgrade(run, opened, target, 'tls', timeoutMs))) {
    opened.close();
    return null;
  }
  return opened;
}

async function upgrade(run: Run, conn: ProbeConnection, target: ProbeTarget, stage: 'tls' | 'starttls', timeoutMs: number, reply: SmtpReply | null = null): Promise<boolean> {
  return run.stage(stage, async () => {
    const socket = await conn.upgradeToTls(target.servername, timeoutMs);
    run.tls = inspectTls(socket, target.host, stage === 'tls' ? 'implicit' : 'starttls');
    conn.note(`TLS established: ${run.tls.protocol ?? '?'} ${run.tls.cipher ?? ''}`.trim());
    run.findings.push(...tlsFindings(run.tls, target.host));
    return { ok: true, reply, detail: `${run.tls.protocol ?? '?'}, ${run.tls.cipher ?? '?'}` };
  });
}

type SessionOptions = ProbeOptions & { timeoutMs: number; starttls: 'require' | 'try' | 'never'; ehloName: string };

async function ehlo(run: Run, conn: ProbeConnection, options: SessionOptions, secure: boolean): Promise<ProbeCapabilities | null> {
  let caps: ProbeCapabilities | null = null;
  await run.stage('ehlo', async () => {
    const reply = await conn.command(`EHLO ${options.ehloName}`, options.timeoutMs);
    if (reply.code !== 250) {
      run.findings.push(replyFinding('ehlo', 'EHLO', reply));
      return { ok: false, reply, detail: 'EHLO refused' };
    }
    caps = parseCapabilities(reply.lines);
    run.findings.push(...capabilityFindings(caps, secure, options.starttls));
    return { ok: true, reply, detail: `${secure ? 'after TLS: ' : ''}${caps.lines.length} extensions` };
  });
  return caps;
}

async function session(run: Run, conn: ProbeConnection, target: ProbeTarget, options: SessionOptions): Promise<void> {
  const greeted = await run.stage('banner', async () => {
    const reply = await conn.readReply(options.timeoutMs);
    run.banner = reply.lines.join(' ');
    if (reply.code !== 220) {
      run.findings.push(replyFinding('banner', 'connection', reply));
      return { ok: false, reply, detail: 'no 220 greeting' };
    }
    return { ok: true, reply, detail: readBanner(reply.lines[0] ?? '').hostname };
  });
  if (greeted) run.findings.push(...bannerFindings(run.stages.at(-1)!.ms, readBanner(run.banner ?? '')));
  if (!greeted) return void (await quit(run, conn, options));
  let caps = await ehlo(run, conn, options, target.implicitTls);
  if (!caps) return void (await quit(run, conn, options));
  if (target.implicitTls) run.afterTls = caps;
  else {
    run.beforeTls = caps;
    if (!(await startTls(run, conn, target, options, caps))) return void (await quit(run, conn, options));
    if (run.tls) {
      caps = await ehlo(run, conn, options, true);
      if (!caps) return void (await quit(run, conn, options));
      run.afterTls = caps;
    }
  }
  if (options.auth && !(await authenticate(run, conn, caps, options.auth, options.timeoutMs, run.tls !== null))) return void (await quit(run, conn, options));
  if (await envelope(run, conn, target, options)) {
    if (options.send) await data(run, conn, options);
    else await conn.command('RSET', options.timeoutMs).catch(() => null);
  }
  await quit(run, conn, options);
}

async function startTls(run: Run, conn: ProbeConnection, target: ProbeTarget, options: SessionOptions, caps: ProbeCapabilities): Promise<boolean> {
  if (options.starttls === 'never') return true;
  if (!caps.startTls) {
    if (options.starttls === 'require') return run.stage('starttls', async () => ({ ok: false, reply: null, detail: 'STARTTLS not offered (--starttls require)' }));
    return true;
  }
  const reply = await conn.command('STARTTLS', options.timeoutMs).catch((err: unknown) => err as Error);
  if (reply instanceof Error || reply.code !== 220) {
    return run.stage('starttls', async () => {
      if (reply instanceof Error) throw reply;
      run.findings.push(replyFinding('starttls', 'STARTTLS', reply));
      return { ok: false, reply, detail: 'STARTTLS refused' };
    });
  }
  return upgrade(run, conn, target, 'starttls', options.timeoutMs, reply);
}

async function envelope(run: Run, conn: ProbeConnection, target: ProbeTarget, options: SessionOptions): Promise<boolean> {
  const from = options.from ?? 'probe@example.com';
  const mailOk = await run.stage('mailFrom', async () => {
    const reply = await conn.command(`MAIL FROM:<${from}>`, options.timeoutMs);
    if (reply.code !== 250) run.findings.push(replyFinding('mailFrom', `MAIL FROM:<${from}>`, reply));
    return { ok: reply.code === 250, reply, detail: from };
  });
  if (!mailOk) return false;
  const recipients = options.to && options.to.length > 0 ? options.to : [`postmaster@${target.mailDomain}`];
  return run.stage('rcptTo', async () => {
    let last: SmtpReply | null = null;
    let ok = true;
    for (const rcpt of recipients) {
      last = await conn.command(`RCPT TO:<${rcpt}>`, options.timeoutMs);
      if (last.code !== 250 && last.code !== 251) {
        ok = false;
        run.findings.push(replyFinding('rcptTo', `RCPT TO:<${rcpt}>`, last));
      }
    }
    return { ok, reply: last, detail: recipients.join(', ') };
  });
}

async function data(run: Run, conn: ProbeConnection, options: SessionOptions): Promise<void> {
  await run.stage('data', async () => {
    const go = await conn.command('DATA', options.timeoutMs);
    if (go.code !== 354) {
      run.findings.push(replyFinding('data', 'DATA', go));
      return { ok: false, reply: go, detail: 'DATA refused' };
    }
    const message = probeMessage({ from: options.from ?? 'probe@example.com', to: options.to ?? [], ehloName: options.ehloName });
    conn.sendRaw(toDataPayload(message), `(message, ${message.length} bytes, then ".")`);
    const reply = await conn.readReply(options.timeoutMs);
    if (reply.code !== 250) {
      run.findings.push(replyFinding('data', 'message', reply));
      return { ok: false, reply, detail: 'message refused' };
    }
    run.queueId = queueIdOf(reply.line);
    run.findings.push({ level: 'pass', stage: 'data', text: `message accepted${run.queueId ? `, queued as ${run.queueId}` : ''}` });
    return { ok: true, reply, detail: `${message.length} bytes` };
  });
}

async function quit(run: Run, conn: ProbeConnection, options: SessionOptions): Promise<void> {
  if (conn.closed) return conn.note('connection already closed by the server: no QUIT');
  const begin = performance.now();
  const reply = await conn.command('QUIT', options.timeoutMs).catch((err: unknown) => err as Error);
  if (reply instanceof ProbeIoError && reply.kind === 'closed') return conn.note('the server closed the connection before QUIT was answered');
  await run.stage('quit', async () => {
    if (reply instanceof Error) throw reply;
    return { ok: reply.code === 221, reply, detail: reply.code === 221 ? 'closed' : 'unexpected reply to QUIT' };
  });
  run.stages[run.stages.length - 1] = { ...run.stages.at(-1)!, ms: Math.round(performance.now() - begin) };
}

export type { Run };
