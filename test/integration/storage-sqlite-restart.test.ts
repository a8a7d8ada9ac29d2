/**
 * `--storage sqlite:FILE` end to end, as a user runs it: the built CLI takes mail from nodemailer,
 * is changed over REST, is stopped (SIGTERM) and killed (SIGKILL), and each restart on the same file
 * finds everything: raw bytes byte-exact, read state, tags, deletions, the limit, the seq.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import type { CliSink } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-sqlite-cli-'));
const running = new Set<CliSink>();
afterAll(async () => {
  for (const sink of running) await sink.stop();
  rmSync(dir, { recursive: true, force: true });
});
const file = path.join(dir, 'mail.db');
const ARGS = ['--storage', `sqlite:${file}`, '--max-messages', '4'];

async function start(): Promise<CliSink> {
  const sink = await startCli(ARGS);
  running.add(sink);
  return sink;
}

/** Every byte value in an attachment, so that the raw source carries them base64-encoded and the body bytes are checked exactly. */
const BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function send(sink: CliSink, n: number, extra: { to?: string; headers?: Record<string, string> } = {}): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ from: 'app@example.com', to: extra.to ?? 'user@example.org', subject: `message ${n} · café`, text: `body ${n}\r\n.leading dot\r\n`, headers: extra.headers, attachments: [{ filename: `bytes-${n}.bin`, content: BYTES }] });
    expect(info.response).toMatch(/^250 /);
    return info.messageId.replace(/^<|>$/g, '');
  } finally {
    transport.close();
  }
}

interface Summary {
  id: string;
  seq: number;
  subject: string;
  messageId: string;
  read: boolean;
  tags: string[];
}

async function list(sink: CliSink): Promise<{ total: number; messages: Summary[] }> {
  const res = await fetch(`${sink.httpUrl}/api/messages?limit=50`);
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; messages: Summary[] };
}

async function raw(sink: CliSink, id: string): Promise<Buffer> {
  const res = await fetch(`${sink.httpUrl}/api/messages/${id}/raw`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function patch(sink: CliSink, id: string, body: object): Promise<void> {
  const res = await fetch(`${sink.httpUrl}/api/messages/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

const view = (messages: Summary[]) => messages.map((m) => [m.seq, m.subject, m.read, m.tags]);

describe('--storage sqlite: mail survives SIGTERM and SIGKILL', () => {
  it('keeps raw bytes, read state, tags, deletions and the limit across restarts, and refuses a second instance', async () => {
    const first = await start();
    for (let n = 1; n <= 5; n++) await send(first, n, n === 3 ? { to: 'alice+signup@example.org', headers: { 'X-Tags': 'billing, Urgent' } } : {});
    const before = await list(first);
    expect(view(before.messages)).toEqual([
      [5, 'message 5 · café', false, []],
      [4, 'message 4 · café', false, []],
      [3, 'message 3 · café', false, ['billing', 'signup', 'Urgent']],
      [2, 'message 2 · café', false, []],
    ]);
    const [m5, m4, m3, m2] = before.messages.map((m) => m.id) as [string, string, string, string];
    await patch(first, m4, { read: true });
    await patch(first, m3, { tags: ['kept', 'Also kept'] });
    expect((await fetch(`${first.httpUrl}/api/messages/${m2}`, { method: 'DELETE' })).status).toBe(204);
    const raws = new Map<string, Buffer>();
    for (const id of [m5, m4, m3]) raws.set(id, await raw(first, id));
    expect(raws.get(m3)!.toString('latin1').replace(/\r\n/g, '')).toContain(BYTES.toString('base64'));

    const refused = await runCli(['--smtp-port', '0', '--http-port', '0', ...ARGS]);
    expect([refused.status, refused.stderr]).toEqual([1, `mailsink: --storage: ${file} is in use by another process\n`]);
    expect(await first.stop()).toBe(0);

    const second = await start();
    const after = await list(second);
    expect(after.total).toBe(3);
    expect(view(after.messages)).toEqual([
      [5, 'message 5 · café', false, []],
      [4, 'message 4 · café', true, []],
      [3, 'message 3 · café', false, ['Also kept', 'kept']],
    ]);
    for (const [id, bytes] of raws) expect((await raw(second, id)).equals(bytes)).toBe(true);
    expect((await fetch(`${second.httpUrl}/api/messages/${m2}`)).status).toBe(404);

    await send(second, 6);
    await send(second, 7);
    const acked = await send(second, 8); // the 250 came: it must survive a SIGKILL
    process.kill(second.pid, 'SIGKILL');
    await second.stop();

    const third = await start();
    const last = await list(third);
    expect(view(last.messages)).toEqual([
      [8, 'message 8 · café', false, []],
      [7, 'message 7 · café', false, []],
      [6, 'message 6 · café', false, []],
      [5, 'message 5 · café', false, []],
    ]);
    expect(last.messages[0]!.messageId).toBe(acked);
    expect((await raw(third, m5)).equals(raws.get(m5)!)).toBe(true);
    await send(third, 9);
    expect(view((await list(third)).messages).map(([seq]) => seq)).toEqual([9, 8, 7, 6]);
    expect(await third.stop()).toBe(0);
  });

  it('exits 1 with one line naming --storage for a file that is not its own, and leaves it as it was', async () => {
    const notes = path.join(dir, 'notes.db');
    writeFileSync(notes, 'my notes\n');
    const before = createHash('sha256').update(readFileSync(notes)).digest('hex');
    const result = await runCli(['--smtp-port', '0', '--http-port', '0', '--storage', `sqlite:${notes}`]);
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', `mailsink: --storage: ${notes} is not an SQLite database\n`]);
    expect(createHash('sha256').update(readFileSync(notes)).digest('hex')).toBe(before);
    expect(readdirSync(dir).filter((name) => name.startsWith('notes.db'))).toEqual(['notes.db']);
  });
});
