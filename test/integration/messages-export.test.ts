/**
 * `GET /api/messages/export`: the stored messages as one mboxrd file (RFC 4155), oldest first, by
 * ids, by query or all: `From <sender> <asctime UTC>` separators (`MAILER-DAEMON` for the null
 * sender), CRLF → LF, `>From ` quoting, a blank line after each; read back by this test and by
 * Python's `mailbox` module; `/export` is not taken for a message id; 400 naming the field.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, MessageDetail, MessageSummary } from '../../server/contract.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';
import { openSmtp } from '../helpers/smtp-session.js';

const RAW_ONE = 'From: app@example.com\r\nTo: ann@example.org\r\nSubject: one\r\n\r\nFrom the start of a line\r\n>From already quoted\r\nnot From here\r\n\xe9t\xe9 in latin1\r\n';

/** `Fri Dec  4 13:20:05 2026` from an ISO time, derived from `toUTCString` (not the code under test). */
function asctime(iso: string): string {
  const [weekday, day, month, year, time] = new Date(iso).toUTCString().replace(',', '').split(' ') as [string, string, string, string, string];
  return `${weekday} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
}

/** Splits an mboxrd file into [separator line, unquoted content] pairs. */
function readMbox(text: string): [string, string][] {
  const entries = text.split(/^(?=From )/m).filter((entry) => entry !== '');
  return entries.map((entry) => {
    const newline = entry.indexOf('\n');
    const content = entry.slice(newline + 1);
    expect(content.endsWith('\n\n')).toBe(true);
    return [entry.slice(0, newline), content.slice(0, -1).replace(/^>(>*From )/gm, '$1')];
  });
}

describe('GET /api/messages/export', () => {
  const sink = useSink();
  const ids: string[] = [];
  const received: string[] = [];

  beforeAll(async () => {
    const info = await sendRaw(sink(), { from: 'app@example.com', to: ['ann@example.org'] }, Buffer.from(RAW_ONE, 'latin1'));
    ids.push(String(info.response).split(' ').pop()!);
    const session = await openSmtp(sink().smtpPort); // the null sender, as a bounce has it
    try {
      expect(await session.reply()).toMatch(/^220 /);
      for (const line of ['EHLO client.example', 'MAIL FROM:<>', 'RCPT TO:<ben@example.org>', 'DATA']) await session.command(line);
      const reply = await session.command('Subject: bounce\r\n\r\nreturned\r\n.');
      ids.push(reply!.split(' ').pop()!);
    } finally {
      await session.close();
    }
    const imported = await api<MessageSummary>(sink(), '/api/messages?mailFrom=imp@example.com&rcptTo=cy@example.org', { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: 'Subject: three\r\n\r\nno final line end' });
    ids.push(imported.id);
    for (const id of ids) received.push((await api<MessageDetail>(sink(), `/api/messages/${id}`)).receivedAt);
  });

  it('exports every message oldest first as mboxrd, exact bytes, read back by Python', async () => {
    const { status, headers, body } = await fetchBytes(sink(), '/api/messages/export');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/mbox');
    expect(headers.get('content-disposition')).toBe('attachment; filename="mailsink-3-messages.mbox"');
    const text = body.toString('latin1');
    expect(text.match(/^From /gm)).toHaveLength(3);
    const first = `From app@example.com ${asctime(received[0]!)}\nFrom: app@example.com\nTo: ann@example.org\nSubject: one\n\n>From the start of a line\n>>From already quoted\nnot From here\n\xe9t\xe9 in latin1\n\n`;
    expect(body.subarray(0, first.length).equals(Buffer.from(first, 'latin1'))).toBe(true);
    expect(readMbox(text)).toEqual([
      [`From app@example.com ${asctime(received[0]!)}`, RAW_ONE.replace(/\r\n/g, '\n')],
      [`From MAILER-DAEMON ${asctime(received[1]!)}`, 'Subject: bounce\n\nreturned\n'],
      [`From imp@example.com ${asctime(received[2]!)}`, 'Subject: three\n\nno final line end\n'],
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mailsink-mbox-')), 'all.mbox');
    writeFileSync(file, body);
    const script = 'import mailbox,sys\nfor m in mailbox.mbox(sys.argv[1]): print(m.get_from(), "|", m["Subject"])';
    expect(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }).trim().split('\n')).toEqual([
      `app@example.com ${asctime(received[0]!)} | one`, `MAILER-DAEMON ${asctime(received[1]!)} | bounce`, `imp@example.com ${asctime(received[2]!)} | three`,
    ]);
  });

  it('by ids (oldest first whatever their order, unknown ids left out) and by query', async () => {
    const byIds = await fetchBytes(sink(), `/api/messages/export?ids=${ids[2]},nope,${ids[0]}`);
    expect(byIds.headers.get('content-disposition')).toBe('attachment; filename="mailsink-2-messages.mbox"');
    expect(readMbox(byIds.body.toString('latin1')).map(([from]) => from)).toEqual([`From app@example.com ${asctime(received[0]!)}`, `From imp@example.com ${asctime(received[2]!)}`]);
    const byQuery = await fetchBytes(sink(), '/api/messages/export?query=subject:bounce');
    expect(byQuery.headers.get('content-disposition')).toBe('attachment; filename="mailsink-1-messages.mbox"');
    expect(byQuery.body.toString('latin1')).toBe(`From MAILER-DAEMON ${asctime(received[1]!)}\nSubject: bounce\n\nreturned\n\n`);
    const none = await fetchBytes(sink(), '/api/messages/export?query=subject:nothing');
    expect([none.status, none.headers.get('content-disposition'), none.body.length]).toEqual([200, 'attachment; filename="mailsink-0-messages.mbox"', 0]);
  });

  it('400 naming the field', async () => {
    const cases: [string, string][] = [['?ids=a&query=b', 'ids'], ['?ids=,', 'ids'], ['?query=is:maybe', 'query']];
    for (const [query, field] of cases) {
      const res = await fetch(`${sink().httpUrl}/api/messages/export${query}`);
      expect([res.status, ((await res.json()) as ApiErrorBody).error.field], query).toEqual([400, field]);
    }
  });
});
