/**
 * Mailpit API v1: the unchanged `mailpit-api` npm client (a client we did not write) drives every
 * method that reads, searches, sends, deletes or fetches parts against a sink. Tags and chaos have
 * their own files (compat-mailpit-tags.test.ts).
 */
import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import { MailpitClient } from 'mailpit-api';
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const sink = useSink();
const mailpit = () => new MailpitClient(sink().httpUrl);

/** A 200×150 PNG: left half red, right half blue. */
function pngFixture(): Buffer {
  const png = new PNG({ width: 200, height: 150 });
  for (let y = 0; y < 150; y++) {
    for (let x = 0; x < 200; x++) {
      const i = (y * 200 + x) * 4;
      png.data.set(x < 100 ? [255, 0, 0, 255] : [0, 0, 255, 255], i);
    }
  }
  return PNG.sync.write(png);
}

async function smtp(mail: { from: string; to: string; subject: string; text: string; headers?: Record<string, string> }): Promise<string> {
  const t = transport(sink());
  try {
    const info = await t.sendMail(mail);
    return String(info.response).split(' ').pop()!;
  } finally {
    t.close();
  }
}

beforeEach(async () => {
  await mailpit().deleteMessages();
});

describe('mailpit-api: send and read one message', () => {
  it('sends through /api/v1/send and reads it back field by field', async () => {
    const png = pngFixture();
    const { ID } = await mailpit().sendMessage({
      From: { Email: 'shop@example.com', Name: 'The Shop' },
      To: [{ Email: 'ann@example.org', Name: 'Ann' }, { Email: 'ben@example.org' }],
      Cc: [{ Email: 'cc@example.org', Name: 'Carbon' }],
      Bcc: ['hidden@example.org'],
      ReplyTo: [{ Email: 'help@example.com', Name: 'Help' }],
      Subject: 'Order 55123 shipped',
      Text: 'Your order is on its way.',
      HTML: '<p>Your order <img src="cid:logo@shop"> is on its way.</p>',
      Headers: { 'X-Campaign': 'spring' },
      Tags: ['orders', 'Shipping'],
      Attachments: [
        { Content: png.toString('base64'), Filename: 'logo.png', ContentType: 'image/png', ContentID: 'logo@shop' },
        { Content: Buffer.from('id,qty\n1,2\n').toString('base64'), Filename: 'items.csv', ContentType: 'text/csv' },
      ],
    });
    expect(ID).toMatch(/^[A-Za-z0-9_-]{16}$/);

    const before = await mailpit().listMessages();
    expect(before.messages.map((m) => [m.ID, m.Read])).toEqual([[ID, false]]);
    const message = await mailpit().getMessageSummary(ID);
    expect(message).toMatchObject({
      ID,
      From: { Name: 'The Shop', Address: 'shop@example.com' },
      To: [{ Name: 'Ann', Address: 'ann@example.org' }, { Name: '', Address: 'ben@example.org' }],
      Cc: [{ Name: 'Carbon', Address: 'cc@example.org' }],
      Bcc: [{ Name: '', Address: 'hidden@example.org' }],
      ReplyTo: [{ Name: 'Help', Address: 'help@example.com' }],
      ReturnPath: 'shop@example.com',
      Subject: 'Order 55123 shipped',
      Tags: ['orders', 'Shipping'],
      Text: 'Your order is on its way.',
      HTML: '<p>Your order <img src="cid:logo@shop"> is on its way.</p>',
    });
    expect(message.Inline.map((p) => [p.FileName, p.ContentType, p.ContentID, p.Size])).toEqual([['logo.png', 'image/png', 'logo@shop', png.length]]);
    expect(message.Attachments.map((p) => [p.FileName, p.ContentType, p.Size, p.Checksums.SHA1])).toEqual([
      ['items.csv', 'text/csv', 11, createHash('sha1').update('id,qty\n1,2\n').digest('hex')],
    ]);
    expect(message.Inline[0]!.Checksums.SHA256).toBe(createHash('sha256').update(png).digest('hex'));
    // Mailpit marks a message read when it is fetched
    expect((await mailpit().listMessages()).messages[0]!.Read).toBe(true);

    const headers = await mailpit().getMessageHeaders(ID);
    expect(headers['Subject']).toEqual(['Order 55123 shipped']);
    expect(headers['X-Campaign']).toEqual(['spring']);
    expect(headers['X-Tags']).toEqual(['orders, Shipping']);
    expect(Object.keys(headers)).toEqual([...Object.keys(headers)].sort());
    expect(headers).not.toHaveProperty('Bcc');

    const source = await mailpit().getMessageSource(ID);
    const raw = Buffer.from(await (await fetch(`${sink().httpUrl}/api/messages/${ID}/raw`)).arrayBuffer());
    expect(source).toBe(raw.toString('utf8'));

    const inline = Buffer.from(await (await mailpit().getMessageAttachment(ID, message.Inline[0]!.PartID)).arrayBuffer());
    expect(inline.equals(png)).toBe(true);
    const csv = await mailpit().getMessageAttachment(ID, message.Attachments[0]!.PartID);
    expect(csv.type).toBe('text/csv');
    expect(await csv.text()).toBe('id,qty\n1,2\n');

    const thumb = await mailpit().getAttachmentThumbnail(ID, message.Inline[0]!.PartID);
    expect(thumb.type).toBe('image/jpeg');
    const image = jpeg.decode(Buffer.from(await thumb.arrayBuffer()), { useTArray: true });
    expect([image.width, image.height]).toEqual([180, 120]);
    const pixel = (x: number, y: number) => Array.from(image.data.subarray((y * 180 + x) * 4, (y * 180 + x) * 4 + 3));
    expect(pixel(20, 60)[0]).toBeGreaterThan(200); // red half, cropped to cover the box
    expect(pixel(160, 60)[2]).toBeGreaterThan(200); // blue half

    const html = await mailpit().renderMessageHTML(ID);
    expect(html).toBe(`<p>Your order <img src="/api/v1/message/${ID}/part/${message.Inline[0]!.PartID}"> is on its way.</p>`);
    expect(await mailpit().renderMessageText(ID)).toBe('Your order is on its way.');
    expect(await mailpit().renderMessageText()).toBe('Your order is on its way.'); // latest
  });

  it('refuses a send with a bad address or a restricted header, naming it', async () => {
    await expect(mailpit().sendMessage({ From: { Email: 'not an address' }, To: [{ Email: 'a@example.org' }] })).rejects.toThrow(/400 Bad Request.*invalid From address: not an address/);
    await expect(mailpit().sendMessage({ From: { Email: 'a@example.org' }, To: [{ Email: 'b@example.org' }], Headers: { Subject: 'x' } })).rejects.toThrow(/cannot overwrite header: \\"Subject\\"/);
    expect((await mailpit().listMessages()).total).toBe(0);
  });

  it('leaves the read flag alone in mailsink\'s own API', async () => {
    const { ID } = await mailpit().sendMessage({ From: { Email: 'a@example.com' }, To: [{ Email: 'b@example.org' }], Subject: 'quiet' });
    const detail = await api<MessageDetail>(sink(), `/api/messages/${ID}`);
    expect([detail.subject, detail.read, detail.envelope.rcptTo]).toEqual(['quiet', false, ['b@example.org']]);
    expect((await mailpit().getMessageSummary('latest')).ID).toBe(ID);
    expect((await api<MessageDetail>(sink(), `/api/messages/${ID}`)).read).toBe(true);
  });
});

describe('mailpit-api: lists, searches, read state and deletes', () => {
  async function three(): Promise<[string, string, string]> {
    const a = await smtp({ from: 'Alice Example <alice@example.com>', to: 'team@example.org', subject: 'Weekly report', text: 'numbers attached' });
    const b = await smtp({ from: 'bob@example.net', to: 'Carol Jones <carol@example.org>', subject: 'Lunch?', text: 'pizza or sushi' });
    const c = await smtp({ from: 'alice@example.com', to: 'dave@example.org', subject: 'Invoice 42', text: 'please pay by friday' });
    return [a, b, c];
  }

  it('lists newest first with Mailpit paging and counts', async () => {
    const [a, b, c] = await three();
    const page = await mailpit().listMessages(1, 1);
    expect(page).toMatchObject({ total: 3, unread: 3, count: 1, messages_count: 3, messages_unread: 3, start: 1, tags: [] });
    expect(page.messages.map((m) => m.ID)).toEqual([b]);
    expect((await mailpit().listMessages()).messages.map((m) => m.Subject)).toEqual(['Invoice 42', 'Lunch?', 'Weekly report']);
    const item = (await mailpit().listMessages(2, 1)).messages[0]!;
    expect(item).toMatchObject({ ID: a, From: { Name: 'Alice Example', Address: 'alice@example.com' }, To: [{ Name: '', Address: 'team@example.org' }], Cc: [], Bcc: [], ReplyTo: [], Read: false, Attachments: 0, Snippet: 'numbers attached', Tags: [], Username: '' });
    expect(new Date(item.Created).toISOString()).toBe(item.Created);
    expect(c).not.toBe(a);
  });

  it('searches as Mailpit does: to:/from: on name or address, bare words in bodies, is:unread', async () => {
    const [a, b, c] = await three();
    const ids = async (query: string) => (await mailpit().searchMessages({ query })).messages.map((m) => m.ID);
    expect(await ids('from:alice')).toEqual([c, a]);
    expect(await ids('to:jones')).toEqual([b]);
    expect(await ids('sushi')).toEqual([b]);
    expect(await ids('subject:invoice -from:bob')).toEqual([c]);
    expect(await ids('unknown:word')).toEqual([]); // Mailpit searches an unknown filter as text instead of refusing it
    await mailpit().getMessageSummary(c);
    const unread = await mailpit().searchMessages({ query: 'is:unread' });
    expect([unread.messages.map((m) => m.ID), unread.messages_count, unread.messages_unread, unread.total, unread.unread]).toEqual([[b, a], 2, 2, 3, 2]);
    const waited = await mailpit().waitForMessage({ query: 'subject:lunch' }, { timeout: 2000, interval: 50 });
    expect(waited.Subject).toBe('Lunch?');
    expect((await mailpit().waitForMessages({ query: 'from:alice', count: 2, exact: true }, { timeout: 2000, interval: 50 })).messages_count).toBe(2);
  });

  it('sets read state by IDs, by search and for all', async () => {
    const [a, b, c] = await three();
    const read = async () => (await mailpit().listMessages()).messages.map((m) => m.Read);
    expect(await mailpit().setReadStatus({ IDs: [a], Read: true })).toBe('ok');
    expect(await read()).toEqual([false, false, true]);
    expect(await mailpit().setReadStatus({ Search: 'from:alice', Read: true })).toBe('ok');
    expect(await read()).toEqual([true, false, true]);
    await mailpit().setReadStatus({ Read: true });
    expect(await read()).toEqual([true, true, true]);
    await mailpit().setReadStatus({ IDs: [b, c] });
    expect(await read()).toEqual([false, false, true]);
    await expect(mailpit().setReadStatus({ IDs: [a], Search: 'x', Read: true })).rejects.toThrow(/400.*either IDs or a search query/);
  });

  it('deletes by IDs, by search and everything', async () => {
    const [a, b, c] = await three();
    expect(await mailpit().deleteMessages({ IDs: [b, 'no-such-id'] })).toBe('ok');
    expect((await mailpit().listMessages()).messages.map((m) => m.ID)).toEqual([c, a]);
    expect(await mailpit().deleteMessagesBySearch({ query: 'subject:weekly' })).toBe('ok');
    expect((await mailpit().listMessages()).messages.map((m) => m.ID)).toEqual([c]);
    expect(await mailpit().deleteMessages()).toBe('ok');
    expect((await mailpit().waitForMessages({ count: 0 }, { timeout: 1000, interval: 50 })).total).toBe(0);
  });

  it('answers 404 for an unknown message and for latest of an empty search', async () => {
    await three();
    await expect(mailpit().getMessageSummary('no-such-id')).rejects.toThrow(/404 Not Found/);
    await expect(mailpit().getMessageHeaders('no-such-id')).rejects.toThrow(/404 Not Found/);
    const latest = await fetch(`${sink().httpUrl}/api/v1/message/latest?query=${encodeURIComponent('subject:nothing-like-this')}`);
    expect([latest.status, await latest.text()]).toEqual([404, 'Message not found']);
    const lunch = await fetch(`${sink().httpUrl}/api/v1/message/latest?query=${encodeURIComponent('subject:lunch')}`);
    expect(((await lunch.json()) as { Subject: string }).Subject).toBe('Lunch?');
  });
});

describe('mailpit-api: application info', () => {
  it('reports counts, configuration and liveness', async () => {
    await smtp({ from: 'a@example.com', to: 'b+news@example.org', subject: 'one', text: 'x' });
    const info = await mailpit().getInfo();
    expect(info).toMatchObject({ Version: '0.1.0', Messages: 1, Unread: 1, Tags: { news: 1 } });
    expect(info.RuntimeStats.SMTPAccepted).toBeGreaterThanOrEqual(1);
    expect(await mailpit().getConfiguration()).toMatchObject({ ChaosEnabled: true, MessageRelay: { Enabled: false }, SpamAssassin: false });
    for (const path of ['/livez', '/readyz']) expect((await fetch(sink().httpUrl + path)).status).toBe(200);
  });
});
