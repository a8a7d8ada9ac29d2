/**
 * A real Postfix (Debian's `postfix` package) for tests: a throwaway configuration, queue and data
 * directory under the system temp dir, listening on 127.0.0.1 only, delivering nothing
 * (`discard` transports), with STARTTLS from a certificate the test makes. Runs `master -d` as its
 * own process group and stops it with the group. Needs root (Postfix drops to its `postfix` user),
 * as the test machines and CI run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const MASTER = '/usr/lib/postfix/sbin/master';

/** A running Postfix. */
export interface PostfixServer {
  readonly port: number;
  readonly hostname: string;
  /** What Postfix logged so far (its `maillog_file`). */
  log(): string;
  stop(): Promise<void>;
}

/** Options of {@link startPostfix}. */
export interface PostfixOptions {
  /** `myhostname` (banner and EHLO name). */
  hostname: string;
  /** Domains it accepts mail for (relay_domains); everything else is relay-denied. */
  acceptDomains: readonly string[];
  /** STARTTLS certificate and key (PEM); none → no STARTTLS. */
  tls?: { cert: string; key: string } | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function mainCf(dir: string, options: PostfixOptions): string {
  return [
    'compatibility_level = 3.6',
    `queue_directory = ${dir}/queue`,
    `data_directory = ${dir}/data`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `myhostname = ${options.hostname}`,
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'mydestination =',
    'mynetworks = 192.0.2.1/32',
    `relay_domains = ${options.acceptDomains.join(' ')}`,
    'default_transport = discard',
    'relay_transport = discard',
    'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
    'smtpd_peername_lookup = no',
    'smtputf8_enable = yes',
    `maillog_file_prefixes = ${dir}`,
    `maillog_file = ${dir}/data/maillog`,
    ...(options.tls ? [`smtpd_tls_cert_file = ${dir}/tls.crt`, `smtpd_tls_key_file = ${dir}/tls.key`, 'smtpd_tls_security_level = may'] : []),
    '',
  ].join('\n');
}

function masterCf(port: number): string {
  const services = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'local unix - n n - - local',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
    'tlsmgr unix - - n 1000? 1 tlsmgr',
  ];
  return `${services.join('\n')}\n`;
}

/** Resolves once `port` accepts a connection; rejects when `exited` settles first or after `timeoutMs`. */
async function listening(port: number, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  let done = false;
  const deadline = Date.now() + timeoutMs;
  const gone = exited.then(() => {
    done = true;
  });
  while (!done) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Postfix did not listen on ${port} within ${timeoutMs} ms`);
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 50))]);
  }
  throw new Error('Postfix exited before it listened');
}

/**
 * Starts Postfix on a free loopback port.
 * @throws Error naming the package when Postfix is not installed, or with its log when it does not start.
 */
export async function startPostfix(options: PostfixOptions): Promise<PostfixServer> {
  if (!existsSync(MASTER)) throw new Error(`Postfix is not installed (${MASTER} missing): apt-get install postfix (npm test installs it on Debian as root)`);
  if (process.getuid?.() !== 0) throw new Error('Postfix tests need root: Postfix starts as root and drops to its postfix user');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailsink-postfix-'));
  chmodSync(dir, 0o755); // Postfix's own user walks into the queue and data directories
  mkdirSync(path.join(dir, 'conf'));
  mkdirSync(path.join(dir, 'queue'));
  mkdirSync(path.join(dir, 'data'));
  const ids = spawnSync('id', ['-u', 'postfix'], { encoding: 'utf8' });
  chownSync(path.join(dir, 'data'), Number(ids.stdout.trim()), 0);
  if (options.tls) {
    writeFileSync(path.join(dir, 'tls.crt'), options.tls.cert);
    writeFileSync(path.join(dir, 'tls.key'), options.tls.key, { mode: 0o600 });
  }
  const port = await freePort();
  writeFileSync(path.join(dir, 'conf', 'main.cf'), mainCf(dir, options));
  writeFileSync(path.join(dir, 'conf', 'master.cf'), masterCf(port));
  const check = spawnSync('postfix', ['-c', path.join(dir, 'conf'), 'check'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`postfix check failed: ${check.stderr}${check.stdout}`);
  const child = spawn(MASTER, ['-d', '-c', path.join(dir, 'conf')], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await listening(port, exited, 20_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}; log: ${log}`);
  }
  return { port, hostname: options.hostname, log: () => `${log}${existsSync(path.join(dir, 'data', 'maillog')) ? readFileSync(path.join(dir, 'data', 'maillog'), 'utf8') : ''}`, stop };
}
