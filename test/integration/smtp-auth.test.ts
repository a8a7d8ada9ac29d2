/**
 * SMTP AUTH (RFC 4954): PLAIN, LOGIN, CRAM-MD5 and XOAUTH2. By default any credentials pass, also
 * without TLS; with `--auth-users` they are checked (`535 5.7.8` on a bad one, also for bcrypt
 * entries); with `--auth-required` MAIL without AUTH gets `530 5.7.0`. The user is recorded on each
 * message; fault rules of the `auth` stage still fire. Clients: swaks, Python smtplib, nodemailer.
 */
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import type { RejectionList } from '../../server/http/faults-routes.js';
import type { Sink } from '../../server/sink.js';
import { smtplibSend } from '../helpers/clients.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { swaks } from '../helpers/swaks.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const BAD = '535 5.7.8 Authentication credentials invalid';
const latest = (sink: Sink) => api<MessageDetail>(sink, '/api/messages/latest');
const auth = (mechanism: string, user: string, password: string, subject: string) => ['--auth', mechanism, '--auth-user', user, '--auth-password', password, '--to', 'rcpt@example.org', '--header', `Subject: ${subject}`];

describe('AUTH without a user file: any credentials, no TLS needed', () => {
  const sink = useSink();

  it.for(['PLAIN', 'LOGIN', 'CRAM-MD5'])('swaks --auth %s is accepted and the user recorded', async (mechanism) => {
    const result = await swaks(sink().smtpPort, auth(mechanism, `any-${mechanism.toLowerCase()}`, 'whatever', `any ${mechanism}`));
    expect(result.exitCode, result.output).toBe(0);
    expect(result.serverLines).toContain('235 2.7.0 Authentication successful');
    expect(await latest(sink())).toMatchObject({ subject: `any ${mechanism}`, envelope: { authUser: `any-${mechanism.toLowerCase()}`, secure: false } });
  });

  it('nodemailer XOAUTH2 with any token', async () => {
    const t = transport(sink(), { auth: { type: 'OAuth2', user: 'oauth@example.com', accessToken: 'ya29.any-token' } });
    await t.sendMail({ from: 'oauth@example.com', to: 'rcpt@example.org', subject: 'xoauth2', text: 'x' });
    t.close();
    expect(await latest(sink())).toMatchObject({ subject: 'xoauth2', envelope: { authUser: 'oauth@example.com' } });
  });
});

describe('--auth-users checks credentials', () => {
  const write = useTmpFiles();
  const users = write('users', `alice:s3cret\nbob:pa:ss:word\ncarol:${bcrypt.hashSync('hunter2', 4)}\n`);
  const sink = useSink({ authUsers: users, faults: [{ stage: 'auth', match: { authUser: 'alice' }, reply: { code: 454, enhancedCode: '4.7.0', text: 'Try later' }, times: 1 }] });

  it('a fault rule of the auth stage still fires first (alice, once)', async () => {
    const result = await swaks(sink().smtpPort, auth('PLAIN', 'alice', 's3cret', 'fault first'));
    expect({ exitCode: result.exitCode, errorLines: result.errorLines }).toEqual({ exitCode: 28, errorLines: ['454 4.7.0 Try later'] });
  });

  it.for([
    ['PLAIN', 'alice', 's3cret'],
    ['LOGIN', 'alice', 's3cret'],
    ['CRAM-MD5', 'alice', 's3cret'],
    ['PLAIN', 'bob', 'pa:ss:word'],
    ['LOGIN', 'carol', 'hunter2'],
  ] as const)('swaks --auth %s as %s with the right password: 235, stored with the user', async ([mechanism, user, password]) => {
    const subject = `good ${mechanism} ${user}`;
    const result = await swaks(sink().smtpPort, auth(mechanism, user, password, subject));
    expect(result.exitCode, result.output).toBe(0);
    expect(await latest(sink())).toMatchObject({ subject, envelope: { authUser: user } });
  });

  it.for([
    ['PLAIN', 'alice', 'wrong'],
    ['LOGIN', 'alice', 'S3CRET'],
    ['CRAM-MD5', 'alice', 'wrong'],
    ['PLAIN', 'mallory', 's3cret'],
    ['CRAM-MD5', 'carol', 'hunter2'],
  ] as const)('swaks --auth %s as %s with %s: 535 5.7.8 and swaks exits 28', async ([mechanism, user, password]) => {
    const result = await swaks(sink().smtpPort, auth(mechanism, user, password, 'bad'));
    expect({ exitCode: result.exitCode, errorLines: result.errorLines }).toEqual({ exitCode: 28, errorLines: [BAD] });
  });

  it('refusals are in the rejection log with the user and a transcript', async () => {
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    const refused = rejections.filter((r) => r.stage === 'auth' && r.ruleId === null);
    expect(refused.map((r) => r.argument).sort()).toEqual(['alice', 'alice', 'alice', 'carol', 'mallory']);
    expect(refused.every((r) => r.reply === BAD && typeof r.transcriptId === 'string')).toBe(true);
  });

  it('Python smtplib login(): right and wrong password', async () => {
    expect(await smtplibSend(sink().smtpPort, { mode: 'starttls', login: { user: 'bob', password: 'pa:ss:word' }, subject: 'smtplib good' })).toMatchObject({ login: '235 2.7.0 Authentication successful', refused: {} });
    expect(await latest(sink())).toMatchObject({ subject: 'smtplib good', envelope: { authUser: 'bob', secure: true } });
    expect(await smtplibSend(sink().smtpPort, { mode: 'plain', login: { user: 'bob', password: 'pa' }, subject: 'smtplib bad' })).toMatchObject({ error: BAD });
  });

  it('nodemailer XOAUTH2: the token is checked as the password', async () => {
    const good = transport(sink(), { auth: { type: 'OAuth2', user: 'alice', accessToken: 's3cret' } });
    await good.sendMail({ from: 'alice@example.com', to: 'rcpt@example.org', subject: 'xoauth2 good', text: 'x' });
    good.close();
    expect(await latest(sink())).toMatchObject({ subject: 'xoauth2 good', envelope: { authUser: 'alice' } });
    const bad = transport(sink(), { auth: { type: 'OAuth2', user: 'alice', accessToken: 'stolen' } });
    await expect(bad.sendMail({ from: 'alice@example.com', to: 'rcpt@example.org', subject: 'xoauth2 bad', text: 'x' })).rejects.toMatchObject({ code: 'EAUTH', response: BAD });
    bad.close();
  });
});

describe('--auth-required', () => {
  const sink = useSink({ authRequired: true });
  const REQUIRED = '530 5.7.0 Authentication required';

  it('MAIL without AUTH gets 530 5.7.0 (swaks exits 23, nodemailer and smtplib report it); with AUTH it goes through', async () => {
    const refused = await swaks(sink().smtpPort, ['--to', 'rcpt@example.org']);
    expect({ exitCode: refused.exitCode, errorLines: refused.errorLines }).toEqual({ exitCode: 23, errorLines: [REQUIRED] });
    const t = transport(sink());
    await expect(t.sendMail({ from: 'a@example.com', to: 'rcpt@example.org', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 530, response: REQUIRED });
    t.close();
    expect(await smtplibSend(sink().smtpPort, { mode: 'plain', subject: 'x' })).toMatchObject({ error: REQUIRED });
    const ok = await swaks(sink().smtpPort, auth('LOGIN', 'someone', 'pw', 'with auth'));
    expect(ok.exitCode, ok.output).toBe(0);
    expect(await latest(sink())).toMatchObject({ subject: 'with auth', envelope: { authUser: 'someone' } });
  });
});
