/**
 * Three messages with known bytes for the MailHog dialect tests, sent over SMTP by nodemailer with
 * explicit envelopes: a multipart/alternative with encoded words, quoted-printable and base64; a
 * multipart/mixed with a preamble, folded fields, a latin-1 text part and a CSV attachment; and a
 * plain message whose envelope sender differs from its From field.
 */
import type { Sink } from '../../server/sink.js';
import { transport } from './smtp.js';

/** HELO name the fixtures are sent with. */
export const HELO = 'mh-client.test';
export const HTML = '<p>Grüße, <b>Bob</b>!</p>';
export const CSV = 'name;city\r\nJürgen;Köln\r\n';
/** CSV as base64 wrapped at 76 (RFC 2045 §6.8). */
export const CSV_B64 = Buffer.from(CSV).toString('base64').replace(/.{76}/g, '$&\r\n');

export const ALTERNATIVE = [
  'From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.com>',
  'To: Bob <bob@example.org>',
  'Cc: carol@example.net',
  'Reply-To: replies@example.com',
  'Subject: =?UTF-8?B?' + Buffer.from('Grüße aus Köln').toString('base64') + '?=',
  'Date: Tue, 01 Dec 2026 10:00:00 +0000',
  'Message-ID: <a1@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Gr=C3=BC=C3=9Fe, Bob! Code: 4711',
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from(HTML).toString('base64'),
  '--b1--',
  '',
].join('\r\n');

export const MIXED = [
  'From: sender@example.com',
  'To: dave@example.org',
  'Bcc: hidden@example.org',
  'Subject: Report',
  ' attached',
  'X-Long: one',
  '\ttwo',
  'Message-ID: <b2@example.com>',
  'Content-Type: multipart/mixed; boundary=mixed42',
  '',
  'preamble text',
  '--mixed42',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Gr=FC=DFe',
  '--mixed42',
  'Content-Type: text/csv; name="report.csv"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="report.csv"',
  '',
  CSV_B64,
  '--mixed42--',
  '',
].join('\r\n');

export const PLAIN = ['From: News <news@example.com>', 'To: erin@example.org', 'Subject: Weekly news', 'Message-ID: <c3@example.com>', '', 'Plain body line', '.dot line', ''].join('\r\n');

/** The fixtures in sending order, with their envelopes. */
export const FIXTURES = [
  { raw: ALTERNATIVE, from: 'juergen@example.com', to: ['bob@example.org', 'carol@example.net'] },
  { raw: MIXED, from: 'sender@example.com', to: ['dave@example.org', 'hidden@example.org'] },
  { raw: PLAIN, from: 'bounce@sender.example', to: ['erin@example.org', 'bcc-only@example.org'] },
] as const;

/** Sends the fixtures in order, each on its own connection, and returns the stored ids in that order. */
export async function sendFixtures(sink: Sink): Promise<string[]> {
  const ids: string[] = [];
  for (const { raw, from, to } of FIXTURES) {
    const t = transport(sink, { name: HELO });
    try {
      await t.sendMail({ envelope: { from, to: [...to] }, raw: Buffer.from(raw) });
    } finally {
      t.close();
    }
    const list = (await (await fetch(`${sink.httpUrl}/api/messages?limit=1`)).json()) as { messages: { id: string }[] };
    ids.push(list.messages[0]!.id);
  }
  return ids;
}
