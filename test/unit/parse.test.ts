import { describe, expect, it } from 'vitest';
import { safeFilename } from '../../server/core/filename.js';
import { extractPart, normaliseLineEndings, parseMessage } from '../../server/core/parse.js';
import { resolveCidLinks } from '../../server/core/views.js';
import type { AttachmentMeta } from '../../server/contract.js';

describe('normaliseLineEndings', () => {
  const norm = (s: string) => normaliseLineEndings(Buffer.from(s, 'latin1')).toString('latin1');
  it('turns CR+ LF and bare LF into CRLF, keeps bare CR and CRLF', () => {
    expect(norm('a\r\r\nb\nc\r\nd\re\r\r\r\n')).toBe('a\r\nb\r\nc\r\nd\re\r\n');
  });
  it('returns the same buffer when nothing changes', () => {
    const raw = Buffer.from('a\r\nb\r\n');
    expect(normaliseLineEndings(raw)).toBe(raw);
  });
});

describe('parseMessage', () => {
  it('never throws: more MIME parts than the bound give a parseError and keep the headers', async () => {
    const raw = Buffer.from('Subject: many parts\r\nContent-Type: multipart/mixed; boundary="f"\r\n\r\n' + '--f\r\n\r\n'.repeat(1500) + '--f--\r\n');
    const { parsed, parseError } = await parseMessage(raw);
    expect(parseError).toMatch(/EMAXLEN/);
    expect(parsed?.subject).toBe('many parts');
  });

  it('strips angle brackets from Message-ID and Content-ID and keeps headers in order', async () => {
    const raw = Buffer.from(
      'Message-ID: <abc@example.com>\r\nSubject: x\r\nX-Folded: one\r\n two\r\nContent-Type: multipart/related; boundary=b\r\n\r\n' +
        '--b\r\nContent-Type: text/html\r\n\r\n<img src="cid:i1">\r\n--b\r\nContent-Type: image/gif\r\nContent-ID: <i1>\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAAAAACw=\r\n--b--\r\n',
    );
    const { parsed, parseError } = await parseMessage(raw);
    expect(parseError).toBeNull();
    expect(parsed?.messageId).toBe('abc@example.com');
    expect(parsed?.headers.map((h) => [h.name, h.value])).toEqual([
      ['Message-ID', '<abc@example.com>'],
      ['Subject', 'x'],
      ['X-Folded', 'one two'],
      ['Content-Type', 'multipart/related; boundary=b'],
    ]);
    expect(parsed?.attachments).toMatchObject([{ partId: '2', contentId: 'i1', inline: true, contentType: 'image/gif', sizeBytes: 14, safeFilename: 'part-2.gif' }]);
    expect(parsed?.html).toBe('<img src="cid:i1">');
    const part = await extractPart(raw, '2');
    expect(part?.content.toString('base64')).toBe('R0lGODlhAQABAAAAACw=');
    expect(await extractPart(raw, '3')).toBeNull();
  });

  it('gives 8-bit header bytes as text: UTF-8 (RFC 6532) decoded, other bytes one character each', async () => {
    const raw = Buffer.concat([
      Buffer.from('Subject: H\u00e9llo =?\r\nX-Name: J\u00fcrgen \u6771\u4eac\r\nX-Latin1: caf', 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from('\r\n\r\nbody\r\n'),
    ]);
    const { parsed } = await parseMessage(raw);
    expect(parsed?.subject).toBe('H\u00e9llo =?');
    expect(parsed?.headers).toEqual([
      { name: 'Subject', value: 'H\u00e9llo =?', decoded: 'H\u00e9llo =?' },
      { name: 'X-Name', value: 'J\u00fcrgen \u6771\u4eac', decoded: 'J\u00fcrgen \u6771\u4eac' },
      // decoded reads 8-bit bytes outside encoded words as UTF-8, as stalwart and mail clients do; value keeps the byte
      { name: 'X-Latin1', value: 'caf\u00e9', decoded: 'caf\ufffd' },
    ]);
  });
});

describe('safeFilename', () => {
  it('drops directories, control characters and quotes; never empty', () => {
    expect(safeFilename('../../etc/notes.txt', 'part-2', 'text/plain')).toBe('notes.txt');
    expect(safeFilename('C:\\Windows\\evil.exe', 'part-2', 'x/y')).toBe('evil.exe');
    expect(safeFilename('"><img src=x onerror=alert(1)>.txt', 'p', 'text/plain')).toBe('___img src=x onerror=alert(1)_.txt');
    expect(safeFilename('a\r\nContent-Type: text/html\u0000.txt', 'p', 'text/plain')).toBe('html.txt');
    expect(safeFilename('evil\r\nSet-Cookie: x=1\u0000.txt', 'p', 'text/plain')).toBe('evilSet-Cookie_ x=1.txt');
    expect(safeFilename('..', 'part-3', 'text/calendar')).toBe('part-3.ics');
    expect(safeFilename(null, 'part-1.2', 'application/x-unknown-thing')).toBe('part-1.2.bin');
    expect(safeFilename('Quarterly, summary 2025.pdf', 'p', 'application/pdf')).toBe('Quarterly, summary 2025.pdf');
    const long = safeFilename('x'.repeat(500) + '.pdf', 'p', 'application/pdf');
    expect(long).toHaveLength(120);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe('resolveCidLinks', () => {
  const part = (contentId: string, url: string) => ({ contentId, url }) as AttachmentMeta;
  it('matches whole ids only, every occurrence, exact before case-insensitive', () => {
    const parts = [part('logo', '/a/1'), part('logofooter', '/a/2'), part('Chart@Example.com', '/a/3')];
    const html = '<img src="cid:logo"><img src=cid:logo><img src="cid:logofooter"><img src="CID:chart@example.com"><img src="cid:missing">';
    expect(resolveCidLinks(html, parts)).toBe('<img src="/a/1"><img src=/a/1><img src="/a/2"><img src="/a/3"><img src="cid:missing">');
  });
});
