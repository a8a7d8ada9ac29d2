/**
 * The open-relay check (`--open-relay`): on a second connection, without AUTH, asks the server to
 * take mail from a foreign sender to a foreign recipient (RFC 5321 §7.1, RFC 2505). Refusing the
 * recipient is a pass; accepting it is a fail. No message is sent: the check ends with RSET.
 */
import { performance } from 'node:perf_hooks';
import { ProbeConnection } from './connection.js';
import type { TranscriptEntry } from './connection.js';
import type { ProbeFinding, ProbeReport } from './report.js';
import type { ProbeTarget } from './target.js';

/** Foreign addresses under the reserved `example.net` (RFC 2606): no server should accept them for relay. */
export const RELAY_TEST_FROM = 'relay-check@example.org';
export const RELAY_TEST_TO = 'relay-check@example.net';

/** Runs the check; adds its finding to `findings`. */
export async function checkOpenRelay(options: {
  target: ProbeTarget;
  timeoutMs: number;
  starttls: 'require' | 'try' | 'never';
  ehloName: string;
  findings: ProbeFinding[];
  transcript: TranscriptEntry[];
  startedAt: number;
}): Promise<NonNullable<ProbeReport['openRelay']>> {
  const { target, timeoutMs } = options;
  options.transcript.push({ atMs: Math.round(performance.now() - options.startedAt), direction: 'note', text: 'open-relay check: a second connection, without AUTH' });
  let conn: ProbeConnection | null = null;
  try {
    conn = await ProbeConnection.open({ host: target.host, port: target.port, implicitTls: target.implicitTls, timeoutMs, transcript: options.transcript, startedAt: options.startedAt });
    const banner = await conn.readReply(timeoutMs);
    if (banner.code !== 220) throw new Error(`no greeting (${banner.line})`);
    let ehlo = await conn.command(`EHLO ${options.ehloName}`, timeoutMs);
    if (!target.implicitTls && options.starttls !== 'never' && ehlo.lines.some((line) => /^STARTTLS\b/i.test(line))) {
      const go = await conn.command('STARTTLS', timeoutMs);
      if (go.code === 220) {
        await conn.upgradeToTls(target.servername, timeoutMs);
        ehlo = await conn.command(`EHLO ${options.ehloName}`, timeoutMs);
      }
    }
    const mail = await conn.command(`MAIL FROM:<${RELAY_TEST_FROM}>`, timeoutMs);
    const reply = mail.code === 250 ? await conn.command(`RCPT TO:<${RELAY_TEST_TO}>`, timeoutMs) : mail;
    const reported = { code: reply.code, enhancedCode: reply.enhancedCode, text: reply.line.slice(4) };
    await conn.command('RSET', timeoutMs).catch(() => null);
    await conn.command('QUIT', timeoutMs).catch(() => null);
    const open = reply.code === 250 || reply.code === 251;
    options.findings.push(
      open
        ? { level: 'fail', stage: 'relay', text: `open relay: accepted mail from ${RELAY_TEST_FROM} to ${RELAY_TEST_TO} without AUTH (${reply.line}); spammers will find it` }
        : { level: 'pass', stage: 'relay', text: `relay refused without AUTH: ${reply.line}` },
    );
    return { tested: true, open, reply: reported };
  } catch (err) {
    options.findings.push({ level: 'warn', stage: 'relay', text: `open-relay check could not finish: ${(err as Error).message}` });
    return { tested: false, open: null, reply: null };
  } finally {
    conn?.close();
  }
}
