import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

describe('capture over SMTP with nodemailer', () => {
  const sink = useSink();

  it('stores a plain message and answers 250 only after it is stored', async () => {
    const t = transport(sink());
    const info = await t.sendMail({
      from: 'Alice Sender <alice@example.com>',
      to: 'Bob <bob@example.org>',
      subject: 'Plain hello',
      text: 'Hello Bob,\nthis is plain.\n',
    });
    t.close();
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as [A-Za-z0-9_-]{16}$/);
    const id = info.response.split(' ').pop()!;
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
    expect(detail.subject).toBe('Plain hello');
    expect(detail.from).toEqual([{ name: 'Alice Sender', address: 'alice@example.com' }]);
    expect(detail.to).toEqual([{ name: 'Bob', address: 'bob@example.org' }]);
    expect(detail.text).toBe('Hello Bob,\nthis is plain.\n');
    expect(detail.envelope.mailFrom).toBe('alice@example.com');
    expect(detail.envelope.rcptTo).toEqual(['bob@example.org']);
    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages[0]!.id).toBe(id);
    const raw = await fetchBytes(sink(), `/api/messages/${id}/raw`);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(raw.body.length).toBe(detail.sizeBytes);
  });
});
