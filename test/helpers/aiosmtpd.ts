/**
 * Python's aiosmtpd as a relay upstream (`test/fixtures/aiosmtpd-upstream.py`, Debian's
 * `python3-aiosmtpd`): STARTTLS with a certificate the test makes, AUTH required, every message
 * kept as `N.eml` (its bytes) and `N.json` (envelope and login) in a temp directory.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './cases.js';

/** Debian's Python, where `python3-aiosmtpd` installs (a `python3` earlier on PATH, e.g. pyenv's, may lack it). */
const PYTHON = '/usr/bin/python3';

/** A running aiosmtpd upstream. */
export interface AiosmtpdUpstream {
  port: number;
  /** Message `n` (1-based): its bytes and envelope. */
  message(n: number): { raw: Buffer; envelope: { mail_from: string; rcpt_tos: string[]; login: string | null } };
  stop(): Promise<void>;
}

/** Starts the upstream; resolves once it printed its port. */
export async function startAiosmtpd(tls: { cert: string; key: string }, auth: { user: string; pass: string }): Promise<AiosmtpdUpstream> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailsink-aiosmtpd-'));
  writeFileSync(path.join(dir, 'tls.crt'), tls.cert);
  writeFileSync(path.join(dir, 'tls.key'), tls.key);
  const script = path.join(repoRoot, 'test/fixtures/aiosmtpd-upstream.py');
  const child: ChildProcess = spawn(PYTHON, [script, path.join(dir, 'tls.crt'), path.join(dir, 'tls.key'), dir, auth.user, auth.pass], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.once('exit', (code) => reject(new Error(`aiosmtpd exited with ${code} before listening: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    message: (n) => ({ raw: readFileSync(path.join(dir, `${n}.eml`)), envelope: JSON.parse(readFileSync(path.join(dir, `${n}.json`), 'utf8')) }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
