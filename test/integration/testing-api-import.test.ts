/**
 * Import: `POST /api/messages` with a `message/rfc822` body (curl, a client we did not write), and
 * the `mailsink import <file.eml|dir>` subcommand (the built CLI in a child process) sending the fixture
 * case files over SMTP to an in-process sink. Envelopes come from the headers unless given.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, MessageSummary } from '../../server/contract.js';
import { readCaseFile } from '../helpers/cases.js';
import { startTestSink, useSink } from '../helpers/sink.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'dist/server/main.js');
const run = promisify(execFile);

/** Runs `node dist/server/main.js …` without blocking this process (the sink lives in it). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('POST /api/messages (import)', () => {
  const sink = useSink({ maxMessageSize: '64K' });

  it('stores a case .eml byte-exact, envelope from its headers (curl)', async () => {
    const eml = readCaseFile('03-smtputf8-unicode-addresses.eml');
    const file = path.join(ROOT, 'test', 'fixtures', 'cases', '03-smtputf8-unicode-addresses.eml');
    const { stdout } = await run('curl', ['-sS', '-X', 'POST', '-H', 'Content-Type: message/rfc822', '--data-binary', `@${file}`, `${sink().httpUrl}/api/messages`]);
    const summary = JSON.parse(stdout) as MessageSummary;
    expect(summary.subject).toBe('Café für alle – naïve résumé 🚀');
    expect(summary.envelope).toEqual({ mailFrom: 'søren@example.com', rcptTo: ['josé.ramírez@example.org', '"odd user"@example.org', '用户@example.org'] });
    expect(Buffer.compare(Buffer.from(await sink().client.raw(summary.id)), eml)).toBe(0);
    expect((await sink().client.mailboxes()).map((m) => m.mailbox)).toEqual(['"odd user"@example.org', 'josé.ramírez@example.org', '用户@example.org']);
  });

  it('takes mailFrom/rcptTo from the query; Return-Path and Bcc from headers', async () => {
    const body = 'Return-Path: <bounces@app.example>\r\nFrom: App <app@app.example>\r\nTo: a@example.test\r\nBcc: Hidden <h@example.test>\r\nSubject: rp\r\n\r\nx\r\n';
    const post = (query: string) => fetch(`${sink().httpUrl}/api/messages${query}`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body });
    const fromHeaders = await post('');
    expect(fromHeaders.status).toBe(201);
    const stored = (await fromHeaders.json()) as MessageSummary;
    expect(fromHeaders.headers.get('location')).toBe(`/api/messages/${stored.id}`);
    expect(stored.envelope).toEqual({ mailFrom: 'bounces@app.example', rcptTo: ['a@example.test', 'h@example.test'] });
    const given = (await (await post('?mailFrom=&rcptTo=x@example.test&rcptTo=y@example.test')).json()) as MessageSummary;
    expect(given.envelope).toEqual({ mailFrom: '', rcptTo: ['x@example.test', 'y@example.test'] });
    const detail = await sink().client.get(given.id);
    expect(detail.bccOnly).toEqual(['x@example.test', 'y@example.test']);
    expect(detail.envelope).toMatchObject({ heloName: '', authUser: null, secure: false, remoteAddress: '127.0.0.1' });
  });

  it('refuses other media types (415), empty or recipient-less bodies (400) and oversize (413)', async () => {
    const post = async (type: string, body: string) => {
      const res = await fetch(`${sink().httpUrl}/api/messages`, { method: 'POST', headers: { 'content-type': type }, body });
      return { status: res.status, error: ((await res.json()) as ApiErrorBody).error };
    };
    expect(await post('application/json', '{}')).toMatchObject({ status: 415, error: { code: 'unsupported_media_type', field: 'body' } });
    expect(await post('message/rfc822', '')).toMatchObject({ status: 400, error: { field: 'body' } });
    expect(await post('message/rfc822', 'Subject: nobody\r\n\r\nx\r\n')).toMatchObject({ status: 400, error: { field: 'rcptTo', message: expect.stringContaining('no recipients') } });
    expect(await post('message/rfc822', `To: a@example.test\r\n\r\n${'x'.repeat(70_000)}`)).toMatchObject({ status: 413, error: { code: 'payload_too_large' } });
  });
});

describe('mailsink import (CLI subcommand)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-import-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends every .eml of a directory over SMTP; the sink stores each byte-exact', async () => {
    const sink = await startTestSink();
    try {
      const cases = ['03-smtputf8-unicode-addresses.eml', '04-charset-mix-no-charset-cp1251-latin1.eml', '06-dot-stuffing.eml'];
      for (const name of cases) writeFileSync(path.join(dir, name), readCaseFile(name));
      writeFileSync(path.join(dir, 'notes.txt'), 'not a message');
      const result = await cli(['import', dir, '--smtp-url', sink.smtpUrl]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      for (const [i, name] of cases.entries()) expect(lines[i]).toMatch(new RegExp(`^${path.join(dir, name)}: 250 2\\.0\\.0 Ok: queued as \\S+$`));
      expect(lines[3]).toBe(`mailsink import: 3 of 3 messages sent to ${sink.smtpUrl}`);
      const stored = sink.store.newestFirst().reverse();
      expect(stored.map((m) => Buffer.compare(m.raw, readCaseFile(cases[stored.indexOf(m)]!)))).toEqual([0, 0, 0]);
      expect(stored[0]!.envelope).toMatchObject({ mailFrom: 'søren@example.com', rcptTo: ['josé.ramírez@example.org', '"odd user"@example.org', '用户@example.org'], mailParams: { SMTPUTF8: true, BODY: '8BITMIME' } });
    } finally {
      await sink.stop();
    }
  });

  it('makes LF line endings CRLF and honours --mail-from/--rcpt-to for a single file', async () => {
    const sink = await startTestSink();
    try {
      const file = path.join(dir, 'lf.eml');
      writeFileSync(file, 'From: a@example.test\nSubject: lf\n\n.starts with a dot\nlast line');
      const result = await cli(['import', file, '--smtp-url', sink.smtpUrl, '--mail-from', 'env@example.test', '--rcpt-to', 'one@example.test', '--rcpt-to', 'two@example.test']);
      expect(result.code).toBe(0);
      const [message] = sink.store.newestFirst();
      expect(message!.raw.toString()).toBe('From: a@example.test\r\nSubject: lf\r\n\r\n.starts with a dot\r\nlast line\r\n');
      expect(message!.envelope).toMatchObject({ mailFrom: 'env@example.test', rcptTo: ['one@example.test', 'two@example.test'], heloName: 'mailsink-import' });
    } finally {
      await sink.stop();
    }
  });

  it('reports failures in one line each and exits 1', async () => {
    const sink = await startTestSink();
    const port = sink.smtpPort;
    try {
      const file = path.join(dir, 'norcpt.eml');
      writeFileSync(file, 'Subject: nobody\r\n\r\nx\r\n');
      const noRcpt = await cli(['import', file, '--smtp-url', sink.smtpUrl]);
      expect(noRcpt.code).toBe(1);
      expect(noRcpt.stderr).toBe(`mailsink: import ${file}: no recipients: the message has no To, Cc or Bcc address; give rcptTo\n`);
      await sink.client.faults.add({ stage: 'rcptTo', reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user' } });
      const refused = await cli(['import', path.join(dir, '06-dot-stuffing.eml'), '--smtp-url', sink.smtpUrl]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^mailsink: import .*06-dot-stuffing\.eml: RCPT TO → 550 5\.1\.1 No such user\n$/);
    } finally {
      await sink.stop();
    }
    const down = await cli(['import', path.join(dir, '06-dot-stuffing.eml'), '--smtp-url', `smtp://127.0.0.1:${port}`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(new RegExp(`^mailsink: import .*: cannot connect to smtp://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED .*\\n$`));
    const badArgs = [
      [['import'], 'mailsink: import: expected one .eml file or directory, got 0 (mailsink import --help)'],
      [['import', dir, '--smtp-url', 'http://x'], 'mailsink: import: invalid --smtp-url: expected smtp://host:port (got "http://x")'],
      [['import', path.join(dir, 'missing.eml')], `mailsink: import: cannot read ${path.join(dir, 'missing.eml')}: ENOENT`],
      [['import', dir, '--smtp-prot', '1'], "mailsink: import: invalid --smtp-prot: Unknown option '--smtp-prot'"],
    ] as const;
    const results = await Promise.all(badArgs.map(([args]) => cli([...args])));
    for (const [i, [args, message]] of badArgs.entries()) {
      expect(results[i]!.code, args.join(' ')).toBe(1);
      expect(results[i]!.stderr, args.join(' ')).toBe(`${message}\n`);
    }
    expect((await cli(['import', '--help'])).stdout).toMatch(/^Usage: mailsink import <file\.eml\|directory> \[options\]/);
  });
});
