/**
 * Transcripts: every SMTP session is recorded, commands and replies, without the message data and
 * with AUTH secrets masked; `GET /api/messages/:id/transcript` gives the session of a message and
 * `GET /api/transcripts/:id` the one a rejection names. They go when their messages are deleted.
 */
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, MessageSummary, Transcript } from '../../server/contract.js';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { authPlain, openSmtp } from '../helpers/smtp-session.js';
import { transport } from '../helpers/smtp.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('SMTP transcripts', () => {
  const sink = useSink({ faults: [{ stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user' } }] });
  const ids: string[] = [];

  it('records a session with AUTH PLAIN and AUTH LOGIN masked, no message data, for each message it produced', async () => {
    const session = await openSmtp(sink().smtpPort);
    try {
      await session.reply();
      await session.command('EHLO client.example');
      expect(await session.command(authPlain('plain-user', 'plain-secret-1'))).toBe('235 2.7.0 Authentication successful');
      await session.command('RSET');
      for (const n of [1, 2]) {
        await session.command(`MAIL FROM:<app@example.com>`);
        await session.command(`RCPT TO:<user${n}@example.org>`);
        await session.command('DATA');
        const reply = await session.command(`Subject: transcript ${n}\r\n\r\nconfidential body ${n}\r\n.`);
        ids.push(reply!.split(' ').pop()!);
      }
      await session.command('QUIT');
      await session.waitClosed();
    } finally {
      await session.close();
    }
    const login = await openSmtp(sink().smtpPort);
    let loginMessage = '';
    try {
      await login.reply();
      await login.command('EHLO client.example');
      expect(await login.command('AUTH LOGIN')).toBe('334 VXNlcm5hbWU6');
      expect(await login.command(b64('login-user'))).toBe('334 UGFzc3dvcmQ6');
      expect(await login.command(b64('login-secret-2'))).toBe('235 2.7.0 Authentication successful');
      for (const command of ['MAIL FROM:<login@example.com>', 'RCPT TO:<x@example.org>', 'DATA']) await login.command(command);
      loginMessage = (await login.command('Subject: login\r\n\r\nx\r\n.'))!.split(' ').pop()!;
      await login.command('QUIT');
    } finally {
      await login.close();
    }

    const first = await api<Transcript>(sink(), `/api/messages/${ids[0]}/transcript`);
    const second = await api<Transcript>(sink(), `/api/messages/${ids[1]}/transcript`);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ remoteAddress: '127.0.0.1', localPort: sink().smtpPort, secure: false, messageIds: ids, droppedLines: 0, endedAt: expect.any(String) });
    const lines = first.lines.map((l) => `${l.direction === 'client' ? 'C' : l.direction === 'server' ? 'S' : '#'} ${l.text}`);
    expect(lines.slice(0, 4)).toEqual(['S 220 mailsink ESMTP ready', 'C EHLO client.example', 'S 250-mailsink Nice to meet you, [127.0.0.1]', 'S 250-PIPELINING']);
    const auth = lines.indexOf('C AUTH PLAIN ***');
    expect(lines.slice(auth, auth + 2)).toEqual(['C AUTH PLAIN ***', 'S 235 2.7.0 Authentication successful']);
    const data = lines.indexOf('C DATA');
    expect(lines.slice(data - 4, data + 4)).toEqual([
      'C MAIL FROM:<app@example.com>',
      'S 250 2.1.0 Accepted',
      'C RCPT TO:<user1@example.org>',
      'S 250 2.1.5 Accepted',
      'C DATA',
      'S 354 End data with <CR><LF>.<CR><LF>',
      expect.stringMatching(/^# \d+ octets of message data \(not recorded\)$/),
      `S 250 2.0.0 Ok: queued as ${ids[0]}`,
    ]);
    expect(lines.slice(-2)).toEqual(['C QUIT', 'S 221 2.0.0 Bye']);
    const json = JSON.stringify(first);
    for (const secret of ['plain-secret-1', b64('\0plain-user\0plain-secret-1'), 'confidential body', 'Subject: transcript']) expect(json).not.toContain(secret);
    expect(first.lines.every((l, i) => i === 0 || l.offsetMs >= first.lines[i - 1]!.offsetMs)).toBe(true);

    const loginLines = (await api<Transcript>(sink(), `/api/messages/${loginMessage}/transcript`)).lines.map((l) => l.text);
    const start = loginLines.indexOf('AUTH LOGIN');
    expect(loginLines.slice(start, start + 6)).toEqual(['AUTH LOGIN', '334 VXNlcm5hbWU6', '***', '334 UGFzc3dvcmQ6', '***', '235 2.7.0 Authentication successful']);
    expect(JSON.stringify(loginLines)).not.toContain(b64('login-secret-2'));
    expect(JSON.stringify(loginLines)).not.toContain(b64('login-user'));
  });

  it('a rejection names its session transcript, which shows the refusal', async () => {
    const t = transport(sink());
    const info = await t.sendMail({ from: 'app@example.com', to: ['gone@bounce.example', 'ok@example.org'], subject: 'partly refused', text: 'x' });
    t.close();
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    const rejection = rejections[0]!;
    expect(rejection).toMatchObject({ stage: 'rcptTo', argument: 'gone@bounce.example', transcriptId: expect.any(String) });
    const transcript = await api<Transcript>(sink(), `/api/transcripts/${rejection.transcriptId}`);
    const texts = transcript.lines.map((l) => l.text);
    expect(texts.slice(texts.indexOf('RCPT TO:<gone@bounce.example>'), texts.indexOf('RCPT TO:<gone@bounce.example>') + 2)).toEqual(['RCPT TO:<gone@bounce.example>', '550 5.1.1 No such user']);
    expect(transcript.messageIds).toEqual([info.response.split(' ').pop()]);
  });

  it('latest works; an imported message has none (404 no_transcript); unknown ids are 404', async () => {
    expect((await api<Transcript>(sink(), '/api/messages/latest/transcript')).messageIds).toHaveLength(1);
    const imported = await api<MessageSummary>(sink(), '/api/messages', { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: 'To: i@example.org\r\nSubject: imported\r\n\r\nx\r\n' });
    for (const [path, code] of [[`/api/messages/${imported.id}/transcript`, 'no_transcript'], ['/api/messages/nope/transcript', 'not_found'], ['/api/transcripts/nope', 'not_found']] as const) {
      const res = await fetch(sink().httpUrl + path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as ApiErrorBody).error.code, path).toBe(code);
    }
  });

  it('goes with the last message of its session', async () => {
    const first = await api<Transcript>(sink(), `/api/messages/${ids[0]}/transcript`);
    await api(sink(), `/api/messages/${ids[0]}`, { method: 'DELETE' });
    expect((await api<Transcript>(sink(), `/api/transcripts/${first.id}`)).messageIds).toEqual(ids);
    await api(sink(), `/api/messages/${ids[1]}`, { method: 'DELETE' });
    expect((await fetch(`${sink().httpUrl}/api/transcripts/${first.id}`)).status).toBe(404);
  });
});
