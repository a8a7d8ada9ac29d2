/**
 * MailHog's `POST /api/v1/messages/:id/release` through the unchanged `mailhog` client and raw HTTP:
 * the exact bytes reach a second sink listed by `releaseAllow` (`--release-allow`), with AUTH PLAIN
 * and CRAM-MD5, by a saved server `Name`; a sink without the option, or a target it does not list,
 * answers 403 naming the option and connects nowhere; bad bodies are 400s naming the field; an
 * upstream refusal is a 500 with its reply code.
 */
import type { IncomingMessage } from 'node:http';
import mailhog from 'mailhog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sink } from '../../server/sink.js';
import { MIXED, PLAIN, sendFixtures } from '../helpers/mailhog-fixtures.js';
import { startTestSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';

const storedCount = async (target: Sink) => ((await (await fetch(`${target.httpUrl}/api/health`)).json()) as { messages: number }).messages;

type Stored = { id: string; envelope: { mailFrom: string; rcptTo: string[]; authUser: string | null } };

describe('release to a listed upstream', () => {
  let upstream: Sink;
  let other: Sink;
  let sink: Sink;
  let ids: string[] = [];
  const client = () => mailhog({ host: '127.0.0.1', port: sink.httpPort });
  /** The upstream's messages, newest first, with their full envelopes. */
  const upstreamMessages = async () => {
    const list = ((await (await fetch(`${upstream.httpUrl}/api/messages`)).json()) as { messages: { id: string }[] }).messages;
    return Promise.all(list.map(async ({ id }) => (await (await fetch(`${upstream.httpUrl}/api/messages/${id}`)).json()) as Stored));
  };
  const rawOf = async (target: Sink, id: string) => Buffer.from(await (await fetch(`${target.httpUrl}/api/messages/${id}/raw`)).arrayBuffer());
  const post = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sink.httpUrl}/api/v1/messages/${id}/release`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    upstream = await startTestSink({ faults: [{ stage: 'rcptTo', match: { rcptTo: 'refused@example.net' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user' } }] });
    other = await startTestSink();
    sink = await startTestSink({ releaseAllow: [`127.0.0.1:${upstream.smtpPort}`] });
    ids = await sendFixtures(sink);
  });
  afterAll(async () => {
    await Promise.all([sink?.stop(), upstream?.stop(), other?.stop()]);
  });

  it('client.releaseMessage sends the exact bytes with RCPT TO the given email and the original MAIL FROM (200, empty body)', async () => {
    const res = (await client().releaseMessage(ids[2]!, { host: '127.0.0.1', port: String(upstream.smtpPort), email: 'target@example.net' })) as IncomingMessage;
    expect(res.statusCode).toBe(200);
    const [got] = await upstreamMessages();
    expect(got!.envelope).toMatchObject({ mailFrom: 'bounce@sender.example', rcptTo: ['target@example.net'], authUser: null });
    expect((await rawOf(upstream, got!.id)).toString('latin1')).toBe(PLAIN); // includes a dot-stuffed line
    expect((await rawOf(upstream, got!.id)).equals(await rawOf(sink, ids[2]!))).toBe(true);
  });

  it('a bounce (MAIL FROM:<>) is released with the null sender', async () => {
    await smtpDialogue(sink.smtpPort, [{ send: 'EHLO bouncer.test\r\n' }, { send: 'MAIL FROM:<>\r\n' }, { send: 'RCPT TO:<app@example.org>\r\n' }, { send: 'DATA\r\n' }, { send: 'Subject: Undeliverable\r\n\r\nbounce\r\n.\r\n' }, { send: 'QUIT\r\n' }]);
    const [bounce] = ((await (await fetch(`${sink.httpUrl}/api/v2/search?kind=containing&query=undeliverable`)).json()) as { items: { ID: string; Raw: { From: string } }[] }).items;
    expect(bounce!.Raw.From).toBe('');
    const res = await post(bounce!.ID, { Host: '127.0.0.1', Port: String(upstream.smtpPort), Email: 'postmaster@example.net' });
    expect(res.status).toBe(200);
    const [got] = await upstreamMessages();
    expect(got!.envelope).toMatchObject({ mailFrom: '', rcptTo: ['postmaster@example.net'] });
    expect((await rawOf(upstream, got!.id)).toString()).toBe('Subject: Undeliverable\r\n\r\nbounce\r\n');
  });

  it('AUTH PLAIN and CRAM-MD5 (MailHog spells it CRAMMD5) reach the upstream as the given user', async () => {
    for (const [mechanism, user] of [['PLAIN', 'plain-user'], ['CRAMMD5', 'cram-user']] as const) {
      const res = (await client().releaseMessage(ids[1]!, { host: '127.0.0.1', port: String(upstream.smtpPort), email: `${user}@example.net`, username: user, password: 'pw', mechanism })) as IncomingMessage;
      expect(res.statusCode).toBe(200);
      const [got] = await upstreamMessages();
      expect(got!.envelope).toMatchObject({ rcptTo: [`${user}@example.net`], authUser: user });
      expect((await rawOf(upstream, got!.id)).toString('latin1')).toBe(MIXED);
    }
  });

  it('MailHog field names in any case, Port as a number, with Content-Type: application/json', async () => {
    const res = await post(ids[0]!, { Host: '127.0.0.1', Port: upstream.smtpPort, Email: 'json@example.net' }, { 'content-type': 'application/json' });
    expect([res.status, await res.text()]).toEqual([200, '']);
    expect((await upstreamMessages())[0]!.envelope.rcptTo).toEqual(['json@example.net']);
  });

  it('Save keeps a server under its Name; a later release by Name uses it; /api/v2/outgoing-smtp lists it without the password', async () => {
    const saved = await post(ids[0]!, { Name: 'up', Save: true, Host: '127.0.0.1', Port: String(upstream.smtpPort), Email: 'first@example.net', Username: 'u', Password: 'secret', Mechanism: 'PLAIN' });
    expect(saved.status).toBe(200);
    const byName = await post(ids[0]!, { name: 'up', email: 'second@example.net' });
    expect(byName.status).toBe(200);
    expect((await upstreamMessages()).slice(0, 2).map((m) => [m.envelope.rcptTo[0], m.envelope.authUser])).toEqual([
      ['second@example.net', 'u'],
      ['first@example.net', 'u'],
    ]);
    expect(await (await fetch(`${sink.httpUrl}/api/v2/outgoing-smtp`)).json()).toEqual({
      up: { Name: 'up', Save: true, Email: 'first@example.net', Host: '127.0.0.1', Port: String(upstream.smtpPort), Username: 'u', Password: '', Mechanism: 'PLAIN' },
    });
    const again = await post(ids[0]!, { Name: 'up', Save: true, Host: '127.0.0.1', Port: String(upstream.smtpPort), Email: 'x@example.net' });
    expect([again.status, ((await again.json()) as { error: { field: string } }).error.field]).toEqual([400, 'Name']);
  });

  it('a target not listed (another port, or the same server by another name) is 403 naming --release-allow; nothing is sent', async () => {
    const before = (await upstreamMessages()).length;
    for (const host of [{ host: '127.0.0.1', port: String(other.smtpPort) }, { host: 'localhost', port: String(upstream.smtpPort) }]) {
      const body = (await client().releaseMessage(ids[2]!, { ...host, email: 'x@example.net' })) as unknown as { error: { code: string; message: string; field: string } };
      expect(body.error).toEqual({ code: 'release_not_allowed', field: 'Host', message: `${host.host}:${host.port} is not listed by --release-allow (allowed: 127.0.0.1:${upstream.smtpPort})` });
    }
    expect((await upstreamMessages()).length).toBe(before);
    expect(await storedCount(other)).toBe(0);
  });

  it('bad bodies are 400s naming the field; an unknown id is a 404', async () => {
    const error = async (res: Response) => [res.status, ((await res.json()) as { error: { field: string } }).error.field];
    expect(await error(await post(ids[0]!, 'not json'))).toEqual([400, 'body']);
    expect(await error(await post(ids[0]!, { Host: '127.0.0.1', Port: String(upstream.smtpPort) }))).toEqual([400, 'Email']);
    expect(await error(await post(ids[0]!, { Port: '25', Email: 'a@example.net' }))).toEqual([400, 'Host']);
    expect(await error(await post(ids[0]!, { Host: '127.0.0.1', Port: 'smtp', Email: 'a@example.net' }))).toEqual([400, 'Host']);
    expect(await error(await post(ids[0]!, { Host: '127.0.0.1', Port: String(upstream.smtpPort), Email: 'a@example.net', Username: 'u', Mechanism: 'LOGIN' }))).toEqual([400, 'Mechanism']);
    expect(await error(await post(ids[0]!, { Name: 'unknown', Email: 'a@example.net' }))).toEqual([400, 'Name']);
    expect(await error(await post('nope', { Host: '127.0.0.1', Port: String(upstream.smtpPort), Email: 'a@example.net' }))).toEqual([404, 'id']);
  });

  it('an upstream refusal is a 500 release_failed with its reply code', async () => {
    const res = await post(ids[0]!, { Host: '127.0.0.1', Port: String(upstream.smtpPort), Email: 'refused@example.net' });
    expect(res.status).toBe(500);
    const { error } = (await res.json()) as { error: { code: string; message: string; details: { responseCode: number } } };
    expect(error.code).toBe('release_failed');
    expect(error.details).toEqual({ responseCode: 550 });
    expect(error.message).toContain('No such user');
  });
});

describe('release without --release-allow', () => {
  let upstream: Sink;
  let sink: Sink;
  beforeAll(async () => {
    upstream = await startTestSink();
    sink = await startTestSink();
  });
  afterAll(async () => {
    await Promise.all([sink?.stop(), upstream?.stop()]);
  });

  it('is refused with 403 release_disabled naming the option, and connects nowhere', async () => {
    const [id] = await sendFixtures(sink);
    const client = mailhog({ host: '127.0.0.1', port: sink.httpPort });
    const body = await client.releaseMessage(id!, { host: '127.0.0.1', port: String(upstream.smtpPort), email: 'target@example.net' });
    expect(body).toEqual({ error: { code: 'release_disabled', field: 'Host', message: 'release is off: start mailsink with --release-allow HOST:PORT (repeatable) to let releases reach that SMTP server' } });
    const res = await fetch(`${sink.httpUrl}/api/v1/messages/${id}/release`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(403);
    expect(await storedCount(upstream)).toBe(0);
  });
});
