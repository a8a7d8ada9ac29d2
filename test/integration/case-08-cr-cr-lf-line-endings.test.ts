/**
 * Case 08 (shared/cases/08-cr-cr-lf-line-endings.md): header lines ending in CR CR LF (PHP mail()
 * through BusyBox sendmail), and a bare-LF message with a fake `\n.\n` terminator followed by
 * would-be commands. The bytes are written to a raw socket exactly (smtplib would rewrite them).
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { pyBytesLiteral, queuedId, sha256, toLf } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';

const MESSAGE_1 = Buffer.from('To: admin@example.org\r\r\nSubject: Nightly report\r\r\nX-Mailer: cron-php\r\r\n\r\r\nAll 12 jobs finished.\r\r\n', 'latin1');
const MESSAGE_2 = Buffer.from(
  'From: App <app@example.com>\nTo: <ops@example.org>\nSubject: Bare LF body\n\nline one\nline two\n.\n' +
    'MAIL FROM:<evil@example.net>\nRCPT TO:<victim@example.org>\nDATA\nSubject: smuggled\n\nhidden\n\r\n',
  'latin1',
);
const END = Buffer.from('.\r\n');

describe('case 08: CR CR LF headers and bare-LF data', () => {
  const sink = useSink();
  let ids: [string, string];

  it('answers one 250 per DATA and stores exactly two messages with their original bytes', async () => {
    // The DATA payloads exactly as the case writes them (Python bytes literals).
    expect(pyBytesLiteral(Buffer.concat([MESSAGE_1, END]))).toBe(
      String.raw`b"To: admin@example.org\r\r\nSubject: Nightly report\r\r\nX-Mailer: cron-php\r\r\n\r\r\nAll 12 jobs finished.\r\r\n.\r\n"`,
    );
    expect(pyBytesLiteral(Buffer.concat([MESSAGE_2, END]))).toBe(
      String.raw`b"From: App <app@example.com>\nTo: <ops@example.org>\nSubject: Bare LF body\n\nline one\nline two\n.\nMAIL FROM:<evil@example.net>\nRCPT TO:<victim@example.org>\nDATA\nSubject: smuggled\n\nhidden\n\r\n.\r\n"`,
    );
    expect(MESSAGE_1.length).toBe(98);
    const replies = await smtpDialogue(sink().smtpPort, [
      { send: 'EHLO client.example.com\r\n' },
      { send: 'MAIL FROM:<cron@example.com>\r\n' },
      { send: 'RCPT TO:<admin@example.org>\r\n' },
      { send: 'DATA\r\n' },
      { send: Buffer.concat([MESSAGE_1, END]) },
      { send: 'MAIL FROM:<app@example.com>\r\n' },
      { send: 'RCPT TO:<ops@example.org>\r\n' },
      { send: 'DATA\r\n' },
      { send: Buffer.concat([MESSAGE_2, END]) },
      { send: 'QUIT\r\n' },
    ]);
    expect(replies.map((line) => line.slice(0, 4))).toEqual(['220 ', '250 ', '250 ', '250 ', '354 ', '250 ', '250 ', '250 ', '354 ', '250 ', '221 ']);
    ids = [queuedId(replies[5]!), queuedId(replies[9]!)];

    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.total).toBe(2);
    expect(list.messages.map((m) => m.id)).toEqual([ids[1], ids[0]]);

    for (const [id, sent] of [[ids[0], MESSAGE_1], [ids[1], MESSAGE_2]] as const) {
      const raw = await fetchBytes(sink(), `/api/messages/${id}/raw`);
      expect(raw.body.length).toBe(sent.length);
      expect(sha256(raw.body)).toBe(sha256(sent));
    }
  });

  it('message 1: the CR CR LF empty line separates headers from body', async () => {
    const detail = await api<MessageDetail>(sink(), `/api/messages/${ids[0]}`);
    expect(detail.envelope).toMatchObject({ mailFrom: 'cron@example.com', rcptTo: ['admin@example.org'] });
    expect(detail.to).toEqual([{ name: '', address: 'admin@example.org' }]);
    expect(detail.subject).toBe('Nightly report');
    expect(detail.from).toEqual([]);
    expect(detail.text?.trim()).toBe('All 12 jobs finished.');
    expect(detail.headers.filter((h) => h.name === 'X-Mailer')).toEqual([{ name: 'X-Mailer', value: 'cron-php', decoded: 'cron-php' }]);
    expect(detail.headers.map((h) => h.name)).toEqual(['To', 'Subject', 'X-Mailer']);
    expect(detail.parseError).toBeNull();
  });

  it('message 2: a bare-LF dot is data, and the would-be commands are body text', async () => {
    const detail = await api<MessageDetail>(sink(), `/api/messages/${ids[1]}`);
    expect(detail.envelope).toMatchObject({ mailFrom: 'app@example.com', rcptTo: ['ops@example.org'] });
    expect(detail.subject).toBe('Bare LF body');
    expect(detail.from).toEqual([{ name: 'App', address: 'app@example.com' }]);
    expect(toLf(detail.text ?? '')).toContain('line two\n.\nMAIL FROM:<evil@example.net>');
    expect(toLf(detail.text ?? '')).toContain('Subject: smuggled\n\nhidden\n');
    for (const query of ['from:evil@example.net', 'to:victim@example.org', 'subject:smuggled']) {
      const found = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent(query)}`);
      expect(found.total, query).toBe(0);
    }
  });
});
