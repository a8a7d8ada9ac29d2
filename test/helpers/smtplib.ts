/**
 * Python's `smtplib` (a client we did not write) driven by a list of steps, for tests that need the
 * exact reply line a real client reports for each command. One `python3` process runs every
 * session of a call, one after the other, and prints their transcripts as JSON.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One smtplib call: `ehlo`, `auth` (PLAIN via `SMTP.auth`), `mail`, `rcpt`, `data`, `noop` or `rset`. */
export type SmtplibStep = ['ehlo'] | ['auth', string, string] | ['mail', string] | ['rcpt', string] | ['data', string] | ['noop'] | ['rset'];

/** One connection: where it comes from and what it does after the greeting. */
export interface SmtplibSession {
  /** Local address to connect from (default `127.0.0.1`). */
  localAddress?: string;
  steps: SmtplibStep[];
}

/**
 * Transcript lines: `"<code> <text>"` for each reply as smtplib reports it (the greeting first,
 * `"250"` alone for EHLO), and `"(closed)"` when smtplib found the connection closed instead.
 */
export type Transcript = string[];

const SCRIPT = String.raw`
import json, smtplib, sys
port = int(sys.argv[1])
sessions = json.loads(sys.argv[2])

def line(code, msg):
    return f"{code} {msg.decode() if isinstance(msg, bytes) else msg}"

out = []
for session in sessions:
    lines = []
    s = smtplib.SMTP(timeout=10, source_address=(session.get("localAddress", "127.0.0.1"), 0))
    try:
        lines.append(line(*s.connect("127.0.0.1", port)))
        for step in session["steps"]:
            op, args = step[0], step[1:]
            try:
                if op == "ehlo":
                    lines.append(str(s.ehlo("client.example")[0]))
                elif op == "auth":
                    s.user, s.password = args
                    lines.append(line(*s.auth("PLAIN", s.auth_plain)))
                elif op == "data":
                    lines.append(line(*s.data(args[0])))
                else:
                    lines.append(line(*getattr(s, op)(*args)))
            except (smtplib.SMTPAuthenticationError, smtplib.SMTPDataError) as e:
                lines.append(line(e.smtp_code, e.smtp_error))
        s.quit()
    except smtplib.SMTPServerDisconnected:
        lines.append("(closed)")
    finally:
        s.close()
    out.append(lines)
print(json.dumps(out))
`;

/** Runs the sessions with smtplib against `127.0.0.1:port`; resolves with one transcript per session. */
export async function smtplibSessions(port: number, sessions: readonly SmtplibSession[]): Promise<Transcript[]> {
  const { stdout } = await run('python3', ['-c', SCRIPT, String(port), JSON.stringify(sessions)], { timeout: 30_000 });
  return JSON.parse(stdout) as Transcript[];
}
