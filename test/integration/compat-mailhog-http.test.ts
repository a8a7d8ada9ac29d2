/**
 * MailHog's routes over raw HTTP: the calls and fields cypress-mailhog reads (`/api/v2/messages`,
 * `/api/v2/search`, `DELETE /api/v1/messages`, `Content.Headers.Subject[0]`, `To[].Mailbox@Domain`,
 * `Raw.From`, `MIME.Parts[].Headers["Content-Disposition"][0]`), then `GET /api/v1/messages`,
 * one message (with MailHog's `@host` id suffix), `/download`, `/mime/part/:n/download`, paging
 * defaults and cap, bad input, and basic auth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import mailhog from 'mailhog';
import { CSV, PLAIN, sendFixtures } from '../helpers/mailhog-fixtures.js';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

type Item = { ID: string; To: { Mailbox: string; Domain: string }[]; Raw: { From: string }; Content: { Headers: Record<string, string[]>; Body: string }; MIME: { Parts: { Headers: Record<string, string[]> }[] } | null };

/** cypress-mailhog's `mhGetAttachments`: names from `Content-Disposition` tokens of the top-level parts. */
function attachmentNames(mail: Item): string[] {
  const names: string[] = [];
  for (const part of mail.MIME?.Parts ?? []) {
    const disposition = part.Headers['Content-Disposition']?.[0];
    if (!disposition) continue;
    const tokens = disposition.split(';').map((token) => token.trim());
    if (tokens.includes('attachment')) names.push(tokens.find((token) => token.startsWith('filename='))!.replace('filename=', ''));
  }
  return names;
}

describe('the shapes cypress-mailhog reads', () => {
  const sink = useSink();
  let ids: string[] = [];
  beforeAll(async () => {
    ids = await sendFixtures(sink());
  });

  it('GET /api/v2/messages?limit=50: text/json; subject, recipients, sender, body and attachments as the plugin filters them', async () => {
    const res = await fetch(`${sink().httpUrl}/api/v2/messages?limit=50`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/json');
    const items = (JSON.parse(await res.text()) as { items: Item[] }).items;
    expect(items.filter((mail) => mail.Content.Headers['Subject']![0] === 'Weekly news').map((m) => m.ID)).toEqual([ids[2]]);
    expect(items.filter((mail) => mail.To.map((to) => `${to.Mailbox}@${to.Domain}`).includes('hidden@example.org')).map((m) => m.ID)).toEqual([ids[1]]);
    expect(items.filter((mail) => mail.Raw.From === 'bounce@sender.example').map((m) => m.ID)).toEqual([ids[2]]);
    expect(items[0]!.Content.Body).toBe('Plain body line\r\n.dot line');
    expect(items.map(attachmentNames)).toEqual([[], ['"report.csv"'], []]);
  });

  it('GET /api/v2/search?kind=…&query=…&limit=50: application/json, the items the plugin yields', async () => {
    const res = await fetch(`${sink().httpUrl}/api/v2/search?kind=to&query=${encodeURIComponent('dave@example.org')}&limit=50`);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { total: number; count: number; start: number; items: Item[] };
    expect({ total: body.total, count: body.count, start: body.start, ids: body.items.map((m) => m.ID) }).toEqual({ total: 1, count: 1, start: 0, ids: [ids[1]] });
  });

  it('GET /api/v1/messages: a JSON array, newest first', async () => {
    // fetch sends Accept and User-Agent, so on this shared route it would be answered as Mailpit; the header says MailHog
    const res = await fetch(`${sink().httpUrl}/api/v1/messages`, { headers: { 'x-mailsink-dialect': 'mailhog' } });
    expect(res.headers.get('content-type')).toBe('text/json');
    expect(((await res.json()) as Item[]).map((m) => m.ID)).toEqual([ids[2], ids[1], ids[0]]);
  });

  it('GET /api/v1/messages/:id, also with the @host suffix of MailHog ids; unknown → 404 JSON', async () => {
    for (const id of [ids[1]!, `${ids[1]}@mailhog.example`]) {
      const res = await fetch(`${sink().httpUrl}/api/v1/messages/${encodeURIComponent(id)}`);
      expect(res.headers.get('content-type')).toBe('text/json');
      const mail = (await res.json()) as Item;
      expect([mail.ID, mail.Content.Headers['Subject']]).toEqual([ids[1], ['Report attached']]);
    }
    const missing = await fetch(`${sink().httpUrl}/api/v1/messages/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no message with id "nope"', field: 'id' } });
  });

  it('/download: the exact bytes received as <id>.eml', async () => {
    const res = await fetch(`${sink().httpUrl}/api/v1/messages/${ids[2]}/download`);
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${ids[2]}.eml"`);
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toBe(PLAIN);
  });

  it('/mime/part/:n/download: base64 decoded, other encodings as stored, counted from 0 like MailHog', async () => {
    const part = (n: number | string) => fetch(`${sink().httpUrl}/api/v1/messages/${ids[1]}/mime/part/${n}/download`);
    const csv = await part(2);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename=report.csv');
    expect(csv.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await csv.arrayBuffer())).toEqual(Buffer.from(CSV));
    const text = await part(1);
    expect([text.headers.get('content-type'), await text.text()]).toEqual(['text/plain', 'Gr=FC=DFe']);
    const preamble = await part(0);
    expect([preamble.headers.get('content-type'), preamble.headers.get('content-disposition'), await preamble.text()]).toEqual(['application/octet-stream', `attachment; filename=${ids[1]}-part-0.bin`, 'preamble text']);
    for (const n of [4, 'x']) {
      const res = await part(n);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe('n');
    }
    const notMultipart = await fetch(`${sink().httpUrl}/api/v1/messages/${ids[2]}/mime/part/0/download`);
    expect(notMultipart.status).toBe(404);
  });

  it('bad search input is a 400 naming the field', async () => {
    const bad = async (qs: string) => {
      const res = await fetch(`${sink().httpUrl}/api/v2/search?${qs}`);
      return [res.status, ((await res.json()) as { error: { field: string } }).error.field];
    };
    expect(await bad('kind=subject&query=x')).toEqual([400, 'kind']);
    expect(await bad('kind=from')).toEqual([400, 'query']);
  });

  it('DELETE /api/v1/messages/:id and DELETE /api/v1/messages: 200 with an empty body', async () => {
    const one = await fetch(`${sink().httpUrl}/api/v1/messages/${ids[0]}`, { method: 'DELETE' });
    expect([one.status, await one.text()]).toEqual([200, '']);
    expect(((await (await fetch(`${sink().httpUrl}/api/v2/messages`)).json()) as { total: number }).total).toBe(2);
    const all = await fetch(`${sink().httpUrl}/api/v1/messages`, { method: 'DELETE', headers: { 'x-mailsink-dialect': 'mailhog' } });
    expect([all.status, all.headers.get('content-type'), await all.text()]).toEqual([200, 'text/json', '']);
    expect(await (await fetch(`${sink().httpUrl}/api/v2/messages`)).json()).toEqual({ total: 0, count: 0, start: 0, items: [] });
  });
});

describe('paging defaults and cap', () => {
  const sink = useSink();
  beforeAll(async () => {
    const smtp = transport(sink(), { pool: true, maxConnections: 1, maxMessages: Infinity });
    try {
      for (let i = 0; i < 260; i += 1) {
        await smtp.sendMail({ envelope: { from: 'a@example.com', to: ['b@example.com'] }, raw: `From: a@example.com\r\nTo: b@example.com\r\nSubject: n${i}\r\n\r\nbody\r\n` });
      }
    } finally {
      smtp.close();
    }
  });

  it('limit defaults to 50 and is capped at 250; start and limit that are not positive integers fall back', async () => {
    const page = async (qs: string) => {
      const body = (await (await fetch(`${sink().httpUrl}/api/v2/messages${qs}`)).json()) as { total: number; count: number; start: number };
      return [body.total, body.count, body.start];
    };
    expect(await page('')).toEqual([260, 50, 0]);
    expect(await page('?limit=1000')).toEqual([260, 250, 0]);
    expect(await page('?start=250&limit=250')).toEqual([260, 10, 250]);
    expect(await page('?start=-3&limit=abc')).toEqual([260, 50, 0]);
    const search = (await (await fetch(`${sink().httpUrl}/api/v2/search?kind=containing&query=body&limit=999`)).json()) as { total: number; count: number };
    expect([search.total, search.count]).toEqual([260, 250]);
  });
});

describe('behind --ui-auth-file', () => {
  const write = useTmpFiles();
  const sink = useSink({ uiAuthFile: write('users', 'qa:s3cret\n') });

  it('the MailHog routes need the credentials; the mailhog client passes them with its auth option', async () => {
    expect((await fetch(`${sink().httpUrl}/api/v2/messages`)).status).toBe(401);
    expect((await fetch(`${sink().httpUrl}/api/v1/messages`, { method: 'DELETE' })).status).toBe(401);
    const client = mailhog({ host: '127.0.0.1', port: sink().httpPort, auth: 'qa:s3cret' });
    expect(await client.messages()).toEqual({ total: 0, count: 0, start: 0, items: [] });
  });
});
