/**
 * Tags and chaos through the unchanged `mailpit-api` client, and tags in mailsink's own API: the
 * `X-Tags` header and `+sub-addresses` on arrival, `PATCH {tags}`, `tag:` search, `message.updated`.
 */
import { MailpitClient } from 'mailpit-api';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule, MessageList, MessageSummary } from '../../server/contract.js';
import { connectEvents } from '../helpers/events.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const sink = useSink();
const mailpit = () => new MailpitClient(sink().httpUrl);

async function smtp(to: string, subject: string, headers: Record<string, string> = {}): Promise<string> {
  const t = transport(sink());
  try {
    return String((await t.sendMail({ from: 'app@example.com', to, subject, text: subject, headers })).response).split(' ').pop()!;
  } finally {
    t.close();
  }
}

const patch = (body: unknown): RequestInit => ({ method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeEach(async () => {
  await mailpit().deleteMessages();
  await mailpit().setChaosTriggers({});
});

describe('tags through mailpit-api', () => {
  it('tags on arrival from X-Tags and sub-addresses, then sets, renames and deletes them', async () => {
    const a = await smtp('ann+signup@example.org', 'welcome', { 'X-Tags': 'Onboarding, a/b!' });
    const b = await smtp('ben@example.org', 'plain');
    expect((await mailpit().getMessageSummary(a)).Tags).toEqual(['a b', 'Onboarding', 'signup']);
    expect(await mailpit().getTags()).toEqual(['a b', 'Onboarding', 'signup']);

    expect(await mailpit().setTags({ IDs: [a, b], Tags: ['Urgent', 'urgent', 'later'] })).toBe('ok');
    expect((await mailpit().listMessages()).messages.map((m) => [m.ID, m.Tags])).toEqual([[b, ['later', 'Urgent']], [a, ['later', 'Urgent']]]);
    expect((await mailpit().searchMessages({ query: 'tag:urgent' })).messages_count).toBe(2);

    expect(await mailpit().renameTag('Urgent', 'Now')).toBe('ok');
    expect(await mailpit().getTags()).toEqual(['later', 'Now']);
    expect(await mailpit().deleteTag('later')).toBe('ok');
    expect(await mailpit().getTags()).toEqual(['Now']);
    expect((await mailpit().searchMessages({ query: 'is:tagged' })).messages.map((m) => m.ID)).toEqual([b, a]);
    await mailpit().setTags({ IDs: [b] });
    expect((await mailpit().searchMessages({ query: 'is:tagged' })).messages.map((m) => m.ID)).toEqual([a]);
    expect((await mailpit().listMessages()).tags).toEqual(['Now']);
  });
});

describe("tags in mailsink's own API", () => {
  it('PATCH {tags} sets them, the summary and message.updated carry them, tag: finds them', async () => {
    const id = await smtp('carol@example.org', 'invoice', { 'X-Tags': 'billing' });
    const events = await connectEvents(sink());
    try {
      const [updated, summary] = await Promise.all([events.next('message.updated'), api<MessageSummary>(sink(), `/api/messages/${id}`, patch({ tags: ['Paid', ' billing '] }))]);
      expect(summary.tags).toEqual(['billing', 'Paid']);
      expect(updated.message).toMatchObject({ id, tags: ['billing', 'Paid'], read: false });
    } finally {
      await events.close();
    }
    expect((await sink().client.setTags(id, ['billing', 'Paid', 'PAID'])).tags).toEqual(['billing', 'Paid']);
    const found = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent('tag:paid')}`);
    expect(found.messages.map((m) => [m.id, m.tags])).toEqual([[id, ['billing', 'Paid']]]);
    const res = await fetch(`${sink().httpUrl}/api/messages/${id}`, patch({}));
    expect([res.status, ((await res.json()) as { error: { message: string } }).error.message]).toEqual([400, 'invalid body field "body": give read, tags or both']);
  });
});

describe('chaos through mailpit-api', () => {
  it('maps triggers onto fault rules and refuses SMTP as configured', async () => {
    expect(await mailpit().getChaosTriggers()).toEqual({
      Sender: { ErrorCode: 451, Probability: 0 },
      Recipient: { ErrorCode: 451, Probability: 0 },
      Authentication: { ErrorCode: 535, Probability: 0 },
    });
    const set = await mailpit().setChaosTriggers({ Recipient: { ErrorCode: 550, Probability: 100 } });
    expect(set.Recipient).toEqual({ ErrorCode: 550, Probability: 100 });
    const { rules } = await api<{ rules: FaultRule[] }>(sink(), '/api/faults');
    expect(rules.map((r) => [r.stage, r.reply?.code, r.probability])).toEqual([['rcptTo', 550, 1]]);
    await expect(smtp('dave@example.org', 'refused')).rejects.toMatchObject({ responseCode: 550 });
    expect(await mailpit().setChaosTriggers({})).toMatchObject({ Recipient: { ErrorCode: 451, Probability: 0 } });
    expect((await api<{ rules: FaultRule[] }>(sink(), '/api/faults')).rules).toEqual([]);
    await expect(mailpit().setChaosTriggers({ Sender: { ErrorCode: 250, Probability: 10 } })).rejects.toThrow(/400.*error code must be between 400 and 599/);
  });
});
