/**
 * The search grammar (server/core/query.ts) over a fixed set of five parsed messages: a table of
 * queries and the exact messages each returns, including RFC 2047 encoded-word subjects and a
 * Bcc-only recipient, and a table of malformed queries with the token each error names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../server/contract.js';
import { factsOf, parseMessage } from '../../server/core/parse.js';
import { bodySearchText, compileQuery, parseQuery, QueryError } from '../../server/core/query.js';
import type { StoredMessage } from '../../server/core/store.js';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');

const FIXTURES = {
  m1: {
    receivedAt: '2024-05-01T10:00:00.000Z',
    read: false,
    envelope: { mailFrom: 'alice@example.com', rcptTo: ['bob@example.org'], authUser: 'shop' },
    raw: crlf(['From: Alice Example <alice@example.com>', 'To: bob@example.org', 'Subject: =?UTF-8?Q?Caf=C3=A9_order_confirmed?=', '', 'Your order 123456 is confirmed.']),
  },
  m2: {
    receivedAt: '2024-05-02T12:00:00.000Z',
    read: true,
    envelope: { mailFrom: 'bob@example.org', rcptTo: ['carol@example.net', 'dave@example.net', 'eve@example.com'], authUser: null },
    raw: crlf([
      'From: Bob <bob@example.org>', 'To: Carol <carol@example.net>', 'Cc: dave@example.net', 'Subject: =?ISO-8859-1?Q?R=E9sum=E9?= attached',
      'Message-ID: <resume-42@example.org>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b2"', '',
      '--b2', 'Content-Type: text/plain', '', 'See the attachment.', '--b2', 'Content-Type: application/pdf; name="resume.pdf"',
      'Content-Disposition: attachment; filename="resume.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK', '--b2--',
    ]),
  },
  m3: {
    receivedAt: '2024-05-03T00:00:00.000Z',
    read: false,
    envelope: { mailFrom: 'noreply@app.example', rcptTo: ['Alice+Signup@Example.com'], authUser: null },
    raw: crlf([
      'From: App <noreply@app.example>', 'To: Alice+Signup@Example.com', 'Subject: Confirm your sign-up', 'MIME-Version: 1.0',
      'Content-Type: multipart/related; boundary="r3"', '', '--r3', 'Content-Type: multipart/alternative; boundary="a3"', '',
      '--a3', 'Content-Type: text/plain', '', 'Confirm: https://app.example/confirm?t=abc', '--a3', 'Content-Type: text/html', '',
      '<p><a href="https://app.example/confirm?t=abc">Confirm</a><img src="cid:logo@app"></p>', '--a3--', '--r3',
      'Content-Type: image/png', 'Content-ID: <logo@app>', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgo=', '--r3--',
    ]),
  },
  m4: {
    receivedAt: '2024-06-01T00:00:00.000Z',
    read: false,
    envelope: { mailFrom: 'reports@example.com', rcptTo: ['alice@example.com', 'alice+reports@example.com'], authUser: 'Reporter' },
    raw: crlf(['From: reports@example.com', 'To: alice@example.com', 'Subject: Monthly report', '', 'x'.repeat(12_000)]),
  },
  m5: {
    receivedAt: '2024-06-02T00:00:00.000Z',
    read: false,
    envelope: { mailFrom: 'frank@example.com', rcptTo: ['grace@example.org'], authUser: null },
    raw: crlf(['From: Frank <frank@example.com>', 'To: undisclosed-recipients:;', 'Subject: =?UTF-8?B?5pel5pys6Kqe?= notes', '', 'Meet at the café.']),
  },
} as const;

type Label = keyof typeof FIXTURES;
const messages: StoredMessage[] = [];
/** Body search text by message id, as `MessageParsing.bodyText` gives it. */
const bodies = new Map<string, string>();

beforeAll(async () => {
  let seq = 0;
  for (const [id, f] of Object.entries(FIXTURES)) {
    const result = await parseMessage(f.raw);
    bodies.set(id, bodySearchText(result));
    const envelope: Envelope = { ...f.envelope, rcptTo: [...f.envelope.rcptTo], mailParams: {}, heloName: 'test', remoteAddress: '127.0.0.1', remotePort: 1, secure: false };
    messages.push({ id, seq: ++seq, receivedAt: f.receivedAt, envelope, raw: f.raw, sizeBytes: f.raw.length, facts: factsOf(result), read: f.read, tags: [] });
  }
});

function run(query: string): Label[] {
  const compiled = compileQuery(query);
  return messages.filter((m) => compiled.test(m, bodies.get(m.id)) === true).map((m) => m.id as Label);
}

describe('query grammar', () => {
  it('decodes the fixtures as the table assumes', () => {
    expect(messages.map((m) => m.facts?.subject)).toEqual(['Café order confirmed', 'Résumé attached', 'Confirm your sign-up', 'Monthly report', '日本語 notes']);
    expect(messages.map((m) => m.facts?.parseError)).toEqual([null, null, null, null, null]);
  });

  it.each<[string, Label[]]>([
    ['', ['m1', 'm2', 'm3', 'm4', 'm5']],
    ['café', ['m1', 'm5']],
    ['CAFÉ', ['m1', 'm5']],
    ['"order confirmed"', ['m1']],
    ['order confirmed', ['m1']],
    ['résumé', ['m2']],
    ['resume.pdf', ['m2']],
    ['subject:日本語', ['m5']],
    ['subject:"sign-up"', ['m3']],
    ['subject:RÉSUMÉ', ['m2']],
    ['https://app.example/confirm?t=abc', ['m3']],
    ['from:alice', ['m1']],
    ['from:"Alice Example"', ['m1']],
    ['from:reports@example.com', ['m4']],
    ['to:carol', ['m2']],
    ['to:alice', ['m3', 'm4']],
    ['to:grace', []],
    ['cc:dave', ['m2']],
    ['bcc:eve', ['m2']],
    ['bcc:grace@example.org', ['m5']],
    ['addressed:frank', ['m5']],
    ['rcpt:grace@example.org', ['m5']],
    ['rcpt:example.net', ['m2']],
    ['mailbox:alice@example.com', ['m3', 'm4']],
    ['mailbox:ALICE+signup@example.com', ['m3']],
    ['mailbox:alice+reports@example.com', ['m4']],
    ['mailbox:alice', []],
    ['mailbox:eve@example.com', ['m2']],
    ['tag:signup', ['m3']],
    ['user:shop', ['m1']],
    ['user:reporter', ['m4']],
    ['message-id:resume-42', ['m2']],
    ['message-id:<resume-42@example.org>', ['m2']],
    ['is:read', ['m2']],
    ['is:unread', ['m1', 'm3', 'm4', 'm5']],
    ['-is:read', ['m1', 'm3', 'm4', 'm5']],
    ['!is:read', ['m1', 'm3', 'm4', 'm5']],
    ['has:attachment', ['m2']],
    ['has:attachments', ['m2']],
    ['has:inline', ['m3']],
    ['-has:attachment', ['m1', 'm3', 'm4', 'm5']],
    ['larger:10K', ['m4']],
    ['smaller:10k', ['m1', 'm2', 'm3', 'm5']],
    ['larger:0.01MB smaller:1M', ['m4']],
    ['after:2024-05-02', ['m2', 'm3', 'm4', 'm5']],
    ['before:2024-05-02', ['m1']],
    ['after:2024-05-02T12:00:00Z', ['m2', 'm3', 'm4', 'm5']],
    ['before:2024-05-03T02:00+02:00', ['m1', 'm2']],
    ['after:2024-05-01 before:2024-06-01', ['m1', 'm2', 'm3']],
    ['-from:alice -bcc:eve', ['m3', 'm4', 'm5']],
    ['from:bob to:carol is:read has:attachment', ['m2']],
    ['-"order confirmed" café', ['m5']],
    ['FROM:Alice SUBJECT:café', ['m1']],
  ])('%j → %j', (query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['is:maybe', 'is:maybe'],
    ['has:pdf', 'has:pdf'],
    ['subject:"unterminated', 'subject:"unterminated'],
    ['subject:a"b', 'subject:a"b'],
    ['from:"x"y', 'from:"x"y'],
    ['larger:ten', 'larger:ten'],
    ['smaller:5T', 'smaller:5T'],
    ['after:2024-02-30', 'after:2024-02-30'],
    ['before:yesterday', 'before:yesterday'],
    ['form:alice', 'form:alice'],
    ['re: hello', 're:'],
    ['from:', 'from:'],
    ['to:alice -', '-'],
    ['""', '""'],
  ])('%j is malformed, naming %j', (query, token) => {
    const error = (() => {
      try {
        compileQuery(query);
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).token).toBe(token);
    expect((error as QueryError).message).toContain(token);
  });

  it('tokenizes quotes, escapes, negation and keys', () => {
    expect(parseQuery(' -subject:"a \\"b\\" c"  Word !is:read ')).toEqual([
      { token: '-subject:"a \\"b\\" c"', negate: true, key: 'subject', value: 'a "b" c' },
      { token: 'Word', negate: false, key: null, value: 'Word' },
      { token: '!is:read', negate: true, key: 'is', value: 'read' },
    ]);
    expect(parseQuery('co-op 10:30 user@host:25')).toEqual([
      { token: 'co-op', negate: false, key: null, value: 'co-op' },
      { token: '10:30', negate: false, key: null, value: '10:30' },
      { token: 'user@host:25', negate: false, key: null, value: 'user@host:25' },
    ]);
  });
});
