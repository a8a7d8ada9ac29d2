/**
 * AUTH for the probe (RFC 4954): PLAIN (RFC 4616), LOGIN, or CRAM-MD5 (RFC 2195), the first of
 * these the server offers. Secrets never reach the transcript or the report: each line that carries
 * one is recorded as `AUTH PLAIN ********` or `********`.
 */
import { createHmac } from 'node:crypto';
import type { ProbeConnection, SmtpReply } from './connection.js';
import { replyFinding } from './findings.js';
import type { Run } from './probe.js';
import type { ProbeCapabilities } from './report.js';

const MASK = '********';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Mechanisms the probe speaks, in order of preference. */
export const PROBE_AUTH_MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const;

async function exchange(conn: ProbeConnection, mechanism: string, credentials: { user: string; pass: string }, timeoutMs: number): Promise<SmtpReply> {
  if (mechanism === 'PLAIN') return conn.command(`AUTH PLAIN ${b64(`\0${credentials.user}\0${credentials.pass}`)}`, timeoutMs, `AUTH PLAIN ${MASK}`);
  if (mechanism === 'LOGIN') {
    const first = await conn.command('AUTH LOGIN', timeoutMs);
    if (first.code !== 334) return first;
    const second = await conn.command(b64(credentials.user), timeoutMs, MASK);
    if (second.code !== 334) return second;
    return conn.command(b64(credentials.pass), timeoutMs, MASK);
  }
  const challenge = await conn.command('AUTH CRAM-MD5', timeoutMs);
  if (challenge.code !== 334) return challenge;
  const digest = createHmac('md5', credentials.pass).update(Buffer.from(challenge.lines[0] ?? '', 'base64')).digest('hex');
  return conn.command(b64(`${credentials.user} ${digest}`), timeoutMs, MASK);
}

/**
 * Runs the `auth` stage. Resolves to whether the server accepted the credentials (`235`).
 * @param secure - Whether TLS is up (AUTH in clear text is reported as a warning).
 */
export function authenticate(run: Run, conn: ProbeConnection, caps: ProbeCapabilities, credentials: { user: string; pass: string }, timeoutMs: number, secure: boolean): Promise<boolean> {
  return run.stage('auth', async () => {
    const mechanism = PROBE_AUTH_MECHANISMS.find((name) => caps.auth.includes(name));
    if (!mechanism) {
      const offered = caps.auth.length > 0 ? `it offers ${caps.auth.join(' ')}` : 'it offers no AUTH';
      run.findings.push({ level: 'fail', stage: 'auth', text: `cannot authenticate: ${offered} (the probe speaks ${PROBE_AUTH_MECHANISMS.join(', ')})` });
      return { ok: false, reply: null, detail: 'no common mechanism' };
    }
    if (!secure) run.findings.push({ level: 'warn', stage: 'auth', text: `AUTH ${mechanism} sent without TLS: the credentials crossed the network in clear text` });
    const reply = await exchange(conn, mechanism, credentials, timeoutMs);
    if (reply.code !== 235) {
      run.findings.push(replyFinding('auth', `AUTH ${mechanism} as ${credentials.user}`, reply));
      return { ok: false, reply, detail: `AUTH ${mechanism} as ${credentials.user}` };
    }
    run.findings.push({ level: 'pass', stage: 'auth', text: `AUTH ${mechanism} accepted for ${credentials.user}` });
    return { ok: true, reply, detail: `AUTH ${mechanism} as ${credentials.user}` };
  });
}
