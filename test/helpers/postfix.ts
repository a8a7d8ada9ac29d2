/**
 * A real Postfix (Debian's `postfix` package) for tests, in a throwaway directory under the system temp
 * dir: its own `main.cf`/`master.cf` (test/helpers/postfix-config.ts), queue and data directories,
 * smtpd on a free 127.0.0.1 port only. `master -d -c <dir>/conf` runs in the foreground in its own
 * process group. Nothing under /etc is changed: `master -c <dir>` run by root needs no
 * `alternate_config_directories` in /etc/postfix/main.cf (that list guards set-gid commands such as
 * postdrop run by other users; checked with Debian's Postfix 3.7.11), and a system Postfix, running or
 * not, is not touched (own queue, pid file, sockets and port). Needs root: Postfix starts as root and
 * drops to its `postfix` user. The queue is made here as `postfix check` would (it takes 3-4 s), and
 * main.cf is back-dated, since Postfix rereads a just-written main.cf until it is a few seconds old:
 * a start takes about 0.6 s.
 *
 * Two shapes: {@link startPostfix} (accepts some domains and discards their mail; for `mailsink probe`)
 * and {@link startPostfixUpstream} (STARTTLS and AUTH, delivers every recipient's mail to a maildir;
 * the upstream for the outbound relay, issue 17).
 *
 * Free port: bind port 0 and close it; when master then exits because the port was taken meanwhile
 * (binding it here fails with EADDRINUSE), the start retries on another, up to 5 ports. Ready when smtpd's `220` greeting arrives (bounded polls; timers never decide an outcome
 * but "not ready after N tries"). `close()`/`stop()` SIGTERMs the process group and waits; an exit
 * guard and a detached watchdog stop it if the test process dies first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PostfixConfig } from './postfix-config.js';
import { MAILBOX, MAILBOX_UID, mainCf, makeCertificate, makeQueue, makeSasl, masterCf, systemUser } from './postfix-config.js';
import { freePort, greeting, portInUse, readMaildir } from './postfix-io.js';
import type { DeliveredMessage } from './postfix-io.js';

export type { DeliveredMessage } from './postfix-io.js';

export const POSTFIX_MASTER = '/usr/lib/postfix/sbin/master';
const PORT_ATTEMPTS = 5;
const WATCHDOG = 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -TERM -- "-$2" 2>/dev/null';

/** A running Postfix. */
export interface PostfixServer {
  /** Always `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** `myhostname`: in the banner, EHLO reply and `Received:` headers. */
  readonly hostname: string;
  /** What Postfix logged so far (its `maillog_file`, and master's stdout/stderr). */
  log(): string;
  /** Stops Postfix (SIGTERM to its process group), waits for master to exit, removes the directory. Idempotent. */
  close(): Promise<void>;
  /** The same as {@link PostfixServer.close}. */
  stop(): Promise<void>;
}

/** Options of {@link startPostfix}. */
export interface PostfixOptions {
  /** `myhostname` (banner and EHLO name). */
  hostname: string;
  /** Domains it accepts mail for (relay_domains) and discards; everything else is relay-denied (554 5.7.1). */
  acceptDomains: readonly string[];
  /** STARTTLS certificate and key (PEM), offered (`smtpd_tls_security_level = may`); none → no STARTTLS. */
  tls?: { cert: string; key: string } | null;
}

/** Options of {@link startPostfixUpstream}. */
export interface PostfixUpstreamOptions {
  /** `myhostname`, also the certificate's CN and DNS SAN. Default `upstream.postfix-test.example`. */
  hostname?: string;
  /** STARTTLS offered (`may`, default) or required before MAIL FROM (`encrypt`). */
  tls?: 'may' | 'encrypt';
  /** The one AUTH user (PLAIN, LOGIN; only after STARTTLS; needed to send); null: no AUTH, anyone may send. Default `relay-user`/`relay-secret`. */
  auth?: { username: string; password: string } | null;
}

/** A Postfix that delivers everything it accepts to a maildir the test reads. */
export interface PostfixUpstream extends PostfixServer {
  /** The self-signed certificate (PEM) it presents after STARTTLS: pass as `tls.ca` to verify it. */
  readonly certificate: string;
  readonly auth: { username: string; password: string } | null;
  /**
   * Waits until at least `count` messages for `recipient` (any recipient when omitted; matched on
   * `Delivered-To`, case-insensitive) are in the maildir (one file per recipient) and returns those,
   * oldest first. Polls up to 400 times, 50 ms apart.
   * @throws Error with Postfix's log when fewer arrive.
   */
  delivered(count: number, recipient?: string): Promise<DeliveredMessage[]>;
}

interface Layout {
  dir: string;
  conf: string;
}

/**
 * Starts Postfix on a free loopback port, accepting mail for `acceptDomains` and discarding it.
 * @throws Error naming `node scripts/check-test-deps.js` when Postfix is missing, or with its log when it cannot start.
 */
export async function startPostfix(options: PostfixOptions): Promise<PostfixServer> {
  const config: PostfixConfig = { hostname: options.hostname, acceptDomains: options.acceptDomains, mailbox: false, tlsLevel: options.tls ? 'may' : null, auth: null };
  const { server } = await start(config, (dir) => {
    if (!options.tls) return;
    writeFileSync(path.join(dir, 'tls.crt'), options.tls.cert);
    writeFileSync(path.join(dir, 'tls.key'), options.tls.key, { mode: 0o600 });
  });
  return server;
}

/**
 * Starts Postfix as an SMTP upstream: STARTTLS with a fresh self-signed certificate, AUTH PLAIN and
 * LOGIN against a sasldb2 (Cyrus SASL), every recipient of any domain delivered to one maildir.
 * Postfix keeps the message as sent except that it prepends `Received:` (smtpd) and `Return-Path:`,
 * `X-Original-To:`, `Delivered-To:` (virtual); {@link DeliveredMessage.data} is without them.
 * @throws Error naming `node scripts/check-test-deps.js` when Postfix or Cyrus SASL is missing, or with its log when it cannot start.
 */
export async function startPostfixUpstream(options: PostfixUpstreamOptions = {}): Promise<PostfixUpstream> {
  const hostname = options.hostname ?? 'upstream.postfix-test.example';
  const auth = options.auth === undefined ? { username: 'relay-user', password: 'relay-secret' } : options.auth;
  if (auth && !existsSync('/usr/sbin/saslpasswd2')) throw new Error('Cyrus SASL is not installed (/usr/sbin/saslpasswd2): run `node scripts/check-test-deps.js` (Debian: apt-get install sasl2-bin libsasl2-modules)');
  const config: PostfixConfig = { hostname, acceptDomains: [], mailbox: true, tlsLevel: options.tls ?? 'may', auth };
  let certificate = '';
  const { server, dir } = await start(config, (root, postfix) => {
    certificate = makeCertificate(root, hostname);
    mkdirSync(path.join(root, 'mail'), { mode: 0o700 });
    chownSync(path.join(root, 'mail'), MAILBOX_UID, MAILBOX_UID);
    if (auth) makeSasl(root, hostname, auth, postfix);
  });
  const maildir = path.join(dir, 'mail', MAILBOX);
  return {
    ...server,
    certificate,
    auth,
    delivered: async (count, recipient) => {
      const messages = await readMaildir(maildir, count, 400, recipient);
      if (messages.length < count) throw new Error(`Postfix delivered ${messages.length} of ${count} messages${recipient ? ` to ${recipient}` : ''}; log:\n${server.log()}`);
      return messages;
    },
  };
}

async function start(config: PostfixConfig, prepare: (dir: string, postfix: { uid: number; gid: number }) => void): Promise<{ server: PostfixServer; dir: string }> {
  if (!existsSync(POSTFIX_MASTER)) throw new Error(`Postfix is not installed (${POSTFIX_MASTER}): run \`node scripts/check-test-deps.js\` (Debian: apt-get install postfix)`);
  if (process.getuid?.() !== 0) throw new Error('the Postfix tests need root: Postfix starts as root and drops to its postfix user');
  const postfix = systemUser('postfix');
  let log = '';
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const layout: Layout = { dir: mkdtempSync(path.join(os.tmpdir(), 'mailsink-postfix-')), conf: '' };
    try {
      layout.conf = makeLayout(layout.dir, postfix);
      prepare(layout.dir, postfix);
    } catch (err) {
      rmSync(layout.dir, { recursive: true, force: true });
      throw err;
    }
    const started = await launch(layout, config, await freePort());
    if ('server' in started) return { server: started.server, dir: layout.dir };
    log = started.log;
    if (!/address already in use/i.test(log)) break;
  }
  throw new Error(`Postfix did not start:\n${log}`);
}

/** Makes `conf`, `queue` (with its subdirectories) and `data` (Postfix's) in `dir`; returns the `conf` path. */
function makeLayout(dir: string, postfix: { uid: number; gid: number }): string {
  chmodSync(dir, 0o755); // Postfix's own user walks into the queue and data directories
  const conf = path.join(dir, 'conf');
  for (const sub of [conf, path.join(dir, 'queue'), path.join(dir, 'data')]) mkdirSync(sub);
  chownSync(path.join(dir, 'data'), postfix.uid, postfix.gid);
  makeQueue(path.join(dir, 'queue'), postfix);
  return conf;
}

/**
 * What `postfix check` says about a configuration that did not start (it takes a few seconds). Postfix
 * commands print to stderr only when it is a terminal (else to syslog), so it runs under `script`
 * (util-linux), which gives it one; `conf` is a mkdtemp path (no quotes in it).
 */
function diagnose(conf: string): string {
  const check = spawnSync('script', ['-qec', `/usr/sbin/postfix -c '${conf}' check`, '/dev/null'], { encoding: 'utf8' });
  return `postfix check: exit ${check.status ?? check.error?.message}; ${check.stdout}${check.stderr}`.trim();
}

/** master in the foreground, in its own process group, with an exit guard and a watchdog; `halt()` SIGTERMs the group and waits. */
function spawnMaster(conf: string): { exited: Promise<void>; output: () => string; halt: () => Promise<void> } {
  const child = spawn(POSTFIX_MASTER, ['-d', '-c', conf], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'mailsink-postfix-watchdog', String(process.pid), String(child.pid)], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('exit', kill);
  const halt = async () => {
    process.off('exit', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
    await exited;
    watchdog.kill();
  };
  return { exited, output: () => output, halt };
}

async function launch({ dir, conf }: Layout, config: PostfixConfig, port: number): Promise<{ server: PostfixServer } | { log: string }> {
  writeFileSync(path.join(conf, 'main.cf'), mainCf(dir, config));
  writeFileSync(path.join(conf, 'master.cf'), masterCf(port));
  // Postfix rereads a main.cf changed in the last few seconds until it is that old (a file still being
  // written: 300 ms sleeps); dated a minute back it is read at once (2 s sooner).
  const past = new Date(Date.now() - 60_000);
  for (const file of ['main.cf', 'master.cf']) utimesSync(path.join(conf, file), past, past);
  const master = spawnMaster(conf);
  const maillog = path.join(dir, 'data', 'maillog');
  const log = () => `${master.output()}${existsSync(maillog) ? readFileSync(maillog, 'utf8') : ''}`;
  if (!(await greeting(port, master.exited, 400))) {
    await master.halt();
    // master logs fatal errors from before postlogd runs (a port it cannot bind, a bad setting) to syslog only.
    const why = (await portInUse(port)) ? `bind 127.0.0.1:${port}: address already in use` : diagnose(conf);
    const text = `${log()}\n${why}`;
    rmSync(dir, { recursive: true, force: true });
    return { log: text };
  }
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= master.halt().then(() => rmSync(dir, { recursive: true, force: true })));
  return { server: { host: '127.0.0.1', port, hostname: config.hostname, log, close, stop: close } };
}
