/**
 * Case 06 (shared/cases/06-dot-stuffing.md): lines that begin with `.` arrive dot-stuffed and are
 * un-stuffed exactly once; a line `..` is data, only `<CRLF>.<CRLF>` ends DATA. The DATA lines are
 * written to a raw socket exactly as the case gives them.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { queuedId, readCaseEml, sha256, toLf } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';

const EML = {
  eml: '06-dot-stuffing.eml',
  sizeBytes: 374,
  sha256: '2143ae5ad285cbd1b068312e4c47a508ed73ba1cd2816a19b7be63d1b4476c69',
};

/** The DATA lines as they go on the wire (already dot-stuffed by the client), then the terminator. */
const WIRE_LINES = [
  'From: Dot Sender <dots@example.com>',
  'To: <reader@example.org>',
  'Subject: Leading dots',
  'Date: Sun, 09 Mar 2025 11:00:00 +0000',
  'Message-ID: <case06.20250309@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Open https://www.example=',
  '..com/reset?token=3Dab12 now.',
  '..',
  '...two dots',
  '..hidden-file-name',
  'end',
  '.',
];

describe('case 06: dot-stuffing', () => {
  const sink = useSink();

  it('un-stuffs every leading dot exactly once and ends DATA only at the lone dot', async () => {
    const eml = readCaseEml(EML);
    const replies = await smtpDialogue(sink().smtpPort, [
      { send: 'EHLO client.example.com\r\n' },
      { send: 'MAIL FROM:<dots@example.com>\r\n' },
      { send: 'RCPT TO:<reader@example.org>\r\n' },
      { send: 'DATA\r\n' },
      { send: WIRE_LINES.map((line) => `${line}\r\n`).join('') },
      { send: 'QUIT\r\n' },
    ]);
    // One 250 for DATA; had `..` ended it, the lines after it would have drawn command errors.
    expect(replies.map((line) => line.slice(0, 4))).toEqual(['220 ', '250 ', '250 ', '250 ', '354 ', '250 ', '221 ']);
    const id = queuedId(replies[5]!);

    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages.map((m) => m.id)).toEqual([id]);

    const raw = await fetchBytes(sink(), `/api/messages/${id}/raw`);
    expect(raw.body.length).toBe(EML.sizeBytes);
    expect(sha256(raw.body)).toBe(EML.sha256);
    expect(raw.body.equals(eml)).toBe(true);

    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.subject).toBe('Leading dots');
    expect(detail.envelope).toMatchObject({ mailFrom: 'dots@example.com', rcptTo: ['reader@example.org'] });
    expect(toLf(detail.text ?? '')).toBe('Open https://www.example.com/reset?token=ab12 now.\n.\n..two dots\n.hidden-file-name\nend\n');
  });
});
