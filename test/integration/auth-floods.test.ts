/**
 * Password checks cannot stall the sink or be guessed in bulk: with a bcrypt user (cost 8 here, about
 * 20 ms a check on a free core; the default cost 10 is four times that), `/api/health` answers while 40 wrong-password SMTP AUTHs (or 40 wrong basic-auth
 * requests) are being checked, because bcrypt runs on worker threads; and an address with
 * `--max-auth-failures` failures gets `454 4.7.0` without a check, while another address still
 * gets in. Ordering is asserted, never durations. (That an unknown user costs one bcrypt compare,
 * like a known one, is counted in test/unit/credentials.test.ts; the window in
 * test/unit/auth-throttle.test.ts.)
 */
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';
import type { SmtpSession } from '../helpers/smtp-session.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const PARALLEL = 40;
const plain = (user: string, password: string) => `AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`;

async function greeted(port: number, localAddress?: string): Promise<SmtpSession> {
  const session = await openSmtp(port, localAddress ? { localAddress } : {});
  expect(await session.reply()).toBe('220 mailsink ESMTP ready');
  expect(await session.command('EHLO client.example')).toBe('250 SIZE 52428800');
  return session;
}

/** Runs `attempts` and, once they are all under way, one `/api/health`; returns how many attempts had answered when health did. */
async function healthAmid(attempts: Array<() => Promise<unknown>>, health: () => Promise<Response>): Promise<{ answeredBefore: number; healthStatus: number }> {
  let answered = 0;
  const all = Promise.all(attempts.map((attempt) => attempt().then(() => answered++)));
  const res = await health();
  const answeredBefore = answered;
  await all;
  return { answeredBefore, healthStatus: res.status };
}

describe('bcrypt runs off the event loop', () => {
  const write = useTmpFiles();
  const hash = bcrypt.hashSync('hunter2', 8);
  const sink = useSink({ authUsers: write('users', `carol:${hash}\n`), uiAuthFile: write('ui-users', `carol:${hash}\n`), maxAuthFailures: 1000 });

  it(`/api/health answers while ${PARALLEL} wrong SMTP AUTH passwords are checked`, async () => {
    const sessions = await Promise.all(Array.from({ length: PARALLEL }, () => greeted(sink().smtpPort)));
    try {
      const replies: Array<string | null> = [];
      const { answeredBefore, healthStatus } = await healthAmid(
        sessions.map((s, i) => async () => {
          s.send(plain('carol', `wrong-${i}`));
          replies.push(await s.reply(60_000)); // 40 checks share one or two worker threads
        }),
        () => fetch(`${sink().httpUrl}/api/health`),
      );
      expect(healthStatus).toBe(200);
      expect(answeredBefore).toBeLessThan(PARALLEL / 2);
      expect(replies).toEqual(Array.from({ length: PARALLEL }, () => '535 5.7.8 Authentication credentials invalid'));
      expect(await sessions[0]!.command(plain('carol', 'hunter2'))).toBe('235 2.7.0 Authentication successful');
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
  });

  it(`/api/health answers while ${PARALLEL} wrong basic-auth passwords are checked`, async () => {
    const header = (password: string) => ({ authorization: `Basic ${Buffer.from(`carol:${password}`).toString('base64')}` });
    const statuses: number[] = [];
    const { answeredBefore, healthStatus } = await healthAmid(
      Array.from({ length: PARALLEL }, (_, i) => async () => statuses.push((await fetch(`${sink().httpUrl}/api/messages`, { headers: header(`wrong-${i}`) })).status)),
      () => fetch(`${sink().httpUrl}/api/health`),
    );
    expect(healthStatus).toBe(200);
    expect(answeredBefore).toBeLessThan(PARALLEL / 2);
    expect(statuses).toEqual(Array.from({ length: PARALLEL }, () => 401));
    expect((await fetch(`${sink().httpUrl}/api/messages`, { headers: header('hunter2') })).status).toBe(200);
  });
});

describe('--max-auth-failures', () => {
  const write = useTmpFiles();
  const sink = useSink({ authUsers: write('users', 'alice:s3cret\n'), maxAuthFailures: 3 });

  it('after 3 failures from an address, AUTH from it gets 454 4.7.0 unchecked (right password too); another address is not affected', async () => {
    const guesser = await greeted(sink().smtpPort, '127.0.0.7');
    const other = await greeted(sink().smtpPort, '127.0.0.8');
    try {
      for (const password of ['a', 'b', 'c']) expect(await guesser.command(plain('alice', password))).toBe('535 5.7.8 Authentication credentials invalid');
      expect(await guesser.command(plain('alice', 'd'))).toBe('454 4.7.0 Too many failed authentication attempts, try again later');
      expect(await guesser.command(plain('alice', 's3cret'))).toBe('454 4.7.0 Too many failed authentication attempts, try again later');
      expect(await other.command(plain('alice', 's3cret'))).toBe('235 2.7.0 Authentication successful');
    } finally {
      await Promise.all([guesser.close(), other.close()]);
    }
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections.filter((r) => r.reply?.startsWith('454')).map((r) => [r.stage, r.argument, r.envelope.remoteAddress])).toEqual([
      ['auth', 'alice', '127.0.0.7'],
      ['auth', 'alice', '127.0.0.7'],
    ]);
  });
});
