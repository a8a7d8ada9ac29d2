/**
 * Case 15 (shared/cases/15-missing-headers.md): three transactions in one session — an empty header
 * section, only a `To:` header, and no header/body separator at all (typed in telnet). All are
 * stored byte-exact (nothing added), shown without crashing, ordered by receive time.
 *
 * covered elsewhere: no JavaScript error in the inbox UI when listing/opening them, and the sender
 * column's placeholder (UI/browser e2e feature); the empty `from`/`subject` it renders from are
 * asserted here.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { pyBytesLiteral, queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { connectEvents } from '../helpers/events.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';

const EML_B = {
  eml: '15-missing-headers.eml',
  sizeBytes: 55,
  sha256: 'ee5751d904fedc7f84cc9f2ea5536d1b11ab435cce3c0c6f5df76ce3625c66c1',
};
const END = Buffer.from('.\r\n');

describe('case 15: missing headers', () => {
  const sink = useSink();
  const sent: Record<'a' | 'b' | 'c', Buffer> = {
    a: Buffer.from('\r\nJust a body line.\r\n'),
    b: Buffer.alloc(0),
    c: Buffer.from('hello from telnet\r\nsecond line\r\n'),
  };
  const ids = { a: '', b: '', c: '' };

  it('answers 250 to each of three transactions and announces each over the WebSocket', async () => {
    sent.b = readCaseEml(EML_B);
    // Transactions A and C exactly as the case writes them (Python bytes literals).
    expect(pyBytesLiteral(Buffer.concat([sent.a, END]))).toBe(String.raw`b"\r\nJust a body line.\r\n.\r\n"`);
    expect(pyBytesLiteral(Buffer.concat([sent.c, END]))).toBe(String.raw`b"hello from telnet\r\nsecond line\r\n.\r\n"`);
    const events = await connectEvents(sink());
    try {
      const transaction = (data: Buffer) => [
        { send: 'MAIL FROM:<qa-bot@example.com>\r\n' },
        { send: 'RCPT TO:<qa@example.org>\r\n' },
        { send: 'DATA\r\n' },
        { send: Buffer.concat([data, END]) },
      ];
      const replies = await smtpDialogue(sink().smtpPort, [
        { send: 'EHLO client.example.com\r\n' },
        ...transaction(sent.a),
        ...transaction(sent.b),
        ...transaction(sent.c),
        { send: 'QUIT\r\n' },
      ]);
      const transactionCodes = ['250 ', '250 ', '354 ', '250 '];
      expect(replies.map((line) => line.slice(0, 4))).toEqual(['220 ', '250 ', ...transactionCodes, ...transactionCodes, ...transactionCodes, '221 ']);
      [ids.a, ids.b, ids.c] = [queuedId(replies[5]!), queuedId(replies[9]!), queuedId(replies[13]!)];

      const received = [await events.next('message.received'), await events.next('message.received'), await events.next('message.received')];
      expect(received.map((e) => e.message.id)).toEqual([ids.a, ids.b, ids.c]);
      for (const event of received) {
        expect(event.message).toMatchObject({ from: [], subject: '', date: null, envelope: { mailFrom: 'qa-bot@example.com', rcptTo: ['qa@example.org'] } });
      }
    } finally {
      await events.close();
    }
  });

  it('lists all three newest first (by receive time, as none has a Date)', async () => {
    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages.map((m) => m.id)).toEqual([ids.c, ids.b, ids.a]);
    expect(list.messages.map((m) => m.date)).toEqual([null, null, null]);
    const times = list.messages.map((m) => Date.parse(m.receivedAt));
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it('stores each DATA byte-exact, without added headers', async () => {
    for (const key of ['a', 'b', 'c'] as const) {
      const raw = await fetchBytes(sink(), `/api/messages/${ids[key]}/raw`);
      expect(raw.status, key).toBe(200);
      expect(raw.body.equals(sent[key]), key).toBe(true);
    }
    const rawB = await fetchBytes(sink(), `/api/messages/${ids.b}/raw`);
    expect(rawB.body.length).toBe(EML_B.sizeBytes);
    expect(sha256(rawB.body)).toBe(EML_B.sha256);
  });

  it('(a) empty header section: no addresses, empty subject, the body as text', async () => {
    const detail = await api<MessageDetail>(sink(), `/api/messages/${ids.a}`);
    expect(detail).toMatchObject({ from: [], to: [], cc: [], subject: '', date: null, messageId: null, headers: [], parseError: null });
    expect(detail.envelope.rcptTo).toEqual(['qa@example.org']);
    expect(detail.text).toBe('Just a body line.\n');
  });

  it('(b) only a To header', async () => {
    const detail = await api<MessageDetail>(sink(), `/api/messages/${ids.b}`);
    expect(detail).toMatchObject({ from: [], subject: '', date: null, messageId: null, parseError: null });
    expect(detail.to).toEqual([{ name: '', address: 'qa@example.org' }]);
    expect(detail.text).toBe('Only a To header and this line.\n');
  });

  it('(c) no header/body separator: the lines are shown as text', async () => {
    const detail = await api<MessageDetail>(sink(), `/api/messages/${ids.c}`);
    expect(detail).toMatchObject({ from: [], to: [], subject: '', date: null, messageId: null });
    expect(detail.text).toBe('hello from telnet\nsecond line\n');
    const text = await fetchBytes(sink(), `/api/messages/${ids.c}/text`);
    expect(text.status).toBe(200);
    expect(text.body.toString('utf8')).toBe('hello from telnet\nsecond line\n');
  });
});
