/**
 * The decoders around mailparser: charsets (UTF-7 included), RFC 2047 encoded words from raw
 * header bytes, uuencode, the HTML `<meta>` charset, and what `parseMessage` makes of them.
 */
import { describe, expect, it } from 'vitest';
import { metaCharset } from '../../server/core/body-charsets.js';
import { decodeBytes, decodeUndeclared } from '../../server/core/charsets.js';
import { decodeEncodedWords, decodeHeaderValue, normaliseEncodedWords } from '../../server/core/encoded-words.js';
import { parseMailDate } from '../../server/core/mail-date.js';
import { extractPart, parseMessage } from '../../server/core/parse.js';
import { extractUuBlocks, uudecodeLines, uudecodePart } from '../../server/core/uuencode.js';

/** A binary string (one character per byte) of some bytes. */
const bin = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))).toString('latin1');

describe('decodeBytes / decodeUndeclared', () => {
  it('decodes UTF-7 (RFC 2152), aliases, Japanese ISO-2022-JP and windows-1251', () => {
    expect(decodeBytes(Buffer.from('Fr+APY-sche +AKM-1'), 'UTF-7')).toBe('Frösche £1');
    expect(decodeBytes(Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]), 'latin1')).toBe('Grüße');
    expect(decodeBytes(Buffer.from([0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42]), 'iso-2022-jp')).toBe('日本');
    expect(decodeBytes(Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), 'windows-1251')).toBe('Привет');
  });

  it('reads undeclared or unknown-charset bytes as UTF-8 when valid, else windows-1252, never U+FFFD', () => {
    expect(decodeUndeclared(Buffer.from('Grüße €', 'utf8'))).toBe('Grüße €');
    expect(decodeUndeclared(Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x80]))).toBe('Grüße €');
    expect(decodeBytes(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'unknown-8bit')).toBe('café');
    expect(decodeUndeclared(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße', 'utf16le')]))).toBe('Grüße');
  });
});

describe('decodeEncodedWords', () => {
  it('decodes UTF-7 words and raw 8-bit bytes inside a word in the declared charset', () => {
    expect(decodeEncodedWords('=?utf-7?Q?Die_Hasen_und_die_Fr+APY-sche_=28Microsoft_Outlook_00=29?=')).toBe('Die Hasen und die Frösche (Microsoft Outlook 00)');
    expect(decodeEncodedWords(bin('=?iso-8859-1?Q?Die_Hasen_und_die_Fr', [0xf6], 'sche?='))).toBe('Die Hasen und die Frösche');
    expect(decodeEncodedWords(bin('=?windows-1251?B?', [], Buffer.from([0xcf, 0xf0, 0xe8]).toString('base64'), '?='))).toBe('При');
  });

  it('joins adjacent words of one charset (a character split across words survives) and drops the space between words', () => {
    expect(decodeEncodedWords('=?UTF-8?B?4pi=?= =?UTF-8?B?gw==?= x')).toBe('☃ x');
    expect(decodeEncodedWords('=?UTF-8?Q?=E2=98?=\r\n =?UTF-8?Q?=83?=')).toBe('☃');
    expect(decodeEncodedWords('=?iso-8859-1?Q?J=FCrgen?= =?utf-8?Q?_M=C3=BCller?=')).toBe('Jürgen Müller');
    expect(decodeEncodedWords('a =?utf-8?Q?b?= c')).toBe('a b c');
  });

  it('reads 8-bit text outside words as UTF-8 and leaves what is not a word alone', () => {
    expect(decodeEncodedWords(bin('Gr', [0xc3, 0xbc], 'n =?bogus'))).toBe('Grün =?bogus');
    expect(decodeHeaderValue('=?UTF-8?Q?Ihre_Bestellung?=\r\n =?UTF-8?Q?_ist_unterwegs?=')).toBe('Ihre Bestellung ist unterwegs');
  });

  it('rewrites runs of words as one UTF-8 B word, keeping the address structure', () => {
    expect(normaliseEncodedWords('=?utf-7?Q?Heinz_M+APw-ller?= <mueller@example.com>')).toBe(`=?UTF-8?B?${Buffer.from('Heinz Müller').toString('base64')}?= <mueller@example.com>`);
  });
});

describe('uuencode', () => {
  it('decodes lines, a part body, and takes complete blocks out of a text', () => {
    expect(uudecodeLines(['#0V%T', '`']).toString()).toBe('Cat');
    expect(uudecodePart(Buffer.from('begin 644 cat.txt\r\n#0V%T\r\n`\r\nend\r\n')).toString()).toBe('Cat');
    const { text, files } = extractUuBlocks('Before\n\nbegin 600 cat.txt\n#0V%T\n`\nend\n\nAfter\n');
    expect(text).toBe('Before\n\nAfter\n');
    expect(files.map((f) => [f.filename, f.content.toString()])).toEqual([['cat.txt', 'Cat']]);
    expect(extractUuBlocks('begin 644 x\nnot uuencoded at all ~~~\nend\n').files).toEqual([]);
    expect(extractUuBlocks('begin 644 x\n#0V%T\n').files).toEqual([]); // no end line
  });
});

describe('metaCharset', () => {
  it('finds <meta charset> and http-equiv Content-Type; UTF-16 means UTF-8; unknown ones are skipped', () => {
    expect(metaCharset(Buffer.from('<html><head><meta charset="koi8-r"></head>'))).toBe('koi8-r');
    expect(metaCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'))).toBe('windows-1251');
    expect(metaCharset(Buffer.from('<meta charset=utf-16le>'))).toBe('utf-8');
    expect(metaCharset(Buffer.from('<meta charset="no-such"><body><meta charset="koi8-r">'))).toBeNull();
    expect(metaCharset(Buffer.from('<?xml version="1.0" encoding="iso-8859-2"?><html>'))).toBe('iso-8859-2');
  });
});

describe('parseMessage, legacy and odd mail', () => {
  const parse = async (raw: string | Buffer) => parseMessage(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1'));

  it('gives an unparsable Date as null, never the time of arrival', async () => {
    expect((await parse('Subject: a\r\nDate: yesterday-ish\r\n\r\nbody\r\n')).parsed?.date).toBeNull();
    expect((await parse('Subject: a\r\nDate: Wed, 17 May 2000 19:18:39 -0400 (EDT)\r\n\r\nbody\r\n')).parsed?.date).toBe('2000-05-17T23:18:39.000Z');
    expect((await parse('Subject: a\r\n\r\nbody\r\n')).parsed?.date).toBeNull();
  });

  it('reads RFC 5322 dates with their obsolete forms, and nothing that only Date.parse would guess at', () => {
    expect(parseMailDate('Wed, 17 May 2000 19:18:39 -0400 (EDT)')).toBe('2000-05-17T23:18:39.000Z');
    expect(parseMailDate('17 May 00 19:18 EST')).toBe('2000-05-18T00:18:00.000Z');
    expect(parseMailDate('Mon, 21 Aug 95 13:30:57 -600')).toBe('1995-08-21T19:30:57.000Z');
    expect(parseMailDate('Tue, 1 Jul 2003 10:52:37 +0200')).toBe('2003-07-01T08:52:37.000Z');
    expect(parseMailDate('2024-02-29T12:00:00Z')).toBe('2024-02-29T12:00:00.000Z');
    for (const junk of ['12', 'not a date 42', 'Foo 1', '2020', 'Tue, 30 Feb 2021 10:00 +0000', 'Mon, 32 Jan 2020 10:00:00 +0000', 'yesterday']) {
      expect(parseMailDate(junk), junk).toBeNull();
    }
  });

  it('shows the body of a multipart without boundary parameter, or whose boundary never occurs, as text with a parseError', async () => {
    const missing = await parse('Subject: a\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n');
    expect(missing.parsed?.text).toBe('--x\nContent-Type: text/plain\n\nhello\n--x--\n');
    expect(missing.parseError).toBe('multipart/mixed without a boundary parameter: the body is shown as text');
    const never = await parse('Subject: a\r\nContent-Type: multipart/alternative; boundary="zzz"\r\n\r\nJust some text\r\n');
    expect(never.parsed?.text).toBe('Just some text\n');
    expect(never.parseError).toBe('multipart/alternative boundary "zzz" never occurs: the body is shown as text');
    const empty = await parse('Subject: a\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n--b\r\n\r\n--b--\r\nEpilogue\r\n');
    expect(empty.parseError).toBeNull();
  });

  it('decodes display names with the same decoder, and gives each header its decoded value beside the raw one', async () => {
    const raw = bin('From: =?utf-7?Q?Heinz_M+APw-ller?= <mueller@example.com>\r\nTo: =?iso-8859-1?Q?J', [0xfc], 'rgen?= <j@example.com>, b@example.com\r\nSubject: =?UTF-8?Q?Ihre_Bestellung_=E2=84=96_42?=\r\n\r\nx\r\n');
    const { parsed } = await parse(Buffer.from(raw, 'latin1'));
    expect(parsed?.from).toEqual([{ name: 'Heinz Müller', address: 'mueller@example.com' }]);
    expect(parsed?.to).toEqual([{ name: 'Jürgen', address: 'j@example.com' }, { name: '', address: 'b@example.com' }]);
    expect(parsed?.subject).toBe('Ihre Bestellung № 42');
    expect(parsed?.headers[2]).toEqual({ name: 'Subject', value: '=?UTF-8?Q?Ihre_Bestellung_=E2=84=96_42?=', decoded: 'Ihre Bestellung № 42' });
  });

  it('decodes an undeclared 8-bit text body as windows-1252 when it is not UTF-8, and HTML in an unknown charset by its meta', async () => {
    const { parsed } = await parse(Buffer.concat([Buffer.from('Subject: a\r\nContent-Type: text/plain\r\n\r\ncaf'), Buffer.from([0xe9, 0x0d, 0x0a])]));
    expect(parsed?.text).toBe('café\n');
    const html = Buffer.concat([Buffer.from('Content-Type: text/html; charset=unknown-8bit\r\n\r\n<meta charset="koi8-r"><p>'), Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]), Buffer.from('</p>\r\n')]);
    expect((await parse(html)).parsed?.html).toBe('<meta charset="koi8-r"><p>Привет</p>\n');
  });

  it('lists a message/delivery-status part instead of gluing it into the text', async () => {
    const raw = 'Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--r--\r\n';
    const { parsed } = await parse(raw);
    expect(parsed?.text).toBe('failed');
    expect(parsed?.attachments.map((a) => [a.partId, a.contentType, a.sizeBytes])).toEqual([['2', 'message/delivery-status', 14]]);
    expect((await extractPart(Buffer.from(raw), '2'))?.content.toString()).toBe('Action: failed');
  });

  it('keeps a report\'s message/rfc822 marked inline a part (abuse reports, RFC 5965), while a forwarded inline message elsewhere is still shown', async () => {
    const inner = 'From: spammer@example.net\r\nSubject: Buy now\r\n\r\nCheap pills\r\n';
    const report = (type: string) =>
      `Content-Type: ${type}; boundary=r\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nAbuse report\r\n` +
      `--r\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n${inner}--r--\r\n`;
    const arf = await parse(report('multipart/report; report-type=feedback-report'));
    expect(arf.parsed?.text).toBe('Abuse report');
    expect(arf.parsed?.attachments.map((a) => [a.partId, a.contentType, a.sizeBytes])).toEqual([['2', 'message/rfc822', inner.length - 2]]);
    expect((await extractPart(Buffer.from(report('multipart/report; report-type=feedback-report')), '2'))?.content.toString()).toBe(inner.slice(0, -2));
    const forwarded = await parse(report('multipart/mixed'));
    expect(forwarded.parsed?.text).toContain('Cheap pills');
  });
});
