/**
 * The in-process sink exported from `mailsink`: `startSink({ smtpPort: 0, httpPort: 0 })` returns
 * ports, URLs, the store and a bound `client`; two sinks in one process share nothing.
 */
import { startSink } from 'mailsink';
import type { Sink } from 'mailsink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transport } from '../helpers/smtp.js';
import { waitersReach } from '../helpers/waiters.js';

describe('two in-process sinks', () => {
  let a: Sink;
  let b: Sink;
  beforeAll(async () => {
    [a, b] = await Promise.all([startSink({ smtpPort: 0, httpPort: 0 }), startSink({ smtpPort: 0, httpPort: 0, maxMessages: 1 })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('each has its own ports, URLs and bound client', () => {
    for (const sink of [a, b]) {
      expect(sink.smtpUrl).toBe(`smtp://127.0.0.1:${sink.smtpPort}`);
      expect(sink.httpUrl).toBe(`http://127.0.0.1:${sink.httpPort}`);
      expect(sink.client.baseUrl).toBe(sink.httpUrl);
      expect(Object.keys(sink)).toEqual(expect.arrayContaining(['config', 'smtpPort', 'httpPort', 'smtpUrl', 'httpUrl', 'store', 'events', 'faults', 'rejections', 'stop', 'client']));
    }
    expect(new Set([a.smtpPort, a.httpPort, b.smtpPort, b.httpPort]).size).toBe(4);
    expect(b.config.maxMessages).toBe(1);
    expect(a.config.maxMessages).toBe(5000);
  });

  it('mail, cursors, mailboxes, faults and waits stay apart', async () => {
    const abortB = new AbortController();
    const waitingOnB = b.client.waitFor('mailbox:shared@example.test', { timeoutMs: 60_000, signal: abortB.signal }).catch((err: unknown) => err);
    await waitersReach(b, 1);
    await a.client.faults.add({ stage: 'rcptTo', match: { rcptTo: 'refused@example.test' }, reply: { code: 550 } });
    const ta = transport(a);
    const tb = transport(b);
    try {
      await ta.sendMail({ from: 'x@example.test', to: 'shared@example.test', subject: 'to A', text: 'a' });
      await tb.sendMail({ from: 'x@example.test', to: 'only-b@example.test', subject: 'to B', text: 'b' });
      await tb.sendMail({ from: 'x@example.test', to: 'refused@example.test', subject: 'B accepts it', text: 'b' });
    } finally {
      ta.close();
      tb.close();
    }
    expect((await a.client.list()).messages.map((m) => m.subject)).toEqual(['to A']);
    expect((await b.client.list()).messages.map((m) => m.subject)).toEqual(['B accepts it']); // maxMessages 1 evicted "to B"
    expect(await a.client.cursor()).toBe(1);
    expect(await b.client.cursor()).toBe(2);
    expect((await a.client.mailboxes()).map((m) => m.mailbox)).toEqual(['shared@example.test']);
    expect((await b.client.mailboxes()).map((m) => m.mailbox)).toEqual(['refused@example.test']);
    expect(await b.client.faults.list()).toEqual([]);
    expect(b.waiters.size).toBe(1); // A's message (listed above, so announced) never woke B's wait
    abortB.abort();
    expect(await waitingOnB).toMatchObject({ name: 'MailsinkConnectionError' });
    await waitersReach(b, 0);
  });

  it('stopping one answers its pending waits with 503 and leaves the other running', async () => {
    const pending = a.client.waitFor('mailbox:never@example.test', { timeoutMs: 60_000 }).catch((err: unknown) => err);
    const pendingOnB = b.client.waitFor('mailbox:later@example.test', { timeoutMs: 60_000 });
    await waitersReach(a, 1);
    await a.stop();
    expect(await pending).toMatchObject({ name: 'MailsinkApiError', status: 503, code: 'shutting_down' });
    await expect(a.client.health()).rejects.toMatchObject({ name: 'MailsinkConnectionError' });
    expect(await b.client.health()).toMatchObject({ status: 'ok', messages: 1 });
    const t = transport(b);
    await t.sendMail({ from: 'x@example.test', to: 'later@example.test', subject: 'still running', text: 'b' });
    t.close();
    expect((await pendingOnB).map((m) => m.subject)).toEqual(['still running']);
  });
});
