/**
 * Load generators. Postfix's `smtp-source` (Debian package `postfix`) when installed, otherwise a
 * Node generator speaking plain SMTP over loopback sockets (no pipelining, like smtp-source).
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

/** One load run. */
export interface LoadSpec {
  port: number;
  sessions: number;
  messages: number;
  /** Body length in bytes. */
  bodyBytes: number;
  /** Send all of a session's messages over one connection. */
  reuse: boolean;
}

/** Which generator is used. */
export function generatorName(): string {
  return hasSmtpSource() ? 'smtp-source (postfix)' : 'node generator';
}

/** Runs the load; resolves with the elapsed ms. Rejects if the generator fails. */
export function runLoad(spec: LoadSpec): Promise<number> {
  return hasSmtpSource() ? smtpSource(spec) : nodeLoad(spec);
}

function hasSmtpSource(): boolean {
  return spawnSync('sh', ['-c', 'command -v smtp-source']).status === 0;
}

function smtpSource(spec: LoadSpec): Promise<number> {
  const args = ['-s', String(spec.sessions), '-l', String(spec.bodyBytes), '-m', String(spec.messages), '-f', 'bench@example.com', '-t', 'sink@example.org', '-M', 'bench.example'];
  if (spec.reuse) args.unshift('-d');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('smtp-source', [...args, `127.0.0.1:${spec.port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`smtp-source exited ${code}: ${stderr.slice(0, 500)}`))));
  });
}

async function nodeLoad(spec: LoadSpec): Promise<number> {
  const body = Buffer.from(`From: <bench@example.com>\r\nTo: <sink@example.org>\r\nSubject: bench\r\n\r\n${'X'.repeat(Math.max(0, spec.bodyBytes - 2))}\r\n`);
  const perSession = Array.from({ length: spec.sessions }, (_, i) => Math.floor(spec.messages / spec.sessions) + (i < spec.messages % spec.sessions ? 1 : 0));
  const started = performance.now();
  await Promise.all(perSession.map((count) => session(spec.port, count, body, spec.reuse)));
  return performance.now() - started;
}

async function session(port: number, count: number, body: Buffer, reuse: boolean): Promise<void> {
  for (let sent = 0; sent < count; ) {
    const batch = reuse ? count - sent : 1;
    await connection(port, batch, body);
    sent += batch;
  }
}

function connection(port: number, messages: number, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = '';
    let step = 0;
    let done = 0;
    const script = (): void => {
      const commands = ['EHLO bench.example\r\n', 'MAIL FROM:<bench@example.com>\r\n', 'RCPT TO:<sink@example.org>\r\n', 'DATA\r\n'];
      if (step === 0) return; // greeting
      if (step <= 4) socket.write(commands[step - 1]!);
      else if (step === 5) socket.write(Buffer.concat([body, Buffer.from('.\r\n')]));
    };
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (line[3] === '-') continue;
        if (!/^[23]/.test(line)) return reject(new Error(`unexpected reply: ${line}`));
        if (step === 5) {
          done += 1;
          if (done === messages) return void socket.end('QUIT\r\n', () => resolve());
          step = 2;
        } else step += 1;
        script();
      }
    });
    socket.on('error', reject);
  });
}
