/**
 * Fault-rule patterns cannot stall the sink: a glob with many stars and a regex with nested
 * quantifiers, which a backtracking engine takes seconds to minutes (the glob) or forever (the
 * regex) to refuse on an address of a few dozen characters, answer at once over SMTP, and the
 * HTTP API answers while the sessions that try them are in flight. Without linear matching this
 * file times out. (The matcher itself is checked against a reference in test/unit/patterns.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';

const STARS = '*a*a*a*a*a*a*a*b';
const NESTED = '/^(a+)+$/';
/** 80 characters, no `b` anywhere: the worst case for the glob; `@` makes the regex fail after every split of the a's. */
const ADDRESS = `${'a'.repeat(70)}@aaaaaa.aa`;

describe('pathological fault patterns', () => {
  const sink = useSink({
    faults: [
      { stage: 'rcptTo', match: { rcptTo: STARS }, reply: { code: 550, enhancedCode: '5.1.1', text: 'stars' } },
      { stage: 'mailFrom', match: { mailFrom: NESTED }, reply: { code: 550, enhancedCode: '5.1.8', text: 'nested' } },
      { stage: 'rcptTo', match: { rcptTo: `${'*a'.repeat(7)}*.aa` }, reply: { code: 550, enhancedCode: '5.1.1', text: 'matched' } },
    ],
  });

  it('are answered at once over SMTP, and /api/health answers while they are matched', async () => {
    expect(ADDRESS).toHaveLength(80);
    const sessions = await Promise.all([0, 1, 2].map(() => openSmtp(sink().smtpPort)));
    try {
      for (const s of sessions) expect(await s.reply()).toBe('220 mailsink ESMTP ready');
      const replies = sessions.map(async (s) => {
        expect(await s.command('EHLO client.example')).toBe('250 SIZE 52428800');
        return [await s.command(`MAIL FROM:<${ADDRESS}>`), await s.command(`RCPT TO:<${ADDRESS}>`), await s.command(`RCPT TO:<${ADDRESS.replace(/a$/, 'b')}>`)];
      });
      const health = await fetch(`${sink().httpUrl}/api/health`);
      expect(health.status).toBe(200);
      for (const reply of await Promise.all(replies)) expect(reply).toEqual(['250 2.1.0 Accepted', '550 5.1.1 matched', '550 5.1.1 stars']);
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections.filter((r) => r.reply === '550 5.1.1 matched').map((r) => r.argument)).toEqual([ADDRESS, ADDRESS, ADDRESS]);
    expect(rejections).toHaveLength(6);
  });
});
