/**
 * ENHANCEDSTATUSCODES (RFC 2034): advertised in EHLO, and every reply but the greeting and the
 * answers to HELO/EHLO carries an RFC 3463 enhanced status code, mailsink's own replies and those
 * smtp-server writes itself alike; `354` and `334` (3xx) carry none. Exact lines over a raw socket,
 * and as Python's smtplib sees them.
 */
import { describe, expect, it } from 'vitest';
import { smtplibSend } from '../helpers/clients.js';
import { useSink } from '../helpers/sink.js';
import { smtpDialogue } from '../helpers/smtp.js';

const QUEUED = expect.stringMatching(/^250 2\.0\.0 Ok: queued as [\w-]+$/) as unknown as string;

describe('enhanced status codes', () => {
  const sink = useSink({ maxMessageSize: 200 });

  it('every command of a session: greeting and HELO/EHLO without, the rest with an enhanced code', async () => {
    const replies = await smtpDialogue(sink().smtpPort, [
      { send: 'HELO client.example\r\n' },
      { send: 'EHLO client.example\r\n' },
      { send: 'NOOP\r\n' },
      { send: 'HELP\r\n' },
      { send: 'VRFY someone\r\n' },
      { send: 'MAIL FROM:<app@example.com>\r\n' },
      { send: 'RCPT TO:<user@example.org>\r\n' },
      { send: 'DATA\r\n' },
      { send: 'Subject: hi\r\n\r\nbody\r\n.\r\n' },
      { send: 'RSET\r\n' },
      { send: 'AUTH PLAIN dXNlcgB1c2VyAHB3\r\n' },
      { send: 'QUIT\r\n' },
    ]);
    expect(replies).toEqual([
      '220 mailsink ESMTP ready',
      '250 mailsink Nice to meet you, [127.0.0.1]',
      '250 SIZE 200',
      '250 2.0.0 OK',
      '214 2.0.0 See https://tools.ietf.org/html/rfc5321 for details',
      '252 2.0.0 Try to send something. No promises though',
      '250 2.1.0 Accepted',
      '250 2.1.5 Accepted',
      '354 End data with <CR><LF>.<CR><LF>',
      QUEUED,
      '250 2.0.0 Flushed',
      '235 2.7.0 Authentication successful',
      '221 2.0.0 Bye',
    ]);
  });

  it('Python smtplib sees ENHANCEDSTATUSCODES among the EHLO keywords and logs in with 235 2.7.0', async () => {
    const py = await smtplibSend(sink().smtpPort, { mode: 'plain', login: { user: 'u', password: 'p' }, subject: 'smtplib enhanced' });
    expect(py).toEqual({ features: ['8bitmime', 'auth', 'enhancedstatuscodes', 'pipelining', 'size', 'smtputf8', 'starttls'], login: '235 2.7.0 Authentication successful', refused: {} });
  });

  it('error replies of smtp-server and of mailsink', async () => {
    const replies = await smtpDialogue(sink().smtpPort, [
      { send: 'EHLO client.example\r\n' },
      { send: 'BOGUS\r\n' },
      { send: 'DATA\r\n' },
      { send: 'RCPT TO:<user@example.org>\r\n' },
      { send: 'MAIL FROM:<not an address>\r\n' },
      { send: 'MAIL FROM:<app@example.com> SIZE=5000\r\n' },
      { send: 'MAIL FROM:<app@example.com>\r\n' },
      { send: 'MAIL FROM:<again@example.com>\r\n' },
      { send: 'RCPT TO:<a b@example.org>\r\n' },
      { send: 'DATA\r\n' },
      { send: 'AUTH NTLM\r\n' },
      { send: 'AUTH PLAIN !!!\r\n' },
      { send: 'RCPT TO:<user@example.org>\r\n' },
      { send: 'DATA\r\n' },
      { send: `Subject: big\r\n\r\n${'x'.repeat(300)}\r\n.\r\n` },
      { send: 'QUIT\r\n' },
    ]);
    expect(replies.slice(2)).toEqual([
      '500 5.5.2 Error: command not recognized',
      '503 5.5.1 Error: need RCPT command',
      '503 5.5.1 Error: need MAIL command',
      '501 5.1.7 Error: Bad sender address syntax',
      '552 5.3.4 Message size exceeds fixed maximum message size',
      '250 2.1.0 Accepted',
      '503 5.5.1 Error: nested MAIL command',
      '501 5.1.3 Error: Bad recipient address syntax',
      '503 5.5.1 Error: need RCPT command',
      '504 5.5.4 Error: Unrecognized authentication type',
      '501 5.5.2 Error: invalid userdata',
      '250 2.1.5 Accepted',
      '354 End data with <CR><LF>.<CR><LF>',
      '552 5.3.4 Message size exceeds fixed maximum message size',
      '221 2.0.0 Bye',
    ]);
  });
});

describe('enhanced status codes with --auth-required', () => {
  const sink = useSink({ authRequired: true });

  it('530 5.7.0 before AUTH', async () => {
    const replies = await smtpDialogue(sink().smtpPort, [{ send: 'EHLO client.example\r\n' }, { send: 'MAIL FROM:<app@example.com>\r\n' }, { send: 'QUIT\r\n' }]);
    expect(replies.slice(2)).toEqual(['530 5.7.0 Authentication required', '221 2.0.0 Bye']);
  });
});
