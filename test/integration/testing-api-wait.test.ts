/**
 * `GET /api/messages/wait` and `client.waitFor`: woken by arrival (not polling), immediate for
 * stored mail with `after=0`, blind to older mail with `after=cursor`, `count`, a 408 naming the
 * query, hung-up clients forgotten, and 150 idle waits costing no work. (That idle waits never poll
 * while time passes is shown on fake timers in test/unit/waiters.test.ts.)
 */
import { describe, expect, it, vi } from 'vitest';
import { MailsinkTimeoutError } from '../../server/client.js';
import type { ApiErrorBody, WaitResult } from '../../server/contract.js';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { published, waitersReach } from '../helpers/waiters.js';

describe('waiting for mail', () => {
  const sink = useSink();

  async function send(to: string, subject: string, text = 'hello'): Promise<string> {
    const t = transport(sink());
    try {
      const info = await t.sendMail({ from: 'app@example.test', to, subject, text });
      return info.response.split(' ').pop()!;
    } finally {
      t.close();
    }
  }

  it('resolves for a message that arrives after the call, and not for one to another mailbox before it', async () => {
    const order: string[] = [];
    const waiting = sink().client.waitFor('mailbox:late@example.test').then((messages) => {
      order.push('resolved');
      return messages;
    });
    await waitersReach(sink(), 1);
    order.push('registered');
    // Another mailbox's message arrives first; once its message.received is out, the wait has judged it.
    const other = published(sink(), 'message.received', (e) => e.message.subject === 'Not for you');
    await send('elsewhere@example.test', 'Not for you');
    await other;
    expect(sink().waiters.size).toBe(1);
    order.push('sending');
    const id = await send('late@example.test', 'Late');
    order.push('sent');
    const [message] = await waiting;
    expect(message!.id).toBe(id);
    // Woken by the arrival: resolved only after the send began (the 250 is sent after the message is
    // stored; the wait wakes on its parse, so the wake-up may land before or after the 250 reaches nodemailer).
    expect(order.slice(0, 2)).toEqual(['registered', 'sending']);
    expect(order).toContain('resolved');
    expect(sink().waiters.size).toBe(0);
  });

  it('returns at once for a message already stored (after = 0)', async () => {
    const id = await send('early@example.test', 'Already here');
    expect(sink().waiters.size).toBe(0);
    const res = await fetch(`${sink().httpUrl}/api/messages/wait?query=${encodeURIComponent('mailbox:early@example.test')}&after=0&timeoutMs=60000`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as WaitResult;
    expect(body.count).toBe(1);
    expect(body.messages.map((m) => m.id)).toEqual([id]);
    expect(body.cursor).toBe(body.messages[0]!.seq);
    expect(sink().waiters.size).toBe(0); // answered without ever registering a wait
  });

  it('ignores older messages with after = cursor, then returns the next one', async () => {
    const mail = sink().client;
    await send('cursor@example.test', 'Old one');
    const cursor = await mail.cursor();
    expect(cursor).toBe(sink().store.lastSeq);
    const waiting = mail.waitFor('mailbox:cursor@example.test', { after: cursor });
    await waitersReach(sink(), 1); // the old message did not satisfy it
    const id = await send('cursor@example.test', 'New one');
    const [message] = await waiting;
    expect(message).toMatchObject({ id, subject: 'New one' });
    expect(message!.seq).toBeGreaterThan(cursor);
  });

  it('waits for count messages and returns them oldest first', async () => {
    const mail = sink().client;
    const after = await mail.cursor();
    const waiting = mail.waitFor('mailbox:batch@example.test', { after, count: 3 });
    const ids = [await send('batch@example.test', 'one'), await send('other@example.test', 'noise'), await send('batch@example.test', 'two'), await send('batch@example.test', 'three')];
    const messages = await waiting;
    expect(messages.map((m) => m.id)).toEqual([ids[0], ids[2], ids[3]]);
    expect(messages.map((m) => m.subject)).toEqual(['one', 'two', 'three']);
  });

  it('is woken by a PATCH for is:read queries', async () => {
    const id = await send('flag@example.test', 'Flag me');
    const waiting = sink().client.waitFor('mailbox:flag@example.test is:read');
    await waitersReach(sink(), 1);
    await sink().client.markRead(id);
    expect((await waiting).map((m) => [m.id, m.read])).toEqual([[id, true]]);
  });

  it('times out with a 408 that names the query and how many matched', async () => {
    await send('slow@example.test', 'only one');
    const res = await fetch(`${sink().httpUrl}/api/messages/wait?query=${encodeURIComponent('mailbox:slow@example.test')}&count=2&timeoutMs=150`);
    expect(res.status).toBe(408);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as ApiErrorBody;
    expect(body.error.code).toBe('wait_timeout');
    expect(body.error.message).toBe('timed out after 150 ms waiting for 2 messages matching "mailbox:slow@example.test" with seq > 0: 1 of 2 matched');
    expect(body.error.details).toEqual({ query: 'mailbox:slow@example.test', after: 0, count: 2, matched: 1, timeoutMs: 150 });

    const error = await sink().client.waitFor('subject:"never sent"', { timeoutMs: 100 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MailsinkTimeoutError);
    expect(error).toMatchObject({ status: 408, code: 'wait_timeout', query: 'subject:"never sent"', matched: 0, count: 1 });
    expect((error as Error).message).toContain('subject:\\"never sent\\"');
    expect(sink().waiters.size).toBe(0);
  });

  it('rejects a malformed query with 400 naming the token, before waiting', async () => {
    const res = await fetch(`${sink().httpUrl}/api/messages/wait?query=${encodeURIComponent('mailbox:a@b larger:huge')}&timeoutMs=60000`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiErrorBody).error).toMatchObject({ code: 'invalid_query', field: 'query', message: expect.stringContaining('larger:huge') });
    const bad = await fetch(`${sink().httpUrl}/api/messages/wait?count=0`);
    expect(((await bad.json()) as ApiErrorBody).error).toMatchObject({ code: 'invalid_request', field: 'count' });
  });

  it('forgets a client that hangs up', async () => {
    const hangUp = new AbortController();
    const waiting = fetch(`${sink().httpUrl}/api/messages/wait?query=mailbox:gone@example.test&timeoutMs=60000`, { signal: hangUp.signal }).catch((err: unknown) => err);
    await waitersReach(sink(), 1);
    hangUp.abort();
    await waitersReach(sink(), 0);
    expect(await waiting).toMatchObject({ name: 'AbortError' });
  });

  it('holds 150 idle waits, wakes only the matching one from its event, forgets the rest', async () => {
    const scans = vi.spyOn(sink().store, 'since');
    const hangUp = new AbortController();
    const waits = Array.from({ length: 150 }, (_, i) =>
      fetch(`${sink().httpUrl}/api/messages/wait?query=mailbox:idle${i}@example.test&timeoutMs=60000`, { signal: hangUp.signal }).then(
        async (res) => ({ i, status: res.status, body: (await res.json()) as WaitResult }),
        () => ({ i, status: 0, body: null }),
      ),
    );
    await waitersReach(sink(), 150);
    const initialScans = scans.mock.calls.length; // one look at the store per wait, when it starts
    expect(initialScans).toBe(150);

    const id = await send('idle77@example.test', 'for 77');
    const woken = await Promise.race(waits);
    expect(woken).toMatchObject({ i: 77, status: 200 });
    expect(woken.body!.messages.map((m) => m.id)).toEqual([id]);
    expect(sink().waiters.size).toBe(149);
    expect(scans.mock.calls.length).toBe(initialScans); // the arrival was matched from its event alone

    hangUp.abort();
    await waitersReach(sink(), 0);
    scans.mockRestore();
  });
});
