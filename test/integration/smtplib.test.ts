/** A different client than nodemailer: Python's smtplib, as many back-end apps send mail. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';

const run = promisify(execFile);

const SCRIPT = `
import smtplib, sys
port = int(sys.argv[1])
msg = (b"From: Py Sender <py@example.com>\\r\\n"
       b"To: Dev <dev@example.org>\\r\\n"
       b"Subject: =?utf-8?b?SGVsbG8gZnJvbSDwn5CN?=\\r\\n"
       b"Message-ID: <smtplib-1@example.com>\\r\\n"
       b"\\r\\n"
       b"Sent by smtplib.\\r\\n"
       b".starts with a dot\\r\\n")
with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
    code, features = s.ehlo("py-client.example")
    s.login("py-user", "py-pass")
    refused = s.sendmail("py@example.com", ["dev@example.org", "hidden@example.net"], msg)
    print(repr(refused))
    print(features.decode())
sys.stdout.buffer.write(b"RAW:" + msg.hex().encode())
`;

describe('Python smtplib', () => {
  const sink = useSink();

  it('sends through EHLO + AUTH; the message is listed and its raw source comes back byte-exact', async () => {
    const { stdout } = await run('python3', ['-c', SCRIPT, String(sink().smtpPort)], { timeout: 20_000 });
    const [refused, ...rest] = stdout.split('\n');
    expect(refused).toBe('{}');
    const features = rest.join('\n');
    for (const ext of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'SIZE 52428800', 'AUTH PLAIN LOGIN']) expect(features).toContain(ext);
    const sent = Buffer.from(/RAW:([0-9a-f]+)/.exec(stdout)![1]!, 'hex');

    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.total).toBe(1);
    expect(list.messages[0]!.subject).toBe('Hello from 🐍');
    const raw = await fetchBytes(sink(), '/api/messages/latest/raw');
    expect(raw.body.equals(sent)).toBe(true);
    const detail = await api<MessageDetail>(sink(), '/api/messages/latest');
    expect(detail).toMatchObject({
      subject: 'Hello from 🐍',
      messageId: 'smtplib-1@example.com',
      from: [{ name: 'Py Sender', address: 'py@example.com' }],
      text: 'Sent by smtplib.\n.starts with a dot\n',
      bccOnly: ['hidden@example.net'],
      envelope: { mailFrom: 'py@example.com', rcptTo: ['dev@example.org', 'hidden@example.net'], heloName: 'py-client.example', authUser: 'py-user' },
    });
  });
});
