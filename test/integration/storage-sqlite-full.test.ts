/**
 * `--storage sqlite:FILE` when the disk refuses writes: the file size limit of the process
 * (`ulimit -f`, with SIGXFSZ ignored, so a write past it fails with EFBIG as on a full disk). SMTP
 * then answers `451 4.3.0`, reads keep working, and exactly the messages that got a `250` are
 * stored, also after a restart without the limit, where their parse results are complete again.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { MAIN, startCli } from '../helpers/cli.js';
import type { CliSink } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-sqlite-full-'));
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
  rmSync(dir, { recursive: true, force: true });
});
const file = path.join(dir, 'mail.db');

/** mailsink under `ulimit -f 600` (300 KiB in dash's 512-byte blocks, 600 KiB in bash's). */
function startLimited(): Promise<{ smtpPort: number; httpUrl: string }> {
  const script = `trap "" XFSZ; ulimit -f 600; exec "${process.execPath}" "${MAIN}" --smtp-port 0 --http-port 0 --storage "sqlite:${file}"`;
  const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stops.push(() => (child.exitCode === null ? (child.kill('SIGTERM'), exited) : exited));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /SMTP smtp:\/\/127\.0\.0\.1:(\d+) · web inbox (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (match) resolve({ smtpPort: Number(match[1]), httpUrl: match[2]! });
    });
    child.once('exit', (code) => reject(new Error(`mailsink exited ${code} before its banner`)));
  });
}

/**
 * The Message-IDs of every stored message, read from their raw bytes: a message's parse results
 * (its summary's `messageId`) cannot be saved either while the disk refuses writes.
 */
async function storedIds(httpUrl: string): Promise<string[]> {
  const res = await fetch(`${httpUrl}/api/messages?limit=1000`);
  expect(res.status).toBe(200);
  const ids: string[] = [];
  for (const { id } of ((await res.json()) as { messages: { id: string }[] }).messages) {
    const raw = await (await fetch(`${httpUrl}/api/messages/${id}/raw`)).text();
    ids.push(/^Message-ID: <([^>]+)>/im.exec(raw)?.[1] ?? `no Message-ID in ${id}`);
  }
  return ids.sort();
}

describe('--storage sqlite: writes refused by the disk', () => {
  it('answers 451 4.3.0, stores nothing it refused and loses nothing it acknowledged', async () => {
    const sink = await startLimited();
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
    const acked: string[] = [];
    const refused: string[] = [];
    try {
      for (let n = 0; n < 60; n++) {
        const messageId = `full-${n}@full.test`;
        try {
          await transport.sendMail({ from: 'app@example.com', to: 'user@example.org', subject: `full ${n}`, text: 'x'.repeat(4000), messageId: `<${messageId}>` });
          acked.push(messageId);
        } catch (err) {
          expect((err as { response?: string }).response).toBe('451 4.3.0 Mail store unavailable, message not accepted: try again later');
          refused.push(messageId);
        }
      }
    } finally {
      transport.close();
    }
    expect(acked.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(await storedIds(sink.httpUrl)).toEqual([...acked].sort());
    await stops.pop()!();

    const again: CliSink = await startCli(['--storage', `sqlite:${file}`]);
    stops.push(() => again.stop());
    expect(await storedIds(again.httpUrl)).toEqual([...acked].sort());
    const listed = (await (await fetch(`${again.httpUrl}/api/messages?limit=1000`)).json()) as { messages: { messageId: string }[] };
    expect(listed.messages.map((m) => m.messageId).sort()).toEqual([...acked].sort());
  });
});
