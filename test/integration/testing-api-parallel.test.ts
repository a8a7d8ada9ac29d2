/**
 * Parallel isolation: 20 tests run concurrently against one sink, each with its own mailbox; each
 * sends through nodemailer and waitFor()s its own message, and none sees another's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const TESTS = Array.from({ length: 20 }, (_, i) => i + 1);

describe.concurrent('20 concurrent tests, one mailbox each', () => {
  const sink = useSink();
  const finished: number[] = [];

  it.each(TESTS)('test %i gets exactly its own message', async (n) => {
    const mail = sink().client;
    const address = `parallel+t${n}@example.test`;
    // Half of the tests start waiting before the message exists, half after it was sent.
    const early = n % 2 === 0 ? mail.waitFor(`mailbox:${address}`, { timeoutMs: 10_000 }) : null;
    const t = transport(sink());
    try {
      await t.sendMail({ from: 'app@example.test', to: address, subject: `Welcome #${n}`, text: `Hello test ${n}` });
    } finally {
      t.close();
    }
    const [message] = early ? await early : await mail.waitFor(`mailbox:${address}`, { timeoutMs: 10_000 });
    expect(message!.subject).toBe(`Welcome #${n}`);
    expect(message!.envelope.rcptTo).toEqual([address]);
    const mine = await mail.list(`mailbox:${address}`);
    expect(mine.messages.map((m) => m.subject)).toEqual([`Welcome #${n}`]);
    finished.push(n);
  });

  afterAll(async () => {
    // Every test ran, and the sink filed 20 tags under one mailbox, one message each.
    expect([...finished].sort((a, b) => a - b)).toEqual(TESTS);
    const [box] = await sink().client.mailboxes();
    expect(box).toMatchObject({ mailbox: 'parallel@example.test', count: 20, unread: 20 });
    expect(box!.tags).toHaveLength(20);
    expect(box!.tags.every((tag) => tag.count === 1)).toBe(true);
  });
});
