/** Pure parts of the Mailpit dialect: tag names, header keys, search strings with `tz`, thumbnails. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../server/contract.js';
import { factsOf, parseMessage } from '../../server/core/parse.js';
import type { StoredMessage } from '../../server/core/store.js';
import { cleanTag, normaliseTags, plusTags } from '../../server/core/tags.js';
import { thumbnailJpeg } from '../../server/core/thumbnail.js';
import { compileMailpitQuery } from '../../server/http/compat/mailpit-query.js';
import { canonicalHeaderKey, toMailpitHeaders } from '../../server/http/compat/mailpit-views.js';

describe('tag names', () => {
  it('cleans, deduplicates case-insensitively and sorts as Mailpit does', () => {
    expect(cleanTag('  a/b!  c ')).toBe('a b c');
    expect(cleanTag('x'.repeat(120))).toHaveLength(100);
    expect(cleanTag('§$%')).toBe('');
    expect(normaliseTags(['Urgent', 'urgent', 'b@x.org', '', 'alpha_1'])).toEqual(['alpha_1', 'b@x.org', 'Urgent']);
    expect(plusTags(['ann+Signup@example.org', '+x@example.org', 'bob+@example.org', '"q+t"@example.org'])).toEqual(['Signup']);
  });
});

describe('headers as Go encodes them', () => {
  it('canonicalises keys and groups repeated fields in order', () => {
    expect(['message-id', 'CONTENT-TYPE', 'x-tags', 'dkim-signature'].map(canonicalHeaderKey)).toEqual(['Message-Id', 'Content-Type', 'X-Tags', 'Dkim-Signature']);
    expect(canonicalHeaderKey('bad key')).toBe('bad key');
    expect(toMailpitHeaders([{ name: 'received', value: 'b ', decoded: 'b ' }, { name: 'To', value: 'x@y', decoded: 'x@y' }, { name: 'Received', value: 'a', decoded: 'a' }])).toEqual({ Received: ['b', 'a'], To: ['x@y'] });
  });
});

describe('Mailpit search strings', () => {
  const envelope: Envelope = { mailFrom: 'a@example.com', rcptTo: ['b@example.org'], mailParams: {}, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };
  async function message(receivedAt: string): Promise<StoredMessage> {
    const raw = Buffer.from('Subject: hi\r\nFrom: a@example.com\r\n\r\nbody\r\n');
    return { id: 'm1', seq: 1, receivedAt, envelope, raw, sizeBytes: raw.length, facts: factsOf(await parseMessage(raw)), read: false, tags: [] };
  }

  it('reads zone-less dates in tz, and searches what it cannot parse as text', async () => {
    const m = await message('2024-05-01T22:30:00.000Z'); // 2024-05-02 00:30 in Berlin (UTC+2)
    expect(compileMailpitQuery('after:2024-05-02').test(m)).toBe(false);
    expect(compileMailpitQuery('after:2024-05-02', 'Europe/Berlin').test(m)).toBe(true);
    expect(compileMailpitQuery('after:2024-05-02', 'No/Such_Zone').test(m)).toBe(false);
    expect(compileMailpitQuery('nope:hi').test(m, 'body')).toBe(false);
    expect(compileMailpitQuery('subject:hi is:maybe').test(m, 'is:maybe here')).toBe(true);
  });
});

describe('thumbnails', () => {
  it('pads a small image on white and blanks a non-image', () => {
    const png = new PNG({ width: 20, height: 10 });
    png.data.fill(0);
    for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255; // opaque black
    const thumb = jpeg.decode(thumbnailJpeg(PNG.sync.write(png), 'image/png'), { useTArray: true });
    const at = (x: number, y: number) => thumb.data[(y * 180 + x) * 4]!;
    expect([thumb.width, thumb.height]).toEqual([180, 120]);
    expect([at(90, 60) < 40, at(5, 5) > 215]).toEqual([true, true]);
    const wide = { width: 400, height: 100, data: Buffer.alloc(400 * 100 * 4) };
    for (let i = 0; i < 400 * 100; i++) wide.data.set(i % 400 < 200 ? [0, 200, 0, 255] : [250, 250, 0, 255], i * 4);
    const cropped = jpeg.decode(thumbnailJpeg(jpeg.encode(wide, 90).data, 'image/jpeg'), { useTArray: true });
    const px = (x: number) => Array.from(cropped.data.subarray((60 * 180 + x) * 4, (60 * 180 + x) * 4 + 3));
    // 400×100 is lower than the box: fitted (180×45), centred on white, as Mailpit does
    expect([cropped.width, cropped.height]).toEqual([180, 120]);
    expect([px(1)[0]! < 60 && px(1)[1]! > 150, px(178)[0]! > 200 && px(178)[1]! > 200 && px(178)[2]! < 60]).toEqual([true, true]);
    expect(Math.min(...cropped.data.subarray(10 * 180 * 4, 11 * 180 * 4))).toBeGreaterThan(240); // row 10: white padding
    const blank = jpeg.decode(thumbnailJpeg(Buffer.from('%PDF-1.4'), 'application/pdf'), { useTArray: true });
    expect([blank.width, blank.height, Math.min(...blank.data)]).toEqual([180, 120, 255]);
  });
});

describe('MessageStore.unreadCount', () => {
  it('follows adds, read flags, deletes, evictions and clear', async () => {
    const { EventBus } = await import('../../server/core/events.js');
    const { MessageStore } = await import('../../server/core/store.js');
    const store = new MessageStore({ maxMessages: 3, maxStoreBytes: 1e9 }, new EventBus());
    const envelope: Envelope = { mailFrom: '', rcptTo: ['b@example.org'], mailParams: {}, heloName: 'h', remoteAddress: '127.0.0.1', remotePort: 1, secure: false, authUser: null };
    const add = () => store.add({ envelope, raw: Buffer.from('Subject: x\r\n\r\ny\r\n') });
    const [a, b, c] = [add(), add(), add()];
    expect(store.unreadCount).toBe(3);
    store.setRead(a.id, true);
    store.setRead(a.id, true);
    expect(store.unreadCount).toBe(2);
    add(); // evicts a (read)
    expect(store.unreadCount).toBe(3);
    store.delete([b.id]);
    expect(store.unreadCount).toBe(2);
    store.setRead(c.id, true);
    add();
    add(); // evicts c (read)
    expect([store.size, store.unreadCount]).toEqual([3, 3]);
    store.clear();
    expect(store.unreadCount).toBe(0);
  });
});
