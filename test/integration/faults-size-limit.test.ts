/**
 * The built-in size limit refuses like a fault rule and is recorded the same way: a message over
 * `maxMessageSize` gets `552 5.3.4` at the end of DATA (nodemailer does not declare a size), or at
 * MAIL FROM when the client declares it with `SIZE=` (Python smtplib does, RFC 1870). Both appear in
 * `GET /api/rejections` with `ruleId: null`; nothing is stored.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { MessageList, Rejection } from '../../server/contract.js';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const run = promisify(execFile);
const LIMIT = 2_000;
const REPLY = '552 5.3.4 Message size exceeds fixed maximum message size';

const SMTPLIB = `
import smtplib, sys
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=10) as s:
    try:
        s.sendmail("py@example.com", ["big@example.org"], b"Subject: big\\r\\n\\r\\n" + b"x" * 3000 + b"\\r\\n")
    except smtplib.SMTPSenderRefused as e:
        print(e.smtp_code, e.smtp_error.decode())
`;

describe(`size limit (maxMessageSize ${LIMIT})`, () => {
  const sink = useSink({ maxMessageSize: LIMIT });

  it('nodemailer: 552 after DATA, recorded with the envelope', async () => {
    const t = transport(sink());
    try {
      const err = (await t.sendMail({ from: 'app@example.com', to: 'user@example.org', subject: 'big', text: 'x'.repeat(3_000) }).catch((e: unknown) => e)) as Error & { responseCode?: number; response?: string };
      expect(err).toBeInstanceOf(Error);
      expect(err).toMatchObject({ responseCode: 552, response: REPLY });
    } finally {
      t.close();
    }
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections[0]).toEqual({
      id: expect.any(String),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      stage: 'data',
      ruleId: null,
      ruleDescription: null,
      reply: REPLY,
      disconnected: false,
      argument: null,
      envelope: { mailFrom: 'app@example.com', rcptTo: ['user@example.org'], heloName: expect.any(String), remoteAddress: '127.0.0.1', authUser: null },
      transcriptId: expect.any(String),
    } satisfies Rejection);
  });

  it('Python smtplib (declares SIZE=): 552 at MAIL FROM, recorded as a mailFrom rejection', async () => {
    const { stdout } = await run('python3', ['-c', SMTPLIB, String(sink().smtpPort)], { timeout: 20_000 });
    expect(stdout.trim()).toBe(REPLY);
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections[0]).toMatchObject({ stage: 'mailFrom', ruleId: null, ruleDescription: null, reply: REPLY, disconnected: false, argument: 'py@example.com', envelope: { mailFrom: 'py@example.com', rcptTo: [] } });
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(0);
  });
});
