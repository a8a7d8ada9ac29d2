/**
 * Reliability: 500 clients connected at the same time, each sending 10 messages over its own
 * connection, to the built CLI (its own process, so server and clients get a core each). All 500
 * sessions are open at once (every one is greeted before any sends, and the kernel's socket table
 * shows 500 server-side connections); then every message must be acknowledged with its own id and
 * be listed over REST exactly once: 5,000 sent, 5,000 stored, none lost. Uses 500 + 500 file
 * descriptors (`ulimit -n` is far above that).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { startCli } from '../helpers/cli.js';
import type { CliSink } from '../helpers/cli.js';
import { processRss } from '../helpers/memory.js';
import { openSmtp } from '../helpers/smtp-session.js';
import type { SmtpSession } from '../helpers/smtp-session.js';
import { serverSockets } from '../helpers/tcp-sockets.js';

const CONNECTIONS = 500;
const PER_CONNECTION = 10;
const REPLY_TIMEOUT_MS = 30_000;
const FILLER = 'The quick brown fox jumps over the lazy dog. '.repeat(20);

describe(`${CONNECTIONS} concurrent connections × ${PER_CONNECTION} messages`, () => {
  let sink: CliSink;
  beforeAll(async () => {
    sink = await startCli(['--max-messages', String(CONNECTIONS * PER_CONNECTION * 2)]);
  });
  afterAll(async () => {
    if (sink) expect(await sink.stop()).toBe(0);
  });

  /** Sends `line`, returns the reply (a longer wait than the helper's default: 500 sessions share the server). */
  async function command(session: SmtpSession, line: string): Promise<string | null> {
    session.send(line);
    return session.reply(REPLY_TIMEOUT_MS);
  }

  /** One transaction; returns the id from `250 … queued as <id>`. */
  async function sendMessage(session: SmtpSession, subject: string): Promise<string> {
    const replies = [await command(session, 'MAIL FROM:<load@example.com>'), await command(session, 'RCPT TO:<sink@example.org>'), await command(session, 'DATA')];
    expect(replies.map((line) => line?.slice(0, 4)), subject).toEqual(['250 ', '250 ', '354 ']);
    await session.write(`From: <load@example.com>\r\nTo: <sink@example.org>\r\nSubject: ${subject}\r\n\r\n${FILLER}\r\n.\r\n`);
    const done = await session.reply(REPLY_TIMEOUT_MS);
    const id = /^250 .*queued as (\S+)/.exec(done ?? '')?.[1];
    if (!id) throw new Error(`${subject}: ${done}`);
    return id;
  }

  async function listedSubjects(): Promise<string[]> {
    const subjects: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const res = await fetch(`${sink.httpUrl}/api/messages?limit=1000&offset=${offset}`);
      const page = (await res.json()) as MessageList;
      subjects.push(...page.messages.map((m) => m.subject));
      if (page.messages.length < 1000) return subjects;
    }
  }

  it('all are stored, each exactly once; every connection is closed afterwards', { timeout: 240_000 }, async ({ annotate }) => {
    const started = performance.now();
    const sessions = await Promise.all(Array.from({ length: CONNECTIONS }, () => openSmtp(sink.smtpPort)));
    try {
      const greetings = await Promise.all(sessions.map((session) => session.reply(REPLY_TIMEOUT_MS)));
      expect(greetings.filter((line) => line?.startsWith('220 '))).toHaveLength(CONNECTIONS);
      const open = serverSockets(sink.smtpPort);
      expect(open.byState).toEqual({ ESTABLISHED: CONNECTIONS });
      const connectedMs = performance.now() - started;

      const sendStarted = performance.now();
      const ids = await Promise.all(
        sessions.map(async (session, c) => {
          expect(await command(session, `EHLO client-${c}.example`)).toMatch(/^250 /);
          const mine: string[] = [];
          for (let m = 0; m < PER_CONNECTION; m++) mine.push(await sendMessage(session, `c${c}-m${m}`));
          expect(await command(session, 'QUIT')).toMatch(/^221 /);
          return mine;
        }),
      );
      const sendMs = performance.now() - sendStarted;
      const allIds = ids.flat();
      expect(new Set(allIds).size).toBe(CONNECTIONS * PER_CONNECTION);

      const health = (await (await fetch(`${sink.httpUrl}/api/health`)).json()) as { messages: number };
      const subjects = await listedSubjects();
      const expected = Array.from({ length: CONNECTIONS }, (_, c) => Array.from({ length: PER_CONNECTION }, (_, m) => `c${c}-m${m}`)).flat();
      expect(health.messages).toBe(expected.length);
      expect([...subjects].sort()).toEqual([...expected].sort());
      await expect.poll(() => serverSockets(sink.smtpPort).total, { timeout: 10_000, interval: 20 }).toBe(0);

      const memory = processRss(sink.pid);
      const summary =
        `${CONNECTIONS} connections open at once (greeted in ${connectedMs.toFixed(0)} ms); ${allIds.length} messages sent in ` +
        `${(sendMs / 1000).toFixed(1)} s (${((allIds.length / sendMs) * 1000).toFixed(0)} msg/s), ${subjects.length} stored, lost ${expected.length - subjects.length}; ` +
        `sink RSS ${(memory.rssBytes / 2 ** 20).toFixed(0)} MiB, peak ${(memory.peakRssBytes / 2 ** 20).toFixed(0)} MiB`;
      console.log(summary);
      await annotate(summary);
    } finally {
      await Promise.all(sessions.map((session) => session.close()));
    }
  });
});
