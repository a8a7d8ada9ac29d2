/**
 * Mailboxes: every accepted envelope recipient, lowercased, `+tag` folded in with the tag kept;
 * `GET /api/mailboxes` counts; `mailbox:` queries; `DELETE ?query=mailbox:…` clears one test's mail
 * only; counts follow deletes and eviction.
 */
import { describe, expect, it } from 'vitest';
import type { MailboxList } from '../../server/contract.js';
import { mailboxOf } from '../../server/core/mailboxes.js';
import { api, startTestSink, useSink } from '../helpers/sink.js';
import { sendRaw, transport } from '../helpers/smtp.js';

describe('mailboxOf', () => {
  it.each([
    ['Alice@Example.org', 'alice@example.org', null],
    ['Alice+Signup@Example.org', 'alice@example.org', 'signup'],
    ['a+b+c@x.test', 'a@x.test', 'b+c'],
    ['+leading@x.test', '+leading@x.test', null],
    ['empty+@x.test', 'empty+@x.test', null],
    ['"odd+user"@x.test', '"odd+user"@x.test', null],
    ['postmaster', 'postmaster', null],
    ['Ünï+Tag@Bücher.example', 'ünï@bücher.example', 'tag'],
  ])('%s → mailbox %s, tag %s', (address, mailbox, tag) => {
    expect(mailboxOf(address)).toEqual({ mailbox, tag });
  });
});

describe('mailboxes over REST', () => {
  const sink = useSink();

  it('lists every envelope recipient, lowercased, +tags folded, with counts', async () => {
    const t = transport(sink(), { pool: true });
    try {
      await t.sendMail({ from: 'app@example.test', to: 'Alice+One@Example.test', subject: 'a1', text: '1' });
      await t.sendMail({ from: 'app@example.test', to: 'alice+two@example.test', cc: 'bob@example.test', subject: 'a2', text: '2' });
      await t.sendMail({ from: 'app@example.test', to: 'alice@example.test', bcc: 'Carol@Example.test', subject: 'a3', text: '3' });
      await t.sendMail({ from: 'app@example.test', to: ['alice+one@example.test', 'alice+two@example.test'], subject: 'a4', text: '4' });
    } finally {
      t.close();
    }
    const first = (await sink().client.list('subject:a1')).messages[0]!;
    await sink().client.markRead(first.id);
    const list = await api<MailboxList>(sink(), '/api/mailboxes');
    expect(list).toEqual({
      total: 3,
      mailboxes: [
        { mailbox: 'alice@example.test', count: 4, unread: 3, tags: [{ tag: 'one', count: 2 }, { tag: 'two', count: 2 }] },
        { mailbox: 'bob@example.test', count: 1, unread: 1, tags: [] },
        { mailbox: 'carol@example.test', count: 1, unread: 1, tags: [] },
      ],
    });
    expect(await sink().client.mailboxes()).toEqual(list.mailboxes);
  });

  it('mailbox: finds a mailbox (all tags) or one tag; Bcc-only recipients included', async () => {
    const subjects = async (query: string) => (await sink().client.list(query)).messages.map((m) => m.subject).reverse();
    expect(await subjects('mailbox:ALICE@example.test')).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(await subjects('mailbox:alice+one@example.test')).toEqual(['a1', 'a4']);
    expect(await subjects('mailbox:carol@example.test')).toEqual(['a3']);
    expect(await subjects('tag:two')).toEqual(['a2', 'a4']);
  });

  it('DELETE ?query=mailbox:… clears only that mailbox; counts follow', async () => {
    const res = await fetch(`${sink().httpUrl}/api/messages?query=${encodeURIComponent('mailbox:alice+one@example.test')}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await sink().client.list()).messages.map((m) => m.subject).reverse()).toEqual(['a2', 'a3']);
    await sink().client.clear('mailbox:bob@example.test');
    expect(await sink().client.mailboxes()).toEqual([
      { mailbox: 'alice@example.test', count: 1, unread: 1, tags: [] },
      { mailbox: 'carol@example.test', count: 1, unread: 1, tags: [] },
    ]);
  });
});

describe('mailboxes follow eviction', () => {
  it('drops an evicted message from its mailbox and the mailbox when empty', async () => {
    const sink = await startTestSink({ maxMessages: 2 });
    try {
      const raw = (to: string) => Buffer.from(`From: a@example.test\r\nTo: ${to}\r\nSubject: s\r\n\r\nx\r\n`);
      await sendRaw(sink, { from: 'a@example.test', to: ['first@example.test'] }, raw('first@example.test'));
      await sendRaw(sink, { from: 'a@example.test', to: ['second@example.test'] }, raw('second@example.test'));
      expect((await sink.client.mailboxes()).map((m) => m.mailbox)).toEqual(['first@example.test', 'second@example.test']);
      await sendRaw(sink, { from: 'a@example.test', to: ['third@example.test', 'second+x@example.test'] }, raw('third@example.test'));
      expect(await sink.client.mailboxes()).toEqual([
        { mailbox: 'second@example.test', count: 2, unread: 2, tags: [{ tag: 'x', count: 1 }] },
        { mailbox: 'third@example.test', count: 1, unread: 1, tags: [] },
      ]);
      expect((await sink.client.list('mailbox:first@example.test')).total).toBe(0);
    } finally {
      await sink.stop();
    }
  });
});
