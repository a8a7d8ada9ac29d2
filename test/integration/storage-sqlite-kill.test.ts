/**
 * `kill -9` of a mailsink on `--storage sqlite:FILE` in the middle of a burst: every message that got
 * a `250` is in the file afterwards, none twice, and nothing is there that the clients did not send.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import type { CliSink } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-sqlite-kill-'));
const running = new Set<CliSink>();
afterAll(async () => {
  for (const sink of running) await sink.stop();
  rmSync(dir, { recursive: true, force: true });
});

const SENDERS = 8;
const PER_SENDER = 40;
const KILL_AFTER = 60;

describe('--storage sqlite: kill -9 mid-burst', () => {
  it('keeps every acknowledged message exactly once', async () => {
    const args = ['--storage', `sqlite:${path.join(dir, 'mail.db')}`];
    const first = await startCli(args);
    running.add(first);
    const acked: string[] = [];
    const attempted = new Set<string>();
    const sender = async (s: number) => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: first.smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
      try {
        for (let n = 0; n < PER_SENDER; n++) {
          const messageId = `<burst-${s}-${n}@kill.test>`;
          attempted.add(messageId.slice(1, -1));
          const info = await transport.sendMail({ from: 'app@example.com', to: `user${s}@example.org`, subject: `burst ${s}-${n}`, text: 'x'.repeat(2000), messageId });
          if (!/^250 /.test(info.response)) throw new Error(`not 250: ${info.response}`);
          acked.push(messageId.slice(1, -1));
          if (acked.length === KILL_AFTER) process.kill(first.pid, 'SIGKILL');
        }
      } catch {
        // the connection died with the process: this sender's message in flight got no 250
      } finally {
        transport.close();
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
    await first.stop();
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acked.length).toBeLessThan(SENDERS * PER_SENDER);

    const second = await startCli(args);
    running.add(second);
    const res = await fetch(`${second.httpUrl}/api/messages?limit=1000`);
    const { total, messages } = (await res.json()) as { total: number; messages: { messageId: string; seq: number }[] };
    const stored = messages.map((m) => m.messageId);
    expect(total).toBe(stored.length);
    expect(new Set(stored).size).toBe(stored.length);
    for (const id of acked) expect(stored).toContain(id);
    for (const id of stored) expect(attempted.has(id)).toBe(true);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => total - i));
    expect(await second.stop()).toBe(0);
  });
});
