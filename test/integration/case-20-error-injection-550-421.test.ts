/**
 * Case 20 (shared/cases/20-error-injection-550-421.md): a `550 5.1.1` for one recipient is the
 * reply to its own `RCPT TO` (not deferred to the end of DATA) and the message is stored for the
 * others; with only refused recipients `DATA` is refused; a `421 4.3.2` at RCPT closes the
 * connection; a new connection afterwards works normally; each refusal is recorded with its rule.
 * The dialogues are written line by line to a raw socket, exactly as the case gives them.
 */
import { describe, expect, it } from 'vitest';
import type { FaultRuleInput, MessageDetail, MessageList } from '../../server/contract.js';
import type { FaultList, RejectionList } from '../../server/http/faults-routes.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';
import type { SmtpSession } from '../helpers/smtp-session.js';

const R1: FaultRuleInput = { stage: 'rcptTo', match: { rcptTo: 'reject-*@example.net' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'Recipient address rejected' } };
const R2: FaultRuleInput = { stage: 'rcptTo', match: { rcptTo: 'close-*@example.net' }, reply: { code: 421, enhancedCode: '4.3.2' } };
const R1_REPLY = '550 5.1.1 Recipient address rejected';
const R2_REPLY = '421 4.3.2 Service not available, closing transmission channel';

/** Opens a connection and checks the greeting. */
async function connect(port: number): Promise<SmtpSession> {
  const session = await openSmtp(port);
  expect(await session.reply()).toMatch(/^220 /);
  return session;
}

describe('case 20: injected 550 for one recipient at RCPT time, 421 closes the connection', () => {
  const sink = useSink({ faults: [R1, R2] });

  it('the sink runs the case\'s R1 and R2', async () => {
    const { rules } = await api<FaultList>(sink(), '/api/faults');
    expect(rules.map((r) => [r.stage, r.match?.rcptTo, r.reply?.code, r.reply?.enhancedCode])).toEqual([
      ['rcptTo', 'reject-*@example.net', 550, '5.1.1'],
      ['rcptTo', 'close-*@example.net', 421, '4.3.2'],
    ]);
  });

  it('dialogue 1: the 550 answers RCPT TO itself; stored for the two others only', async () => {
    const s = await connect(sink().smtpPort);
    try {
      expect(await s.command('EHLO client.example.com')).toMatch(/^250 /);
      expect(await s.command('MAIL FROM:<app@example.com>')).toMatch(/^250 /);
      expect(await s.command('RCPT TO:<ok1@example.net>')).toMatch(/^250 /);
      expect(await s.command('RCPT TO:<reject-user@example.net>')).toBe(R1_REPLY);
      expect(await s.command('RCPT TO:<ok2@example.net>')).toMatch(/^250 /);
      expect(await s.command('DATA')).toMatch(/^354 /);
      for (const line of ['Subject: partial', '', 'two of three recipients']) s.send(line);
      expect(await s.command('.')).toMatch(/^250 /);
    } finally {
      await s.close();
    }
    const message = await api<MessageDetail>(sink(), '/api/messages/latest');
    expect(message.subject).toBe('partial');
    expect(message.envelope.rcptTo).toEqual(['ok1@example.net', 'ok2@example.net']);
    expect({ to: message.to, cc: message.cc, bcc: message.bcc, bccOnly: message.bccOnly }).toEqual({ to: [], cc: [], bcc: [], bccOnly: ['ok1@example.net', 'ok2@example.net'] });
    expect(JSON.stringify(message)).not.toContain('reject-user');
    expect((await fetchBytes(sink(), `/api/messages/${message.id}/raw`)).body.toString('latin1')).not.toContain('reject-user');
  });

  it('dialogue 2: only refused recipients: DATA is refused (503, never 354), nothing stored, RSET works', async () => {
    const before = (await api<MessageList>(sink(), '/api/messages')).total;
    const s = await connect(sink().smtpPort);
    try {
      expect(await s.command('EHLO client.example.com')).toMatch(/^250 /);
      expect(await s.command('MAIL FROM:<app@example.com>')).toMatch(/^250 /);
      expect(await s.command('RCPT TO:<reject-a@example.net>')).toBe(R1_REPLY);
      expect(await s.command('DATA')).toBe('503 5.5.1 Error: need RCPT command');
      expect(await s.command('RSET')).toMatch(/^250 /);
    } finally {
      await s.close();
    }
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(before);
  });

  it('dialogue 3: 421 at RCPT TO, then the server closes the connection; NOOP gets no reply; nothing stored', async () => {
    const before = (await api<MessageList>(sink(), '/api/messages')).total;
    const s = await connect(sink().smtpPort);
    try {
      expect(await s.command('EHLO client.example.com')).toMatch(/^250 /);
      expect(await s.command('MAIL FROM:<app@example.com>')).toMatch(/^250 /);
      expect(await s.command('RCPT TO:<close-now@example.net>')).toBe(R2_REPLY);
      await s.waitClosed();
      expect(await s.command('NOOP')).toBeNull();
    } finally {
      await s.close();
    }
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(before);
  });

  it('dialogue 4: a new connection works normally and the message is stored', async () => {
    const s = await connect(sink().smtpPort);
    try {
      expect(await s.command('EHLO client.example.com')).toMatch(/^250 /);
      expect(await s.command('MAIL FROM:<app@example.com>')).toMatch(/^250 /);
      expect(await s.command('RCPT TO:<ok3@example.net>')).toMatch(/^250 /);
      expect(await s.command('DATA')).toMatch(/^354 /);
      for (const line of ['Subject: recovery', '', 'all good']) s.send(line);
      expect(await s.command('.')).toMatch(/^250 /);
    } finally {
      await s.close();
    }
    expect(await api<MessageDetail>(sink(), '/api/messages/latest')).toMatchObject({ subject: 'recovery', envelope: { rcptTo: ['ok3@example.net'] } });
  });

  it('each refusal is recorded with the rule that fired', async () => {
    const [r1, r2] = (await api<FaultList>(sink(), '/api/faults')).rules;
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections.map((r) => [r.ruleId, r.stage, r.argument, r.reply])).toEqual([
      [r2!.id, 'rcptTo', 'close-now@example.net', R2_REPLY],
      [r1!.id, 'rcptTo', 'reject-a@example.net', R1_REPLY],
      [r1!.id, 'rcptTo', 'reject-user@example.net', R1_REPLY],
    ]);
    expect([r1!.hits, r2!.hits]).toEqual([2, 1]);
  });
});
