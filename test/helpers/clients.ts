/**
 * Real clients for the TLS and AUTH tests, besides nodemailer and swaks: Python's `smtplib`
 * (`starttls()`, `login()`, `SMTP_SSL`) and `curl` (`--ssl-reqd smtp://`, `smtps://`). Each sends
 * one message and reports what the client itself reported.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How `smtplibSend` connects: plain, plain then STARTTLS, or implicit TLS; with optional login. */
export interface SmtplibOptions {
  mode: 'plain' | 'starttls' | 'ssl';
  login?: { user: string; password: string };
  subject: string;
}

const SMTPLIB = String.raw`
import json, smtplib, ssl, sys
port, opts = int(sys.argv[1]), json.loads(sys.argv[2])
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
out = {}
try:
    if opts["mode"] == "ssl":
        s = smtplib.SMTP_SSL("127.0.0.1", port, timeout=10, context=ctx)
    else:
        s = smtplib.SMTP("127.0.0.1", port, timeout=10)
    s.ehlo("client.example")
    out["features"] = sorted(s.esmtp_features.keys())
    if opts["mode"] == "starttls":
        out["starttls"] = list(map(lambda v: v.decode() if isinstance(v, bytes) else v, s.starttls(context=ctx)))
        s.ehlo("client.example")
    if "login" in opts:
        code, text = s.login(opts["login"]["user"], opts["login"]["password"])
        out["login"] = f"{code} {text.decode()}"
    msg = f"From: py@example.com\r\nTo: rcpt@example.org\r\nSubject: {opts['subject']}\r\n\r\nbody\r\n"
    out["refused"] = s.sendmail("py@example.com", ["rcpt@example.org"], msg)
    s.quit()
except smtplib.SMTPResponseException as e:
    out["error"] = f"{e.smtp_code} {e.smtp_error.decode() if isinstance(e.smtp_error, bytes) else e.smtp_error}"
print(json.dumps(out))
`;

/** What smtplib reported: EHLO keywords, the STARTTLS and login replies, refused recipients or the error reply. */
export interface SmtplibResult {
  features: string[];
  starttls?: [number, string];
  login?: string;
  refused?: Record<string, unknown>;
  error?: string;
}

/** Sends one message with Python's smtplib. */
export async function smtplibSend(port: number, options: SmtplibOptions): Promise<SmtplibResult> {
  const { stdout } = await run('python3', ['-c', SMTPLIB, String(port), JSON.stringify(options)], { timeout: 20_000 });
  return JSON.parse(stdout) as SmtplibResult;
}

/** What curl did: its exit code and stderr. */
export interface CurlResult {
  exitCode: number;
  stderr: string;
}

/**
 * Uploads `message` with curl to `url` (`smtp://127.0.0.1:port` with `--ssl-reqd`, or
 * `smtps://…`), certificate checks off (`-k`, the sink's certificate is self-signed).
 */
export function curlSend(url: string, message: string, extra: readonly string[] = []): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '-k', '--max-time', '15', url, '--mail-from', 'curl@example.com', '--mail-rcpt', 'rcpt@example.org', '--upload-file', '-', ...extra], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? -1, stderr }));
    child.stdin.end(message);
  });
}
