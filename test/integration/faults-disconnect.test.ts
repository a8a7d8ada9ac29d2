/**
 * `disconnect: true` drops the TCP connection without any reply, at every stage: the client's
 * command gets no answer and the socket is closed by the server. Each drop is recorded in
 * `/api/rejections` with `reply: null, disconnected: true`; nothing is stored.
 */
import { describe, expect, it } from 'vitest';
import type { FaultStage, MessageList } from '../../server/contract.js';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { authPlain, openSmtp } from '../helpers/smtp-session.js';

/** Commands after the greeting; the last one is the one that gets no reply. */
const DIALOGUES: Array<[FaultStage, string | undefined, string[]]> = [
  ['connect', '127.0.0.3', []],
  ['auth', undefined, ['EHLO client.example', authPlain('dropme', 'secret')]],
  ['mailFrom', undefined, ['EHLO client.example', 'MAIL FROM:<app@drop.example>']],
  ['rcptTo', undefined, ['EHLO client.example', 'MAIL FROM:<app@example.com>', 'RCPT TO:<user@drop.example>']],
  ['data', undefined, ['EHLO client.example', 'MAIL FROM:<app@example.com>', 'RCPT TO:<user@example.org>', 'DATA', 'Subject: drop me\r\n\r\nbody\r\n.']],
];

describe('disconnect', () => {
  const sink = useSink({
    faults: [
      { stage: 'connect', match: { remoteAddress: '127.0.0.3' }, disconnect: true },
      { stage: 'auth', match: { authUser: 'dropme' }, disconnect: true },
      { stage: 'mailFrom', match: { mailFrom: '*@drop.example' }, disconnect: true },
      { stage: 'rcptTo', match: { rcptTo: '*@drop.example' }, disconnect: true },
      { stage: 'data', match: { subject: 'drop me' }, disconnect: true },
    ],
  });

  it.for(DIALOGUES)('at %s: no reply, the server closes the connection', async ([stage, localAddress, commands]) => {
    const session = await openSmtp(sink().smtpPort, localAddress ? { localAddress } : {});
    try {
      const replies: Array<string | null> = [await session.reply()];
      for (const command of commands) replies.push(await session.command(command));
      await session.waitClosed();
      expect(replies.at(-1)).toBeNull();
      expect(replies.slice(0, -1).every((line) => line !== null && /^(220|250|354) /.test(line))).toBe(true);
      const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
      expect(rejections[0]).toMatchObject({ stage, reply: null, disconnected: true });
    } finally {
      await session.close();
    }
  });

  it('nodemailer sees the connection close unexpectedly; nothing was stored', async () => {
    const t = transport(sink());
    try {
      const err = (await t.sendMail({ from: 'app@example.com', to: 'user@drop.example', text: 'x' }).catch((e: unknown) => e)) as Error & { code?: string };
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toBe('ECONNECTION');
      expect(err.message).toMatch(/Connection closed unexpectedly/);
      expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(0);
    } finally {
      t.close();
    }
  });
});
