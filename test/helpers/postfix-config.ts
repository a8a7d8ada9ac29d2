/**
 * The throwaway configuration of the test Postfix (test/helpers/postfix.ts): `main.cf`, `master.cf`,
 * the Cyrus SASL application file and its sasldb2, and a self-signed certificate made with openssl.
 * Everything lives in one temp directory; nothing under /etc is read for settings or written.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Debian's `nobody`: the owner of delivered mail (virtual(8) never delivers as root or as Postfix). */
export const MAILBOX_UID = 65534;
/** The maildir (under `<dir>/mail`) every recipient's mail goes into. */
export const MAILBOX = 'inbox';

/** What the configuration is made for. */
export interface PostfixConfig {
  hostname: string;
  /** `discard` mode: domains accepted (relay_domains) and thrown away; others are relay-denied. */
  acceptDomains: readonly string[];
  /** `mailbox` mode: every recipient, any domain, is delivered to the maildir `<dir>/mail/inbox/`. */
  mailbox: boolean;
  /** STARTTLS: offered (`may`) or required before MAIL (`encrypt`); null: none. Files `<dir>/tls.crt`, `<dir>/tls.key`. */
  tlsLevel: 'may' | 'encrypt' | null;
  /** AUTH PLAIN and LOGIN (Cyrus SASL, sasldb2 at `<dir>/conf/sasl/sasldb2`), only after STARTTLS; required to send. */
  auth: { username: string; password: string } | null;
}

/** `main.cf` for a configuration rooted at `dir` (absolute). */
export function mainCf(dir: string, config: PostfixConfig): string {
  const lines = [
    'compatibility_level = 3.6',
    `queue_directory = ${dir}/queue`,
    `data_directory = ${dir}/data`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `myhostname = ${config.hostname}`,
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'mydestination =',
    // No local(8) delivery: no alias lookups (the default includes NIS, which warns).
    'alias_maps =',
    'alias_database =',
    // Nothing on loopback is trusted: sending needs AUTH when it is on, as at a real upstream.
    'mynetworks = 192.0.2.1/32',
    'default_transport = discard',
    'relay_transport = discard',
    'smtpd_peername_lookup = no',
    'smtputf8_enable = yes',
    // 127.0.0.1 is an inet interface, so by default cleanup would rewrite header addresses of mail from it.
    'local_header_rewrite_clients =',
    `maillog_file_prefixes = ${dir}`,
    `maillog_file = ${dir}/data/maillog`,
  ];
  if (config.mailbox) {
    lines.push(
      'relay_domains =',
      'virtual_mailbox_domains = static:all',
      `virtual_mailbox_base = ${dir}/mail`,
      `virtual_mailbox_maps = static:${MAILBOX}/`,
      `virtual_uid_maps = static:${MAILBOX_UID}`,
      `virtual_gid_maps = static:${MAILBOX_UID}`,
    );
  } else {
    lines.push(`relay_domains = ${config.acceptDomains.join(' ')}`);
  }
  const permit = config.auth ? 'permit_sasl_authenticated, reject' : 'permit_mynetworks, reject_unauth_destination';
  lines.push(`smtpd_relay_restrictions = ${permit}`);
  if (config.tlsLevel) lines.push(`smtpd_tls_cert_file = ${dir}/tls.crt`, `smtpd_tls_key_file = ${dir}/tls.key`, `smtpd_tls_security_level = ${config.tlsLevel}`, 'smtpd_tls_received_header = yes');
  if (config.auth) {
    lines.push(
      'smtpd_sasl_auth_enable = yes',
      'smtpd_sasl_type = cyrus',
      'smtpd_sasl_path = smtpd',
      // Debian's Postfix reads <config_directory>/sasl/smtpd.conf whatever this says; upstream's reads this.
      `cyrus_sasl_config_path = ${dir}/conf/sasl`,
      // saslpasswd2 stores user@realm; the realm smtpd asks for is this one, not the machine's name.
      'smtpd_sasl_local_domain = $myhostname',
      'smtpd_sasl_security_options = noanonymous',
      `smtpd_tls_auth_only = ${config.tlsLevel ? 'yes' : 'no'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `master.cf`: smtpd on `127.0.0.1:<port>` and the daemons a delivery needs, none chrooted. */
export function masterCf(port: number): string {
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
    'virtual unix - n n - - virtual',
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

/** The queue's subdirectories as `postfix check` makes them (owner postfix; group root unless named), mode. */
const QUEUE_DIRS: readonly [string, number, 'postdrop'?][] = [
  ['active', 0o700], ['bounce', 0o700], ['corrupt', 0o700], ['defer', 0o700], ['deferred', 0o700], ['flush', 0o700], ['hold', 0o700],
  ['incoming', 0o700], ['private', 0o700], ['saved', 0o700], ['trace', 0o700], ['maildrop', 0o730, 'postdrop'], ['public', 0o710, 'postdrop'],
];

/**
 * Makes `<queue>/pid` (root) and the queue's subdirectories with the owners and modes `postfix check`
 * gives them (`postfix check` itself takes 3 to 4 s: dozens of postconf runs and a find over the tree).
 */
export function makeQueue(queue: string, postfix: { uid: number }): void {
  mkdirSync(path.join(queue, 'pid'), { mode: 0o755 });
  const postdrop = systemGroup('postdrop');
  for (const [name, mode, group] of QUEUE_DIRS) {
    const sub = path.join(queue, name);
    mkdirSync(sub);
    chownSync(sub, postfix.uid, group ? postdrop : 0);
    chmodSync(sub, mode);
  }
}

function systemGroup(name: string): number {
  const entry = readFileSync('/etc/group', 'utf8').split('\n').find((line) => line.startsWith(`${name}:`));
  if (!entry) throw new Error(`no system group ${name}: is Postfix installed? run \`node scripts/check-test-deps.js\``);
  return Number(entry.split(':')[2]);
}

/** The uid and gid of a system user, from `id`. */
export function systemUser(name: string): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error(`no system user ${name}: is Postfix installed? run \`node scripts/check-test-deps.js\``);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(command: string, args: string[], input?: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', input });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`);
}

/**
 * A self-signed certificate (EC P-256, 30 days, CN and DNS SAN `hostname`, IP SAN 127.0.0.1) made by
 * openssl into `<dir>/tls.crt` and `<dir>/tls.key`.
 * @returns the certificate, PEM.
 */
export function makeCertificate(dir: string, hostname: string): string {
  const [crt, key] = [path.join(dir, 'tls.crt'), path.join(dir, 'tls.key')];
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30', '-subj', `/CN=${hostname}`,
    '-addext', `subjectAltName=DNS:${hostname},IP:127.0.0.1`, '-keyout', key, '-out', crt]);
  return readFileSync(crt, 'utf8');
}

/**
 * Cyrus SASL for smtpd: `<dir>/conf/sasl/smtpd.conf` (auxprop sasldb, PLAIN and LOGIN) and the user in
 * `<dir>/conf/sasl/sasldb2` (saslpasswd2, realm `hostname`), both readable by Postfix's user.
 * @throws Error when saslpasswd2 is missing or fails.
 */
export function makeSasl(dir: string, hostname: string, auth: { username: string; password: string }, postfix: { uid: number; gid: number }): void {
  const sasl = path.join(dir, 'conf', 'sasl');
  mkdirSync(sasl);
  const db = path.join(sasl, 'sasldb2');
  writeFileSync(path.join(sasl, 'smtpd.conf'), `pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\nsasldb_path: ${db}\n`);
  run('/usr/sbin/saslpasswd2', ['-f', db, '-u', hostname, '-c', '-p', auth.username], auth.password);
  for (const file of [sasl, db]) chownSync(file, postfix.uid, postfix.gid);
}
