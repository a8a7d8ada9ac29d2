/**
 * Reliability: MIME bombs and a 30 MiB message against the built CLI (its own process, so a crash
 * shows as an exit, and its memory is read from /proc). Each one must be answered within 10 s
 * without taking the sink down, the next message must be accepted, and the REST API must keep
 * answering while it is processed (the slowest `GET /api/health` meanwhile is printed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { bigMessage, fanOut } from '../helpers/case-18-generators.js';
import { startCli } from '../helpers/cli.js';
import type { CliSink } from '../helpers/cli.js';
import { processRss } from '../helpers/memory.js';
import { nestedMultipart, nestedRfc822 } from '../helpers/mime-bombs.js';
import { smtpDialogue } from '../helpers/smtp.js';

const MiB = 1024 * 1024;
const ANSWER_WITHIN_MS = 10_000;
/** Blob bytes that make `bigMessage` just over 30 MiB (base64 in 76-character lines: ×4/3 ×78/76). */
const BLOB_FOR_30_MIB = 23_000_000;

const BOMBS: Array<[string, () => Buffer]> = [
  ['a 30 MiB message', () => bigMessage(BLOB_FOR_30_MIB).message],
  ['20,000 sibling parts', () => fanOut(20_000)],
  ['multiparts nested 5,000 deep', () => nestedMultipart(5_000)],
  ['multiparts nested 998 deep (just under the parser\'s 1,000-part limit)', () => nestedMultipart(998)],
  ['message/rfc822 nested 5,000 deep', () => nestedRfc822(5_000)],
];

describe('MIME bombs and a 30 MiB message', () => {
  let sink: CliSink;
  beforeAll(async () => {
    sink = await startCli([]);
  });
  afterAll(async () => {
    if (sink) expect(await sink.stop()).toBe(0);
  });

  /** One transaction on a fresh connection; returns the final reply and the ms it took. */
  async function send(message: Buffer, subject: string): Promise<{ reply: string; ms: number }> {
    const started = performance.now();
    const replies = await smtpDialogue(
      sink.smtpPort,
      [
        { send: 'EHLO bomb.example\r\n' },
        { send: 'MAIL FROM:<bomb@example.com>\r\n' },
        { send: 'RCPT TO:<sink@example.org>\r\n' },
        { send: 'DATA\r\n' },
        { send: Buffer.concat([message, Buffer.from('.\r\n')]) }, // every message here ends with CRLF
        { send: 'QUIT\r\n' },
      ],
      30_000,
    );
    expect(replies.map((line) => line.slice(0, 4)), subject).toEqual(['220 ', '250 ', '250 ', '250 ', '354 ', '250 ', '221 ']);
    return { reply: replies[5]!, ms: performance.now() - started };
  }

  /** GETs /api/health back to back until `stop()`, which resolves with the slowest answer in ms. */
  function pollHealth() {
    let running = true;
    let slowestMs = 0;
    let answers = 0;
    const done = (async () => {
      while (running) {
        const started = performance.now();
        const res = await fetch(`${sink.httpUrl}/api/health`);
        await res.arrayBuffer();
        expect(res.status).toBe(200);
        slowestMs = Math.max(slowestMs, performance.now() - started);
        answers += 1;
      }
    })();
    return async () => {
      running = false;
      await done;
      return { slowestMs, answers };
    };
  }

  it.for(BOMBS)('%s: answered within 10 s, the sink stays up, the next message is accepted', { timeout: 60_000 }, async ([name, generate], { annotate }) => {
    const message = generate();
    const rssBefore = processRss(sink.pid).rssBytes;
    const stopPolling = pollHealth();
    const { reply, ms } = await send(message, name).finally(() => stopPolling());
    const health = await stopPolling();
    const memory = processRss(sink.pid);
    const id = /queued as (\S+)/.exec(reply)?.[1];
    expect(id, reply).toBeDefined();

    const detailStarted = performance.now();
    const res = await fetch(`${sink.httpUrl}/api/messages/${id}`);
    const detail = (await res.json()) as MessageDetail;
    const detailMs = performance.now() - detailStarted;
    expect(res.status).toBe(200);
    expect(detail.sizeBytes).toBe(message.length);

    const next = await send(Buffer.from(`Subject: after ${name}\r\n\r\nstill here\r\n`), `after ${name}`);
    const list = (await (await fetch(`${sink.httpUrl}/api/messages?limit=1`)).json()) as { messages: { subject: string }[] };
    expect(list.messages[0]?.subject).toBe(`after ${name}`);

    const summary =
      `${name} (${(message.length / MiB).toFixed(2)} MiB): answered in ${ms.toFixed(0)} ms (${reply}); parseError ${JSON.stringify(detail.parseError)}; ` +
      `GET detail ${detailMs.toFixed(0)} ms; ${health.answers} GET /api/health meanwhile, slowest ${health.slowestMs.toFixed(0)} ms; ` +
      `next message answered in ${next.ms.toFixed(0)} ms; sink RSS ${(rssBefore / MiB).toFixed(0)} → ${(memory.rssBytes / MiB).toFixed(0)} MiB, peak so far ${(memory.peakRssBytes / MiB).toFixed(0)} MiB`;
    console.log(summary);
    await annotate(summary);
    expect(ms, summary).toBeLessThan(ANSWER_WITHIN_MS);
    expect(health.slowestMs, summary).toBeLessThan(ANSWER_WITHIN_MS);
  });
});
