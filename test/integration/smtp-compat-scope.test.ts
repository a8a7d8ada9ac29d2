/**
 * The smtp-server patches of server/smtp/compat.ts stay inside mailsink: an application's own
 * `SMTPServer`, running in the same process as a sink, keeps upstream behaviour (early-talker check
 * before the greeting, `501` for a quoted local part, `552` for a declared SIZE over its limit, no
 * enhanced status codes), while the sink keeps its own.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isContinuation, replyLineSplitter } from '../helpers/reply-lines.js';
import { useSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';

/**
 * Connects and writes `EHLO` at once, before any greeting can have arrived; resolves with every
 * reply line (continuations too) once `count` final lines arrived or the server closed.
 */
function talkEarly(port: number, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let finals = 0;
    const socket = net.connect(port, '127.0.0.1');
    socket.write('EHLO early.example\r\n');
    socket.on(
      'data',
      replyLineSplitter((line) => {
        lines.push(line);
        if (!isContinuation(line) && ++finals === count) socket.end();
      }),
    );
    socket.on('close', () => resolve(lines));
    socket.on('error', reject);
  });
}

describe('smtp-server patches are scoped to mailsink', () => {
  const sink = useSink({ maxMessageSize: 1000 });
  let plain: SMTPServer;
  let plainPort = 0;

  beforeAll(async () => {
    plain = new SMTPServer({
      name: 'upstream.test',
      size: 1000,
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(null, 'OK: kept'));
      },
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    plainPort = (plain.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())));

  it('a plain SMTPServer still refuses a client that talks before its greeting; the sink greets first and answers', async () => {
    expect(await talkEarly(plainPort, 2)).toEqual(['421 upstream.test You talk too soon']);
    const sinkLines = await talkEarly(sink().smtpPort, 2);
    expect(sinkLines.slice(0, 2)).toEqual(['220 mailsink ESMTP ready', '250-mailsink Nice to meet you, [127.0.0.1]']);
    expect(sinkLines).toContain('250-ENHANCEDSTATUSCODES');
  });

  it('a plain SMTPServer still refuses a quoted local part (501) and a declared SIZE over its limit (552) and sends no enhanced codes', async () => {
    const steps = [
      { send: 'EHLO client.example\r\n' },
      { send: 'MAIL FROM:<a@example.com> SIZE=5000\r\n' },
      { send: 'MAIL FROM:<a@example.com>\r\n' },
      { send: 'RCPT TO:<"odd user"@example.org>\r\n' },
      { send: 'QUIT\r\n' },
    ];
    const plainReplies = await smtpDialogue(plainPort, steps);
    expect(plainReplies.slice(2)).toEqual([
      '552 Error: message exceeds fixed maximum message size 1000',
      '250 Accepted',
      '501 Error: Bad recipient address syntax',
      '221 Bye',
    ]);
    const ehlo = await smtpDialogue(plainPort, [{ send: 'EHLO client.example\r\n' }]);
    expect(ehlo[0]).toMatch(/^220 upstream\.test ESMTP/);

    const sinkReplies = await smtpDialogue(sink().smtpPort, steps);
    expect(sinkReplies.slice(2)).toEqual([
      '552 5.3.4 Message size exceeds fixed maximum message size',
      '250 2.1.0 Accepted',
      '250 2.1.5 Accepted',
      '221 2.0.0 Bye',
    ]);
    const rejections = (await (await fetch(`${sink().httpUrl}/api/rejections`)).json()) as { rejections: Array<{ reply: string }> };
    expect(rejections.rejections.map((r) => r.reply)).toEqual(['552 5.3.4 Message size exceeds fixed maximum message size']);
  });
});
