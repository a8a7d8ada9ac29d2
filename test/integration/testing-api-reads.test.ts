/**
 * Reads never change state: every GET of the API (list, detail, latest, raw, html, text, links,
 * attachment, wait, cursor, mailboxes …) leaves `read` false and publishes no event; only PATCH
 * marks a message read.
 */
import { describe, expect, it } from 'vitest';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

describe('reads have no side effects', () => {
  const sink = useSink();

  it('no GET marks read or publishes an event; PATCH does', async () => {
    const t = transport(sink());
    const info = await t.sendMail({
      from: 'app@example.test',
      to: 'reader@example.test',
      subject: 'Read me',
      text: 'Code 123456 https://app.example/x',
      html: '<a href="https://app.example/x">x</a>',
      attachments: [{ filename: 'a.txt', content: 'attached' }],
    });
    t.close();
    const id = info.response.split(' ').pop()!;
    const { partId } = (await sink().client.get(id)).attachments[0]!;
    const seqBefore = sink().events.seq;
    const paths = [
      '/api/messages', '/api/messages?query=is:unread', `/api/messages/${id}`, '/api/messages/latest', `/api/messages/${id}/raw`,
      `/api/messages/${id}/raw?download=1`, `/api/messages/${id}/html`, `/api/messages/${id}/text`, `/api/messages/${id}/links`,
      `/api/messages/${id}/attachments/${partId}`, '/api/messages/wait?query=mailbox:reader@example.test', '/api/messages/cursor',
      '/api/mailboxes', '/api/health', '/api/openapi.json', '/api/docs',
    ];
    for (const path of paths) {
      const res = await fetch(sink().httpUrl + path);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
    await sink().client.codes(id);
    expect(sink().events.seq).toBe(seqBefore);
    expect(sink().store.get(id)!.read).toBe(false);
    expect((await sink().client.get(id)).read).toBe(false);
    expect((await sink().client.mailboxes())[0]).toMatchObject({ mailbox: 'reader@example.test', unread: 1 });

    await sink().client.markRead(id);
    expect(sink().events.seq).toBe(seqBefore + 1);
    expect((await sink().client.get(id)).read).toBe(true);
  });
});
