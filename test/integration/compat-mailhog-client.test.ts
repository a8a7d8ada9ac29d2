/**
 * The unchanged `mailhog` npm client (4.16.0) against mailsink's MailHog dialect: messages, search,
 * latestFrom/latestTo/latestContaining, its decoding getters (subject, from, to, cc, bcc, replyTo,
 * date, deliveryDate, text, html, attachments), encode/decode against our parts, deleteMessage
 * and deleteAll. Release is in compat-mailhog-release.test.ts.
 */
import type { IncomingMessage } from 'node:http';
import mailhog from 'mailhog';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALTERNATIVE, CSV, CSV_B64, HELO, HTML, MIXED, PLAIN, sendFixtures } from '../helpers/mailhog-fixtures.js';
import { connectEvents } from '../helpers/events.js';
import { useSink } from '../helpers/sink.js';

const withoutFinalCrlf = (raw: string) => raw.slice(0, -2);

describe('mailhog client: reads and searches', () => {
  const sink = useSink();
  const client = () => mailhog({ host: '127.0.0.1', port: sink().httpPort });
  let ids: string[] = []; // ALTERNATIVE, MIXED, PLAIN in sending order

  beforeAll(async () => {
    ids = await sendFixtures(sink());
  });

  it('messages(): every message newest first with MailHog fields', async () => {
    const result = await client().messages();
    expect(result).toMatchObject({ total: 3, count: 3, start: 0 });
    const items = result!.items;
    expect(items.map((m) => m.ID)).toEqual([ids[2], ids[1], ids[0]]);
    expect(items.map((m) => m.subject)).toEqual(['Weekly news', 'Report attached', 'Grüße aus Köln']);
    const plain = items[0]! as unknown as Record<string, any>;
    expect(plain['From']).toEqual({ Relays: null, Mailbox: 'bounce', Domain: 'sender.example', Params: '' });
    expect(plain['To']).toEqual([
      { Relays: null, Mailbox: 'erin', Domain: 'example.org', Params: '' },
      { Relays: null, Mailbox: 'bcc-only', Domain: 'example.org', Params: '' },
    ]);
    expect(plain['Raw']).toEqual({ From: 'bounce@sender.example', To: ['erin@example.org', 'bcc-only@example.org'], Data: withoutFinalCrlf(PLAIN), Helo: HELO });
    expect(plain['Content'].Body).toBe('Plain body line\r\n.dot line');
    expect(plain['Content'].Size).toBe(PLAIN.length - 2);
    expect(plain['Content'].Headers['Return-Path']).toEqual(['<bounce@sender.example>']);
    expect(plain['MIME']).toBeNull();
    const summary = (await (await fetch(`${sink().httpUrl}/api/messages/${ids[2]}`)).json()) as { receivedAt: string };
    expect(items[0]!.deliveryDate.getTime()).toBe(Date.parse(summary.receivedAt));
  });

  it('messages(start, limit) pages like MailHog', async () => {
    const page = await client().messages(1, 1);
    expect(page).toMatchObject({ total: 3, count: 1, start: 1 });
    expect(page!.items[0]!.ID).toBe(ids[1]);
    expect(await client().messages(3)).toMatchObject({ total: 3, count: 0, start: 3, items: [] }); // MailHog gave the oldest here
    expect(await client().messages(5, 10)).toMatchObject({ total: 3, count: 0, start: 5, items: [] });
    expect(await client().search('example', 'containing', 3)).toMatchObject({ total: 3, count: 0, start: 3, items: [] });
  });

  it('decoding getters on a multipart/alternative: encoded words, quoted-printable and base64 bodies', async () => {
    const mail = (await client().messages(2, 1))!.items[0]!;
    expect(mail.ID).toBe(ids[0]);
    expect(mail.subject).toBe('Grüße aus Köln');
    expect(mail.from).toBe('Jürgen <juergen@example.com>');
    expect(mail.to).toBe('Bob <bob@example.org>');
    expect(mail.cc).toBe('carol@example.net');
    expect(mail.replyTo).toBe('replies@example.com');
    expect(mail.bcc).toBeUndefined();
    expect(mail.date.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(mail.text).toBe('Grüße, Bob! Code: 4711');
    expect(mail.html).toBe(HTML);
    expect(mail.attachments).toEqual([]);
    expect(mail.MIME.Parts).toHaveLength(3); // text, html, and the closing "--" piece, as MailHog splits
  });

  it('decoding getters on a multipart/mixed: folded Subject, latin-1 text, Bcc field, the attachment', async () => {
    const mail = (await client().messages(1, 1))!.items[0]!;
    expect(mail.subject).toBe('Report attached');
    expect(mail.bcc).toBe('hidden@example.org');
    expect(mail.text).toBe('Grüße');
    expect(mail.html).toBeUndefined();
    expect(mail.attachments).toHaveLength(1);
    const [csv] = mail.attachments;
    expect(csv).toMatchObject({ name: 'report.csv', type: 'text/csv; name="report.csv"', encoding: 'base64', Body: CSV_B64 });
    expect(client().decode(csv!.Body, 'base64')).toBe(CSV);
    expect(mail.MIME.Parts.map((part) => part.Body)).toEqual(['preamble text', 'Gr=FC=DFe', CSV_B64, '--']);
  });

  it('encode() of the known text gives the bodies mailsink shows; decode() reverses them', async () => {
    const mail = (await client().messages(2, 1))!.items[0]!;
    const [text, html] = mail.MIME.Parts;
    expect(client().encode('Grüße, Bob! Code: 4711', 'quoted-printable')).toBe(text!.Body);
    expect(client().encode(HTML, 'base64')).toBe(html!.Body);
    expect(client().decode(text!.Body, 'quoted-printable')).toBe('Grüße, Bob! Code: 4711');
    expect(client().decode('Gr=FC=DFe', 'quoted-printable', 'iso-8859-1')).toBe('Grüße');
    expect(client().encode('Grüße', 'quoted-printable', 'iso-8859-1')).toBe('Gr=FC=DFe');
  });

  it('search(): containing over headers and raw body, from/to over envelope and fields, paging', async () => {
    const ids3 = async (query: string, kind?: string, start?: number, limit?: number) => {
      const result = await client().search(query, kind, start, limit);
      return { total: result!.total, count: result!.count, ids: result!.items.map((m) => m.ID) };
    };
    expect(await ids3('CODE: 4711')).toEqual({ total: 1, count: 1, ids: [ids[0]] }); // quoted-printable text as stored
    expect(await ids3('b2@example.com', 'containing')).toEqual({ total: 1, count: 1, ids: [ids[1]] }); // Message-ID field
    expect(await ids3('Grüße', 'containing')).toEqual({ total: 0, count: 0, ids: [] }); // encoded in every message
    expect(await ids3('bounce@sender', 'from')).toEqual({ total: 1, count: 1, ids: [ids[2]] }); // envelope only
    expect(await ids3('news@example.com', 'from')).toEqual({ total: 1, count: 1, ids: [ids[2]] }); // From field only
    expect(await ids3('example.com', 'from')).toEqual({ total: 3, count: 3, ids: [ids[2], ids[1], ids[0]] });
    expect(await ids3('bcc-only@', 'to')).toEqual({ total: 1, count: 1, ids: [ids[2]] });
    expect(await ids3('BOB <bob', 'to')).toEqual({ total: 1, count: 1, ids: [ids[0]] }); // To field, case-insensitive
    expect(await ids3('example', 'containing', 1, 1)).toEqual({ total: 3, count: 1, ids: [ids[1]] });
  });

  it('latestFrom / latestTo / latestContaining give the newest match, or 0 when none', async () => {
    expect((await client().latestFrom('example.com'))!.ID).toBe(ids[2]);
    expect((await client().latestTo('bob@example.org'))!.subject).toBe('Grüße aus Köln');
    expect((await client().latestContaining('report.csv'))!.ID).toBe(ids[1]);
    expect(await client().latestContaining('no such text anywhere')).toBe(0);
  });

  it('the raw fixtures are what was stored (guards the expectations above)', async () => {
    const raws = await Promise.all(ids.map(async (id) => (await fetch(`${sink().httpUrl}/api/messages/${id}/raw`)).text()));
    expect(raws).toEqual([ALTERNATIVE, MIXED, PLAIN]);
  });
});

describe('mailhog client: deletes', () => {
  const sink = useSink();
  const client = () => mailhog({ host: '127.0.0.1', port: sink().httpPort });

  it('deleteMessage removes one (200, empty body), an unknown id is a 404 JSON error, deleteAll empties; both are announced', async () => {
    const ids = await sendFixtures(sink());
    const events = await connectEvents(sink());
    const res = (await client().deleteMessage(ids[1]!)) as IncomingMessage;
    expect(res.statusCode).toBe(200);
    expect(await events.next('message.deleted')).toMatchObject({ ids: [ids[1]], reason: 'api' });
    const left = await client().messages();
    expect(left).toMatchObject({ total: 2, count: 2 });
    expect(left!.items.map((m) => m.ID)).toEqual([ids[2], ids[0]]);
    expect(await client().deleteMessage(ids[1]!)).toEqual({ error: { code: 'not_found', message: `no message with id "${ids[1]}"`, field: 'id' } });

    const all = (await client().deleteAll()) as IncomingMessage;
    expect(all.statusCode).toBe(200);
    expect((await events.next('store.cleared')).type).toBe('store.cleared');
    await events.close();
    expect(await client().messages()).toEqual({ total: 0, count: 0, start: 0, items: [] });
    expect((await (await fetch(`${sink().httpUrl}/api/messages`)).json()) as unknown).toMatchObject({ total: 0 });
  });
});
