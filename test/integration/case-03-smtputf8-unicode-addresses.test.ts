/**
 * Case 03 (shared/cases/03-smtputf8-unicode-addresses.md): SMTPUTF8 envelope with Unicode local
 * parts and a quoted local part containing a space, raw UTF-8 headers (RFC 6531/6532). The
 * dialogue is written byte for byte over a raw socket (Python's smtplib would re-quote
 * `"odd user"@example.org`).
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { ehloReply, queuedId, readCaseEml, sha256, toLf } from '../helpers/cases.js';
import { connectEvents } from '../helpers/events.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';

const EML = {
  eml: '03-smtputf8-unicode-addresses.eml',
  sizeBytes: 413,
  sha256: '4dbfdddbbf2d1d78dcdb5ef6db73cb58921723859157f9d417dfa1156e4321b6',
};
const RCPT_TO = ['josé.ramírez@example.org', '"odd user"@example.org', '用户@example.org'];
const SUBJECT = 'Café für alle – naïve résumé 🚀';

describe('case 03: SMTPUTF8 Unicode and quoted local parts', () => {
  const sink = useSink();

  it('advertises SMTPUTF8 and 8BITMIME in the EHLO reply', async () => {
    const lines = await ehloReply(sink().smtpPort);
    expect(lines).toContain('SMTPUTF8');
    expect(lines).toContain('8BITMIME');
  });

  it('accepts the UTF-8 and quoted addresses and stores the message unchanged', async () => {
    const eml = readCaseEml(EML);
    const events = await connectEvents(sink());
    try {
      const replies = await smtpDialogue(sink().smtpPort, [
        { send: 'EHLO client.example.com\r\n' },
        { send: Buffer.from('MAIL FROM:<søren@example.com> SMTPUTF8 BODY=8BITMIME\r\n', 'utf8') },
        ...RCPT_TO.map((address) => ({ send: Buffer.from(`RCPT TO:<${address}>\r\n`, 'utf8') })),
        { send: 'DATA\r\n' },
        { send: Buffer.concat([eml, Buffer.from('.\r\n')]) },
        { send: 'QUIT\r\n' },
      ]);
      expect(replies.map((line) => line.slice(0, 4))).toEqual(['220 ', '250 ', '250 ', '250 ', '250 ', '250 ', '354 ', '250 ', '221 ']);
      const id = queuedId(replies[7]!);

      const event = await events.next('message.received');
      expect(event.message).toMatchObject({
        id,
        subject: SUBJECT,
        envelope: { mailFrom: 'søren@example.com', rcptTo: RCPT_TO },
      });
      expect(JSON.stringify(event)).not.toContain('\ufffd');

      const res = await fetch(`${sink().httpUrl}/api/messages/${id}`);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json; charset=utf-8$/i);
      expect(new TextDecoder('utf-8', { fatal: true }).decode(body)).not.toContain('\ufffd');
      const detail = JSON.parse(body.toString('utf8')) as MessageDetail;
      expect(detail.envelope.mailFrom).toBe('søren@example.com');
      expect(detail.envelope.rcptTo).toEqual(RCPT_TO);
      expect(detail.envelope.mailParams).toEqual({ SMTPUTF8: true, BODY: '8BITMIME' });
      expect(detail.subject).toBe(SUBJECT);
      expect(detail.from).toEqual([{ name: 'Søren Ødegård', address: 'søren@example.com' }]);
      expect(detail.to).toEqual([{ name: 'José Ramírez', address: 'josé.ramírez@example.org' }]);
      expect(detail.cc).toEqual([
        { name: '', address: '"odd user"@example.org' },
        { name: '', address: '用户@example.org' },
      ]);
      expect(toLf(detail.text ?? '')).toBe('Hej José, smörgåsbord på fredag? 🍰\n');
      expect(detail.parseError).toBeNull();

      const raw = await fetchBytes(sink(), `/api/messages/${id}/raw`);
      expect(raw.body.length).toBe(EML.sizeBytes);
      expect(sha256(raw.body)).toBe(EML.sha256);
    } finally {
      await events.close();
    }
  });

  it('finds the message by recipient josé.ramírez@example.org', async () => {
    for (const query of ['to:josé.ramírez@example.org', 'josé.ramírez@example.org']) {
      const found = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent(query)}`);
      expect(found.messages.map((m) => m.subject), query).toEqual([SUBJECT]);
    }
    const missed = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent('to:jose.ramirez@example.org')}`);
    expect(missed.total).toBe(0);
  });
});
