/**
 * Quirks from the field not covered by the case files (quoted local parts: case 03; 8-bit data
 * without BODY=8BITMIME: case 04; CR CR LF and bare LF: case 08; no headers: case 15): lines over
 * the 998 octets of RFC 5322 §2.1.1, in plain text and through STARTTLS, and a mailbox of the full
 * 254 octets RFC 5321 §4.5.3.1.3 allows (smtp-server alone stops at 253). Each is stored byte-exact.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';
import { swaks } from '../helpers/swaks.js';

const lineOf = (length: number, fill: string) => fill.repeat(length);

describe('SMTP quirks', () => {
  const sink = useSink();

  it('lines of 999, 1000, 10 000 and 1 000 000 octets (a header line too) are stored byte-exact', async () => {
    const raw = Buffer.from(
      [`X-Long-Header: ${lineOf(2000, 'h')}`, 'Subject: long lines', '', lineOf(999, 'a'), lineOf(1000, 'b'), lineOf(10_000, 'c'), lineOf(1_000_000, 'd'), 'end', ''].join('\r\n'),
    );
    const replies = await smtpDialogue(sink().smtpPort, [
      { send: 'EHLO client.example\r\n' },
      { send: 'MAIL FROM:<a@example.com>\r\n' },
      { send: 'RCPT TO:<b@example.org>\r\n' },
      { send: 'DATA\r\n' },
      { send: Buffer.concat([raw, Buffer.from('.\r\n')]) },
      { send: 'QUIT\r\n' },
    ]);
    expect(replies[5]).toMatch(/^250 2\.0\.0 Ok: queued as /);
    const id = replies[5]!.split(' ').pop()!;
    expect((await fetchBytes(sink(), `/api/messages/${id}/raw`)).body.equals(raw)).toBe(true);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.subject).toBe('long lines');
    expect(detail.text?.split(/\r?\n/).map((line) => line.length)).toEqual([999, 1000, 10_000, 1_000_000, 3, 0]);
  });

  it('a 10 000-octet line and 8-bit text without BODY=8BITMIME, through STARTTLS (swaks --tls)', async () => {
    const body = `${lineOf(10_000, 'x')}\nØresund, Straße, 日本語`;
    const result = await swaks(sink().smtpPort, ['--tls', '--to', 'b@example.org', '--header', 'Subject: long over tls', '--body', body]);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.clientLines.some((line) => /BODY=8BITMIME/.test(line))).toBe(false);
    const detail = await api<MessageDetail>(sink(), '/api/messages/latest');
    expect(detail).toMatchObject({ subject: 'long over tls', envelope: { secure: true, mailParams: {} } });
    const raw = (await fetchBytes(sink(), `/api/messages/${detail.id}/raw`)).body;
    expect(raw.includes(Buffer.from(`${lineOf(10_000, 'x')}\r\nØresund, Straße, 日本語`, 'utf8'))).toBe(true);
  });

  it('a 254-octet mailbox in MAIL FROM and RCPT TO', async () => {
    const mailbox = (letter: string) => `${letter.repeat(65)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}`;
    const [from, to] = [mailbox('f'), mailbox('t')];
    expect(to).toHaveLength(254);
    const replies = await smtpDialogue(sink().smtpPort, [
      { send: 'EHLO client.example\r\n' },
      { send: `MAIL FROM:<${from}>\r\n` },
      { send: `RCPT TO:<${to}>\r\n` },
      { send: `RCPT TO:<x${to}>\r\n` },
      { send: 'DATA\r\n' },
      { send: 'Subject: full-length path\r\n\r\nx\r\n.\r\n' },
      { send: 'QUIT\r\n' },
    ]);
    expect(replies.slice(2, 5)).toEqual(['250 2.1.0 Accepted', '250 2.1.5 Accepted', '501 5.1.3 Error: Bad recipient address syntax']);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${replies[6]!.split(' ').pop()}`);
    expect(detail.envelope).toMatchObject({ mailFrom: from, rcptTo: [to] });
  });
});
