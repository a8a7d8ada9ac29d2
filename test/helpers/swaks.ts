/**
 * swaks (a client we did not write) against a sink: plain, `--tls` (STARTTLS) or `--tlsc`
 * (implicit TLS), with or without `--auth`. Resolves with its exit code (swaks documents them:
 * 0 ok, 21 banner, 23 MAIL FROM, 24 no recipient accepted, 26 after DATA, 28 AUTH, 29 TLS), the
 * server lines it flagged as errors (`<** `), the lines it received (`<-  ` plain, `<~  ` over
 * TLS) and its whole output.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's `swaks` package installs it (`.ci/run` installs it with its TLS module). */
export const SWAKS = '/usr/bin/swaks';

export interface SwaksResult {
  exitCode: number;
  /** Server replies swaks marked as errors, without the `<** ` (plain) or `<~* ` (TLS) prefix. */
  errorLines: string[];
  /** Every server line received, without its prefix. */
  serverLines: string[];
  /** Every command sent, without its prefix (` -> ` plain, ` ~> ` over TLS). */
  clientLines: string[];
  output: string;
}

/** Runs swaks against `127.0.0.1:port` with `args` after the server options. */
export function swaks(port: number, args: readonly string[]): Promise<SwaksResult> {
  if (!existsSync(SWAKS)) throw new Error(`swaks not found at ${SWAKS}: install it with \`apt-get install -y swaks libnet-ssleay-perl\` (.ci/run does)`);
  return new Promise((resolve, reject) => {
    execFile(SWAKS, ['--server', '127.0.0.1', '--port', String(port), '--timeout', '10', '--helo', 'client.example', ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      const output = stdout + stderr;
      const lines = output.split('\n');
      const strip = (prefixes: RegExp) => lines.filter((line) => prefixes.test(line)).map((line) => line.slice(4));
      resolve({
        exitCode: err ? (err.code as number) : 0,
        errorLines: strip(/^<(\*\*|~\*) /),
        serverLines: strip(/^(<-|<~|<\*) /),
        clientLines: strip(/^ (->|~>) /),
        output,
      });
    });
  });
}
