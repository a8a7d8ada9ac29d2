#!/usr/bin/env node
// `npm run test:pack` (run by .ci/run): packs the package as `npm publish` would, checks the packed
// file list, installs the tarball into an empty folder and uses it there as a user would: the CLI
// (`npx mailsink --help`, one real start on port 0 answering /api/health), `import { startSink }
// from 'mailsink'` (with the auth and HTML checks, so mailauth and caniemail load from the installed tree), `mailsink/client`, and the .d.ts types (compiled by this repo's tsc).
// Prints what it checked; exits 1 with the first failure. Needs the npm registry (or its cache).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(execFileSync('npm', ['pkg', 'get', 'name', 'version', '--json'], { cwd: root, encoding: 'utf8' }));
const work = mkdtempSync(path.join(tmpdir(), 'mailsink-pack-'));
const fail = (message) => {
  throw new Error(message);
};
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

const REQUIRED = ['package.json', 'LICENSE', 'README.md', 'ui/dist/index.html'].concat(
  ['main', 'index', 'client', 'core/parse-worker'].flatMap((m) => [`dist/server/${m}.js`, `dist/server/${m}.d.ts`]),
);
/** Sources, tests and source maps never ship: only compiled JS, .d.ts and the built UI. */
const FORBIDDEN = /^(test|server|bench|scripts|docs|ui\/src|node_modules)\/|\.map$|(?<!\.d)\.tsx?$/;

/** `npm pack` (which runs `prepare`, the build) → the tarball path and its file list. */
function pack() {
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  const files = info.files.map((f) => f.path);
  const missing = REQUIRED.filter((f) => !files.includes(f));
  if (missing.length > 0) fail(`packed file list lacks ${missing.join(', ')}`);
  const extra = files.filter((f) => FORBIDDEN.test(f));
  if (extra.length > 0) fail(`packed file list has sources or maps: ${extra.slice(0, 5).join(', ')}`);
  console.log(`test:pack: ${info.filename}: ${files.length} files, ${info.size} bytes packed, ${info.unpackedSize} unpacked`);
  return path.join(work, info.filename);
}

/** Starts the installed CLI on port 0, reads the banner's inbox URL, checks /api/health, stops it. */
async function startCli(app) {
  const bin = path.join(app, 'node_modules', '.bin', 'mailsink');
  const child = spawn(bin, ['--smtp-port', '0', '--http-port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  try {
    const banner = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      exited.then((code) => reject(new Error(`mailsink exited (${code}) before its banner: ${out}`)));
    });
    const url = /web inbox (http:\/\/127\.0\.0\.1:\d+)\//.exec(banner)?.[1] ?? fail(`no inbox URL in the banner: ${banner}`);
    const health = await (await fetch(`${url}/api/health`)).json();
    if (health.version !== pkg.version || health.messages !== 0) fail(`/api/health answered ${JSON.stringify(health)}`);
    const page = await fetch(`${url}/`);
    if (page.status !== 200 || !(await page.text()).includes('<div id="root">')) fail(`GET / answered ${page.status} without the inbox page`);
    console.log(`test:pack: the installed CLI started: ${banner}; /api/health says version ${health.version}; / serves the inbox`);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  if (code !== 0 && code !== 'SIGTERM') fail(`mailsink exited with ${code} on SIGTERM`);
}

const USE = `import { startSink } from 'mailsink';
import { createClient } from 'mailsink/client';
const sink = await startSink({ smtpPort: 0, httpPort: 0 });
const client = createClient(sink.httpUrl);
const stored = await client.importMessage('From: a@example.com\\r\\nTo: b@example.org\\r\\nSubject: packed =?utf-8?q?caf=C3=A9?=\\r\\n\\r\\nhi\\r\\n');
const subject = (await client.get(stored.id)).subject; // parsed on the packed parse worker
const check = async (kind) => (await fetch(\`\${sink.httpUrl}/api/messages/\${stored.id}/checks/\${kind}\`)).json();
const checks = \`auth \${(await check('auth')).summary}, html \${(await check('html')).score}\`; // mailauth and caniemail load from the packed tree
const health = await client.health();
await sink.stop();
console.log(JSON.stringify({ smtpPort: sink.smtpPort > 0, version: health.version, messages: health.messages, subject, checks }));
`;
const TYPES = `import { startSink, type Sink } from 'mailsink';
import { createClient, type MailsinkClient } from 'mailsink/client';
const sink: Sink = await startSink({ smtpPort: 0, httpPort: 0 });
const client: MailsinkClient = createClient(sink.httpUrl);
const port: number = sink.smtpPort;
// @ts-expect-error smtpPort is a number, not a string
const wrong: string = sink.smtpPort;
export { client, port, wrong };
`;

/** Installs the tarball into an empty folder and uses it there. */
async function useInstalled(tarball) {
  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], app);
  const help = execFileSync('npx', ['--no-install', 'mailsink', '--help'], { cwd: app, encoding: 'utf8' });
  if (!/--smtp-port/.test(help)) fail(`npx mailsink --help printed no --smtp-port: ${help.slice(0, 200)}`);
  console.log(`test:pack: npx mailsink --help: ${help.split('\n')[0]}`);
  await startCli(app);
  writeFileSync(path.join(app, 'use.js'), USE);
  const used = execFileSync(process.execPath, ['use.js'], { cwd: app, encoding: 'utf8' }).trim();
  if (used !== JSON.stringify({ smtpPort: true, version: pkg.version, messages: 1, subject: 'packed café', checks: 'auth none, html 100' })) fail(`startSink script printed ${used}`);
  console.log(`test:pack: import { startSink } from 'mailsink' and mailsink/client work: ${used}`);
  writeFileSync(path.join(app, 'types.ts'), TYPES);
  const tsconfig = { compilerOptions: { module: 'nodenext', target: 'es2023', strict: true, noEmit: true, types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')] }, files: ['types.ts'] };
  writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
  execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', app], { cwd: app, stdio: 'inherit' });
  console.log('test:pack: the .d.ts types of mailsink and mailsink/client compile in a strict TypeScript project');
}

try {
  await useInstalled(pack());
  rmSync(work, { recursive: true, force: true });
} catch (err) {
  console.error(`test:pack: ${err instanceof Error ? err.message : String(err)} (kept ${work})`);
  process.exit(1);
}
