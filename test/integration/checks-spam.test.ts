/**
 * The spam check against a real spamd (Debian's `spamd`, started by this file, offline, the rules
 * shipped with the package): GTUBE scores as spam with its rule and description, a plain message
 * does not (a rule description continued over two report lines comes back whole), a message over
 * 500 KB is not sent; 409 without `--spamassassin`; 502 when spamd is not listening; Mailpit's
 * `sa-check` through the unchanged `mailpit-api` client. Without spamd installed this file fails
 * (it never skips), naming `node scripts/check-test-deps.js`.
 */
import { MailpitClient } from 'mailpit-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spamCheckSchema } from '../../server/http/checks-schemas/spam.js';
import type { Sink } from '../../server/sink.js';
import { api, startTestSink, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';
import { freePort, useSpamdSink } from '../helpers/spamd.js';

const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';

/** A message with a current Date (no date rules) and a fixed, ordinary Message-ID. */
function mail(from: string, subject: string, body: string): Buffer {
  const head = [`From: ${from}`, 'To: bob@example.test', `Subject: ${subject}`, `Date: ${new Date().toUTCString()}`, `Message-ID: <20261204.${subject.length}.7731@mail.example.test>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8'];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}\r\n`);
}

async function store(sink: Sink, raw: Buffer): Promise<string> {
  return String((await sendRaw(sink, { from: 'ann@example.test', to: ['bob@example.test'] }, raw)).response).split(' ').pop()!;
}

const GTUBE_RULES = [
  { name: 'GTUBE', score: 1000, description: 'BODY: Generic Test for Unsolicited Bulk Email' },
  { name: 'NO_RECEIVED', score: 0, description: 'Informational: message has no Received headers' },
  { name: 'NO_RELAYS', score: 0, description: 'Informational: message was not relayed via SMTP' },
  { name: 'TVD_SPACE_RATIO', score: 0, description: 'No description available.' },
];

describe('with a running spamd', () => {
  const started = useSpamdSink();

  it('scores GTUBE as spam, with the GTUBE rule and its description', async () => {
    const { spamd, sink } = await started();
    const id = await store(sink, mail('Ann <ann@example.test>', 'Offer', `Hello,\r\n\r\n${GTUBE}\r\n`));
    const body = await api(sink, `/api/messages/${id}/checks/spam`);
    expect(spamCheckSchema.parse(body)).toEqual(body);
    expect(body).toEqual({ spamd: spamd.address, score: 1000, threshold: 5, isSpam: true, rules: GTUBE_RULES, sizeBytes: expect.any(Number), maxSizeBytes: 512000, tooBig: false });
    expect(await new MailpitClient(sink.httpUrl).spamAssassinCheck(id)).toEqual({
      IsSpam: true, Error: '', Score: 1000, Rules: GTUBE_RULES.map(({ name, score, description }) => ({ Score: score, Name: name, Description: description })),
    });
  });

  it('does not score a plain message as spam; a description continued on a second line comes back whole', async () => {
    const { spamd, sink } = await started();
    const id = await store(sink, mail('Ann <ann.example@gmail.com>', 'Lunch on Friday', 'Hi Bob,\r\n\r\nshall we meet for lunch on Friday at noon? The usual place.\r\n\r\nAnn'));
    expect(await api(sink, `/api/messages/${id}/checks/spam`)).toEqual({
      spamd: spamd.address, score: 1, threshold: 5, isSpam: false, sizeBytes: expect.any(Number), maxSizeBytes: 512000, tooBig: false,
      rules: [
        { name: 'FORGED_GMAIL_RCVD', score: 1, description: "'From' gmail.com does not match 'Received' headers" },
        { name: 'FREEMAIL_FROM', score: 0, description: 'Sender email is commonly abused enduser mail provider [ann.example(at)gmail.com]' },
        { name: 'NO_RECEIVED', score: 0, description: 'Informational: message has no Received headers' },
        { name: 'NO_RELAYS', score: 0, description: 'Informational: message was not relayed via SMTP' },
      ],
    });
    expect(await new MailpitClient(sink.httpUrl).spamAssassinCheck('latest')).toMatchObject({ IsSpam: false, Error: '', Score: 1 });
  });

  it('does not send a message over 500 KB, as spamc does', async () => {
    const { spamd, sink } = await started();
    const raw = mail('Ann <ann@example.test>', 'Big', `${GTUBE}\r\n${'x'.repeat(76)}\r\n`.repeat(7000));
    const id = await store(sink, raw);
    expect(await api(sink, `/api/messages/${id}/checks/spam`)).toEqual({ spamd: spamd.address, score: 0, threshold: 0, isSpam: false, rules: [], sizeBytes: raw.length, maxSizeBytes: 512000, tooBig: true });
  });
});

describe('without --spamassassin', () => {
  const sink = useSink();

  it('answers 409 naming the option; Mailpit has no sa-check then (404)', async () => {
    const id = await store(sink(), mail('Ann <ann@example.test>', 'Hi', 'x'));
    const res = await fetch(`${sink().httpUrl}/api/messages/${id}/checks/spam`);
    expect([res.status, await res.json()]).toEqual([409, { error: { code: 'check_unavailable', message: 'no SpamAssassin configured: start mailsink with --spamassassin HOST:PORT (a spamd)' } }]);
    await expect(new MailpitClient(sink().httpUrl).spamAssassinCheck(id)).rejects.toThrow(/404 Not Found at GET .*: 404 page not found$/);
  });
});

describe('with --spamassassin naming a port nobody listens on', () => {
  let sink: Sink;
  let address = '';
  beforeAll(async () => {
    address = `127.0.0.1:${await freePort()}`;
    sink = await startTestSink({ spamassassin: address });
  });
  afterAll(() => sink?.stop());

  it('answers 502 check_failed naming host:port; Mailpit answers 200 with the reason in Error', async () => {
    const id = await store(sink, mail('Ann <ann@example.test>', 'Hi', 'x'));
    const message = `spamd at ${address} refused the connection: is spamd running and listening there? (--spamassassin HOST:PORT)`;
    const res = await fetch(`${sink.httpUrl}/api/messages/${id}/checks/spam`);
    expect([res.status, await res.json()]).toEqual([502, { error: { code: 'check_failed', message } }]);
    expect(await new MailpitClient(sink.httpUrl).spamAssassinCheck(id)).toEqual({ IsSpam: false, Error: message, Score: 0, Rules: null });
  });
});
