/**
 * `GET /api/rejections`: every refused attempt, newest first, with its time, stage, the rule that
 * fired, the reply line as sent (or `null` for a dropped connection), the refused argument and the
 * envelope as far as it got; paged with `limit`/`offset`, cleared with `DELETE`, bounded like the
 * store (`maxMessages`).
 */
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, FaultRule, Rejection } from '../../server/contract.js';
import type { FaultList, RejectionList } from '../../server/http/faults-routes.js';
import { api, startTestSink, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { authPlain, openSmtp } from '../helpers/smtp-session.js';

const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown as string;
const ID = expect.stringMatching(/^[\w-]+$/) as unknown as string;
const SESSION = expect.any(String) as unknown as string;

describe('GET /api/rejections', () => {
  const sink = useSink({
    faults: [
      { stage: 'auth', match: { authUser: 'mallory' }, reply: { code: 535, enhancedCode: '5.7.8' } },
      { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'Recipient address rejected' } },
      { stage: 'rcptTo', match: { rcptTo: '*@drop.example' }, disconnect: true },
      { stage: 'data', match: { subject: 'refuse me' }, reply: { code: 554 } },
    ],
  });

  it('lists each refused attempt with reply line, stage, rule id, argument and envelope so far, newest first', async () => {
    const ids = (await api<FaultList>(sink(), '/api/faults')).rules.map((r: FaultRule) => r.id) as [string, string, string, string];
    const session = await openSmtp(sink().smtpPort);
    try {
      expect(await session.reply()).toMatch(/^220 /);
      expect(await session.command('EHLO app.client.example')).toMatch(/^250 /);
      expect(await session.command(authPlain('mallory', 'x'))).toBe('535 5.7.8 Authentication credentials invalid');
      expect(await session.command(authPlain('alice', 'x'))).toBe('235 2.7.0 Authentication successful');
      expect(await session.command('MAIL FROM:<app@example.com>')).toBe('250 2.1.0 Accepted');
      expect(await session.command('RCPT TO:<ok@example.org>')).toBe('250 2.1.5 Accepted');
      expect(await session.command('RCPT TO:<gone@bounce.example>')).toBe('550 5.1.1 Recipient address rejected');
      expect(await session.command('DATA')).toMatch(/^354 /);
      expect(await session.command('Subject: refuse me\r\n\r\nbody\r\n.')).toBe('554 5.0.0 Transaction failed');
      expect(await session.command('MAIL FROM:<<>>')).toMatch(/^501 /); // a client error is not a fault: not recorded
      expect(await session.command('MAIL FROM:<>')).toBe('250 2.1.0 Accepted');
      expect(await session.command('RCPT TO:<x@drop.example>')).toBeNull();
    } finally {
      await session.close();
    }
    const envelope = { heloName: 'app.client.example', remoteAddress: '127.0.0.1' };
    const list = await api<RejectionList>(sink(), '/api/rejections');
    expect(list).toEqual({
      total: 4,
      count: 4,
      rejections: [
        { id: ID, time: TIME, stage: 'rcptTo', ruleId: ids[2], ruleDescription: 'rcptTo matching *@drop.example → disconnect', reply: null, disconnected: true, argument: 'x@drop.example', envelope: { ...envelope, mailFrom: '', rcptTo: [], authUser: 'alice' }, transcriptId: SESSION },
        { id: ID, time: TIME, stage: 'data', ruleId: ids[3], ruleDescription: 'data subject matching refuse me → 554', reply: '554 5.0.0 Transaction failed', disconnected: false, argument: null, envelope: { ...envelope, mailFrom: 'app@example.com', rcptTo: ['ok@example.org'], authUser: 'alice' }, transcriptId: SESSION },
        { id: ID, time: TIME, stage: 'rcptTo', ruleId: ids[1], ruleDescription: 'rcptTo matching *@bounce.example → 550 5.1.1', reply: '550 5.1.1 Recipient address rejected', disconnected: false, argument: 'gone@bounce.example', envelope: { ...envelope, mailFrom: 'app@example.com', rcptTo: ['ok@example.org'], authUser: 'alice' }, transcriptId: SESSION },
        { id: ID, time: TIME, stage: 'auth', ruleId: ids[0], ruleDescription: 'auth authUser matching mallory → 535 5.7.8', reply: '535 5.7.8 Authentication credentials invalid', disconnected: false, argument: 'mallory', envelope: { ...envelope, mailFrom: '', rcptTo: [], authUser: 'mallory' }, transcriptId: SESSION },
      ] satisfies Rejection[],
    });
    const times = list.rejections.map((r) => r.time);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('pages with limit and offset; 400 names a bad parameter', async () => {
    const all = (await api<RejectionList>(sink(), '/api/rejections')).rejections;
    const page = await api<RejectionList>(sink(), '/api/rejections?limit=2&offset=1');
    expect(page).toEqual({ total: all.length, count: 2, rejections: all.slice(1, 3) });
    const bad = await fetch(`${sink().httpUrl}/api/rejections?limit=0`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiErrorBody).error).toMatchObject({ code: 'invalid_request', field: 'limit' });
  });

  it('DELETE forgets them', async () => {
    expect((await fetch(`${sink().httpUrl}/api/rejections`, { method: 'DELETE' })).status).toBe(204);
    expect(await api<RejectionList>(sink(), '/api/rejections')).toEqual({ total: 0, count: 0, rejections: [] });
  });
});

describe('bounded like the store', () => {
  it('keeps the newest maxMessages entries', async () => {
    const sink = await startTestSink({ maxMessages: 2, faults: [{ stage: 'rcptTo', reply: { code: 550 } }] });
    try {
      const t = transport(sink);
      try {
        for (const n of [1, 2, 3]) await t.sendMail({ from: 'app@example.com', to: `user${n}@example.org`, text: 'x' }).catch(() => undefined);
      } finally {
        t.close();
      }
      const list = await api<RejectionList>(sink, '/api/rejections');
      expect(list.total).toBe(2);
      expect(list.rejections.map((r) => r.argument)).toEqual(['user3@example.org', 'user2@example.org']);
    } finally {
      await sink.stop();
    }
  });
});
