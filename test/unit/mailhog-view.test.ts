/**
 * MailHog's view of a stored message (`server/http/compat/mailhog-view.ts`) on the edge cases of
 * MailHog's own parser (`mailhog/data`): unfolding, repeated fields, a nested multipart, paths with
 * source routes and quoted local parts, bare LF, a header without a body, 8-bit bytes, dates.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../server/contract.js';
import type { StoredMessage } from '../../server/core/store.js';
import { mailhogMessage, mailhogPart, mailhogSearchText } from '../../server/http/compat/mailhog-view.js';

function stored(raw: string | Buffer, envelope: Partial<Envelope> = {}, receivedAt = '2026-12-03T17:27:12.120Z'): StoredMessage {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  return {
    id: 'AbCdEfGhIjKlMnOp',
    seq: 1,
    receivedAt,
    envelope: { mailFrom: 'from@example.com', rcptTo: ['to@example.org'], mailParams: {}, heloName: 'client.test', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null, ...envelope },
    raw: bytes,
    sizeBytes: bytes.length,
    facts: null,
    read: false,
    tags: [],
  };
}

describe('mailhogMessage', () => {
  it('unfolds by dropping the line break and keeping the white space; keeps every value of a repeated field', () => {
    const view = mailhogMessage(stored('Subject: a\r\n  b\r\n\tc\r\nX-Dup: 1\r\nX-Dup: 2\r\nx-dup: 3\r\nNoSpace:v\r\nnot a field\r\n\r\nbody\r\n'));
    expect(view.Content.Headers['Subject']).toEqual(['a  b\tc']);
    expect(view.Content.Headers['X-Dup']).toEqual(['1', '2']);
    expect(view.Content.Headers['x-dup']).toEqual(['3']);
    expect(view.Content.Headers['NoSpace']).toEqual(['v']);
    expect(Object.keys(view.Content.Headers)).toEqual(['Message-ID', 'NoSpace', 'Received', 'Return-Path', 'Subject', 'X-Dup', 'x-dup']);
    expect(view.Content.Headers['Message-ID']).toEqual(['AbCdEfGhIjKlMnOp@mailsink']);
    expect(view.Content.Headers['Received']).toEqual(['from client.test by mailsink (MailHog API)\r\n          id AbCdEfGhIjKlMnOp; Thu, 03 Dec 2026 17:27:12 +0000']);
    expect(view.Content.Headers['Return-Path']).toEqual(['<from@example.com>']);
    expect(view.Content.Body).toBe('body');
  });

  it('appends to existing Received and Return-Path fields under their own spelling, keeps a Message-ID', () => {
    const view = mailhogMessage(stored('received: by relay\r\nRETURN-PATH: <x@y>\r\nMessage-Id: <m@x>\r\n\r\nb\r\n', { mailFrom: '' }));
    expect(view.Content.Headers['received']).toEqual(['by relay', expect.stringMatching(/^from client\.test by mailsink/)]);
    expect(view.Content.Headers['RETURN-PATH']).toEqual(['<x@y>', '<>']);
    expect(view.Content.Headers['Message-Id']).toEqual(['<m@x>']);
    expect(view.Content.Headers['Message-ID']).toBeUndefined();
    expect(view.From).toEqual({ Relays: null, Mailbox: '', Domain: '', Params: '' });
  });

  it('splits a nested multipart like MailHog: preamble and closing pieces count, inner parts get their own MIME', () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain',
      '',
      'plain',
      '--inner--',
      '--outer',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from([0, 1, 2, 255]).toString('base64'),
      '--outer--',
      'epilogue',
      '',
    ].join('\r\n');
    const view = mailhogMessage(stored(raw));
    expect(view.Content.MIME).toBeNull();
    const parts = view.MIME!.Parts;
    expect(parts.map((p) => p.Body)).toEqual(['preamble', '--inner\r\nContent-Type: text/plain\r\n\r\nplain\r\n--inner--', 'AAEC/w==', '--\r\nepilogue']);
    expect(parts[1]!.MIME!.Parts.map((p) => [p.Headers, p.Body])).toEqual([
      [{ 'Content-Type': ['text/plain'] }, 'plain'],
      [{}, '--'],
    ]);
    expect(parts.map((p) => p.Size)).toEqual([8, 108, 85, 12]);
    expect(mailhogPart(stored(raw), 2)!.body.toString()).toBe('AAEC/w==');
    expect(mailhogPart(stored(raw), 4)).toBeNull();
  });

  it('Raw.Data is the bytes without the CRLF before the dot; Size counts bytes; 8-bit text is UTF-8 decoded', () => {
    const raw = Buffer.from('Subject: Grüße\r\n\r\nKöln\r\n', 'utf8');
    const view = mailhogMessage(stored(raw));
    expect(view.Raw.Data).toBe('Subject: Grüße\r\n\r\nKöln');
    expect(view.Content.Size).toBe(raw.length - 2);
    expect(view.Content.Headers['Subject']).toEqual(['Grüße']);
    expect(view.Content.Body).toBe('Köln');
  });

  it('understands bare LF and a message whose header has no blank line after it', () => {
    expect(mailhogMessage(stored('Subject: lf\nTo: a@b\n\nbody\n')).Content).toMatchObject({ Body: 'body', Headers: { Subject: ['lf'], To: ['a@b'] } });
    const headerOnly = mailhogMessage(stored('Subject: only\r\n')).Content;
    expect([headerOnly.Headers['Subject'], headerOnly.Body]).toEqual([['only'], '']);
    const bodyOnly = mailhogMessage(stored('just text\r\n')).Content;
    expect([bodyOnly.Headers['Subject'], bodyOnly.Body]).toEqual([undefined, 'just text']);
  });

  it('splits paths: source routes into Relays, the domain at the last @', () => {
    const view = mailhogMessage(stored('S: x\r\n\r\nb\r\n', { mailFrom: '@relay1,@relay2:user@example.com', rcptTo: ['"odd@local"@example.org', 'postmaster'] }));
    expect(view.From).toEqual({ Relays: ['@relay1', '@relay2'], Mailbox: 'user', Domain: 'example.com', Params: '' });
    expect(view.To).toEqual([
      { Relays: null, Mailbox: '"odd@local"', Domain: 'example.org', Params: '' },
      { Relays: null, Mailbox: 'postmaster', Domain: '', Params: '' },
    ]);
    expect(view.Raw).toMatchObject({ From: '@relay1,@relay2:user@example.com', To: ['"odd@local"@example.org', 'postmaster'], Helo: 'client.test' });
  });

  it('Created is Go time JSON: trailing zeros of the fraction dropped, none when whole', () => {
    expect(mailhogMessage(stored('S: x\r\n\r\n', {}, '2026-12-03T17:27:12.120Z')).Created).toBe('2026-12-03T17:27:12.12Z');
    expect(mailhogMessage(stored('S: x\r\n\r\n', {}, '2026-12-03T17:27:12.000Z')).Created).toBe('2026-12-03T17:27:12Z');
    expect(mailhogMessage(stored('S: x\r\n\r\n', {}, '2026-12-03T17:27:12.007Z')).Created).toBe('2026-12-03T17:27:12.007Z');
  });
});

describe('mailhogSearchText', () => {
  it('lowercases the envelope addresses, From/To values in any spelling, every header value and the body', () => {
    const text = mailhogSearchText(stored('FROM: Ann <Ann@X.example>\r\nto: Bob <BOB@y.example>\r\nSubject: Hi\r\n\r\nBODY\r\n', { mailFrom: 'Bounce@X.example', rcptTo: ['Bob@Y.example'] }));
    expect(text.from).toEqual(['bounce@x.example', 'ann <ann@x.example>']);
    expect(text.to).toEqual(['bob@y.example', 'bob <bob@y.example>']);
    expect(text.headerValues).toContain('hi');
    expect(text.body).toBe('body');
  });
});
