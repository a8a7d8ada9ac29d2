/**
 * Legacy and odd mail over SMTP and REST, the kinds without a shared case: an unparsable `Date`
 * (null, never the arrival time), a multipart without boundary parameter or whose boundary never
 * occurs (body shown as text, `parseError` says why), and RFC 2047 words in UTF-7 or with raw 8-bit
 * bytes (subject, names and the header list's `decoded`, the raw `value` kept).
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { queuedId } from '../helpers/cases.js';
import { api, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const ENVELOPE = { from: 'legacy@example.com', to: ['inbox@example.org'] };

describe('legacy and odd mail', () => {
  const sink = useSink();
  const send = async (raw: Buffer | string) => {
    const info = await sendRaw(sink(), ENVELOPE, Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1'));
    return api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);
  };

  it('gives a Date that cannot be parsed as null in the detail and the list, never the arrival time', async () => {
    for (const value of ['yesterday-ish', '12', 'not a date 42']) {
      const detail = await send(`Subject: date ${value}\r\nDate: ${value}\r\n\r\nbody\r\n`);
      expect(detail.date, value).toBeNull();
      expect(detail.headers.find((h) => h.name === 'Date')?.value).toBe(value);
    }
    const list = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent('subject:date')}`);
    expect(list.messages.map((m) => m.date)).toEqual([null, null, null]);
  });

  it('shows the body of a multipart without boundary, or whose boundary never occurs, as text with a parseError', async () => {
    const missing = await send('Subject: no boundary\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n');
    expect(missing.text).toBe('--x\nContent-Type: text/plain\n\nhello\n--x--\n');
    expect(missing.parseError).toBe('multipart/mixed without a boundary parameter: the body is shown as text');
    const never = await send('Subject: wrong boundary\r\nContent-Type: multipart/alternative; boundary="zzz"\r\n\r\n--other\r\n\r\nJust some text\r\n');
    expect(never.text).toBe('--other\n\nJust some text\n');
    expect(never.parseError).toBe('multipart/alternative boundary "zzz" never occurs: the body is shown as text');
    expect(never.snippet).toBe('--other Just some text');
  });

  it('decodes UTF-7 words and raw 8-bit bytes inside words in subjects, names and the header list', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: =?utf-7?Q?Heinz_M+APw-ller?= <mueller@example.com>\r\nTo: Heinz =?iso-8859-1?Q?M'),
      Buffer.from([0xfc]),
      Buffer.from('ller?= <h@example.org>\r\nSubject: =?iso-8859-1?Q?Die_Hasen_und_die_Fr'),
      Buffer.from([0xf6]),
      Buffer.from('sche?=\r\nX-Note: =?utf-7?Q?Fr+APY-sche?=\r\n\r\nbody\r\n'),
    ]);
    const detail = await send(raw);
    expect(detail.subject).toBe('Die Hasen und die Frösche');
    expect(detail.from).toEqual([{ name: 'Heinz Müller', address: 'mueller@example.com' }]);
    expect(detail.to).toEqual([{ name: 'Heinz Müller', address: 'h@example.org' }]);
    expect(detail.headers.find((h) => h.name === 'X-Note')).toEqual({ name: 'X-Note', value: '=?utf-7?Q?Fr+APY-sche?=', decoded: 'Frösche' });
    expect(detail.headers.find((h) => h.name === 'Subject')).toEqual({ name: 'Subject', value: '=?iso-8859-1?Q?Die_Hasen_und_die_Fr\u00f6sche?=', decoded: 'Die Hasen und die Frösche' });
    const list = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent('Frösche')}`);
    expect(list.messages.map((m) => m.id)).toEqual([detail.id]);
  });
});
