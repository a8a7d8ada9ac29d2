/**
 * Raw HTTP against the Mailpit dialect: the requests the `cypress-mailpit` plugin makes with
 * `cy.request` (browser-like `Accept` and `User-Agent`, JSON bodies) and the shapes it reads; the
 * routes MailHog shares (`GET`/`DELETE /api/v1/messages`), answered per client; and Mailpit's
 * plain-text errors.
 */
import http from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSink } from '../helpers/sink.js';

const sink = useSink();

/** Headers `cy.request` sends (Cypress's Node-side request library, browser user agent). */
const CYPRESS = { accept: '*/*', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Cypress/13.6.0 Chrome/118.0 Electron/27.0.0 Safari/537.36' };

interface Reply {
  status: number;
  type: string;
  body: string;
}

/** One request over node:http with exactly these headers (node adds only Host and Connection). */
function request(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${sink().httpUrl}${path}`, { method, headers: data ? { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) } : headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const cy = (method: string, path: string, body?: unknown) => request(method, path, CYPRESS, body);
const json = <T>(reply: Reply) => JSON.parse(reply.body) as T;

async function cySend(subject: string, to = 'jane@example.com'): Promise<string> {
  // cypress-mailpit's mailpitSendMail body, with its defaults
  const reply = await cy('POST', '/api/v1/send', {
    Attachments: [], Bcc: ['bcc@example.com'], Cc: [{ Email: 'cc@example.com', Name: 'CC' }], From: { Email: 'from@example.com', Name: 'From' },
    HTML: '<p>hello from mailpit</p>', Headers: {}, ReplyTo: [{ Email: 'replyto@example.com', Name: 'ReplyTo' }], Subject: subject, Tags: [],
    Text: 'hello from mailpit', To: [{ Email: to, Name: 'Jane' }],
  });
  expect([reply.status, reply.type]).toEqual([200, 'application/json; charset=utf-8']);
  return json<{ ID: string }>(reply).ID;
}

beforeEach(async () => {
  expect((await cy('DELETE', '/api/v1/messages')).body).toBe('ok');
});

describe('cypress-mailpit requests', () => {
  it('sends, lists, searches and reads the shapes the plugin reads', async () => {
    const first = await cySend('Hello Mailpit');
    const second = await cySend('Second one', 'john@example.com');
    const all = json<{ messages_count: number; messages: { ID: string; Subject: string }[] }>(await cy('GET', '/api/v1/messages?start=0&limit=50'));
    expect([all.messages_count, all.messages.map((m) => m.ID)]).toEqual([2, [second, first]]);
    const bySubject = json<{ messages_count: number; messages: { ID: string }[] }>(await cy('GET', `/api/v1/search?query=${encodeURIComponent('subject:Hello Mailpit')}&start=0&limit=50`));
    expect([bySubject.messages_count, bySubject.messages.map((m) => m.ID)]).toEqual([1, [first]]);
    const byTo = json<{ messages_count: number }>(await cy('GET', `/api/v1/search?query=${encodeURIComponent('to:john@example.com')}&start=0&limit=50`));
    expect(byTo.messages_count).toBe(1);

    const mail = json<{ ID: string; Subject: string; From: { Address: string }; To: { Address: string }[]; Attachments: unknown[] }>(await cy('GET', `/api/v1/message/${first}`));
    expect([mail.Subject, mail.From.Address, mail.To.map((r) => r.Address), mail.Attachments]).toEqual(['Hello Mailpit', 'from@example.com', ['jane@example.com'], []]);
    const html = await cy('GET', `/view/${first}.html`);
    expect([html.status, html.type, html.body]).toEqual([200, 'text/html; charset=utf-8', '<p>hello from mailpit</p>']);
    const text = await cy('GET', `/view/${first}.txt`);
    expect([text.status, text.type, text.body]).toEqual([200, 'text/plain; charset=utf-8', 'hello from mailpit']);

    expect((await cy('PUT', '/api/v1/messages', { IDs: [first, second], Read: false })).body).toBe('ok');
    expect(json<{ unread: number }>(await cy('GET', '/api/v1/messages?start=0&limit=50')).unread).toBe(2);
    expect((await cy('PUT', '/api/v1/messages', { IDs: [], Read: true })).body).toBe('ok');
    expect(json<{ unread: number }>(await cy('GET', '/api/v1/messages?start=0&limit=50')).unread).toBe(0);

    const deleted = await cy('DELETE', `/api/v1/search?query=${encodeURIComponent('subject:Second')}`);
    expect([deleted.status, deleted.type, deleted.body]).toEqual([200, 'text/plain; charset=utf-8', 'ok']);
    expect(json<{ messages: { ID: string }[] }>(await cy('GET', '/api/v1/messages?start=0&limit=50')).messages.map((m) => m.ID)).toEqual([first]);
  });

  it('answers errors in plain text, as Mailpit does', async () => {
    expect(await cy('GET', '/api/v1/search?query=')).toEqual({ status: 400, type: 'text/plain; charset=utf-8', body: 'Error: no search query' });
    expect(await cy('GET', '/api/v1/message/no-such-id')).toEqual({ status: 404, type: 'text/plain; charset=utf-8', body: '404 page not found' });
    expect((await cy('GET', '/view/no-such-id.html')).body).toBe('Message not found');
    const textOnly = json<{ ID: string }>(await cy('POST', '/api/v1/send', { From: { Email: 'from@example.com' }, To: [{ Email: 'to@example.com' }], Text: 'plain only' })).ID;
    expect(await cy('GET', `/view/${textOnly}.html`)).toEqual({ status: 404, type: 'text/plain; charset=utf-8', body: 'This message does not contain a HTML part' });
    const bad = await cy('POST', '/api/v1/send', { From: { Email: 'from@example.com' }, To: [{ Email: 'not-an-address' }] });
    expect([bad.status, json<{ Error: string }>(bad).Error]).toEqual([400, 'invalid To address: not-an-address']);
  });

  it('pages with Mailpit defaults: 50 a page, limit=0 lists all, start past the end is empty', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 52; i++) ids.push(await cySend(`Bulk ${i}`));
    const first = json<{ count: number; messages: { ID: string }[] }>(await cy('GET', '/api/v1/messages'));
    expect([first.count, first.messages[0]!.ID, first.messages[49]!.ID]).toEqual([50, ids[51], ids[2]]);
    expect(json<{ count: number }>(await cy('GET', '/api/v1/messages?limit=0')).count).toBe(52);
    expect(json<{ count: number; messages: unknown[] }>(await cy('GET', '/api/v1/messages?start=60&limit=5'))).toMatchObject({ count: 0, messages: [] });
    expect(json<{ count: number }>(await cy('GET', '/api/v1/messages?start=-4&limit=nonsense')).count).toBe(50);
  });
});

describe('routes shared with MailHog', () => {
  it('DELETE /api/v1/messages: the mailhog client (bare node:http) gets an empty 200, Mailpit clients get ok', async () => {
    await cySend('one');
    const mailhog = await request('DELETE', '/api/v1/messages'); // what the `mailhog` npm client sends
    expect([mailhog.status, mailhog.body]).toEqual([200, '']);
    expect(json<{ total: number }>(await cy('GET', '/api/v1/messages?start=0&limit=50')).total).toBe(0);
    await cySend('two');
    const mailpit = await fetch(`${sink().httpUrl}/api/v1/messages`, { method: 'DELETE' }); // mailpit-api's deleteMessages()
    expect([mailpit.status, await mailpit.text()]).toEqual([200, 'ok']);
    expect(json<{ total: number }>(await cy('GET', '/api/v1/messages?start=0&limit=50')).total).toBe(0);
  });

  it('GET /api/v1/messages: an array for MailHog clients, MessagesSummary for Mailpit ones, ?dialect= to choose', async () => {
    const id = await cySend('listed');
    const mailhog = json<{ ID: string }[]>(await request('GET', '/api/v1/messages'));
    expect(Array.isArray(mailhog) && mailhog.map((m) => m.ID)).toEqual([id]);
    expect(json<{ messages_count: number }>(await request('GET', '/api/v1/messages?start=0&limit=50')).messages_count).toBe(1);
    expect(json<{ messages_count: number }>(await cy('GET', '/api/v1/messages')).messages_count).toBe(1);
    expect(Array.isArray(json(await cy('GET', '/api/v1/messages?dialect=mailhog')))).toBe(true);
    expect(json<{ total: number }>(await request('GET', '/api/v1/messages', { 'x-mailsink-dialect': 'mailpit' })).total).toBe(1);
  });
});
