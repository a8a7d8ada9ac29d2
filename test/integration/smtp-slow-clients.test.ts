/**
 * Clients that hold connections without finishing anything: `--idle-timeout` counts from the last
 * complete line, so a command line (or a message line in DATA) that trickles in a byte at a time is
 * cut off with `421 4.4.2` (smtp-server's own timeout restarts on every byte, and the drip below
 * would hold the connection for ever); `--max-connections-per-address` caps what one client address
 * holds (`421 4.7.0`, recorded as a rejection). The drip goes on until the server answers, so
 * without the fix the reply never comes and the test fails on its reply timeout.
 */
import { describe, expect, it } from 'vitest';
import type { RejectionList } from '../../server/http/faults-routes.js';
import { api, useSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';
import type { SmtpSession } from '../helpers/smtp-session.js';

const IDLE = '421 4.4.2 Idle timeout, closing connection';

async function greeted(port: number, localAddress?: string): Promise<SmtpSession> {
  const session = await openSmtp(port, localAddress ? { localAddress } : {});
  expect(await session.reply()).toBe('220 mailsink ESMTP ready');
  return session;
}

/** Writes `text` one byte at a time, a byte every `everyMs`, until the server answers; resolves with that reply and the bytes sent. */
async function drip(session: SmtpSession, text: string, everyMs: number): Promise<{ reply: string | null; sent: number }> {
  let sent = 0;
  const timer = setInterval(() => {
    void session.write(text[sent % text.length]!);
    sent++;
  }, everyMs);
  try {
    return { reply: await session.reply(30_000), sent };
  } finally {
    clearInterval(timer);
  }
}

describe('--idle-timeout counts from the last complete line', () => {
  const sink = useSink({ idleTimeoutMs: 400 });

  it('a command line sent a byte at a time is cut off with 421 4.4.2 and the connection closed', async () => {
    const session = await greeted(sink().smtpPort);
    try {
      expect(await session.command('EHLO client.example')).toBe('250 SIZE 52428800');
      const { reply, sent } = await drip(session, 'MAIL FROM:<slow@example.com> '.repeat(100), 40);
      expect(reply).toBe(IDLE);
      expect(sent).toBeGreaterThan(0);
      await session.waitClosed();
    } finally {
      await session.close();
    }
  });

  it('a message line sent a byte at a time during DATA is cut off the same way; nothing is stored', async () => {
    const session = await greeted(sink().smtpPort);
    try {
      for (const [command, reply] of [
        ['EHLO client.example', '250 SIZE 52428800'],
        ['MAIL FROM:<slow@example.com>', '250 2.1.0 Accepted'],
        ['RCPT TO:<rcpt@example.org>', '250 2.1.5 Accepted'],
        ['DATA', '354 End data with <CR><LF>.<CR><LF>'],
      ]) expect(await session.command(command!)).toBe(reply);
      await session.write('Subject: drip\r\n\r\n');
      expect((await drip(session, 'x'.repeat(10_000), 40)).reply).toBe(IDLE);
      await session.waitClosed();
    } finally {
      await session.close();
    }
    expect((await api<{ total: number }>(sink(), '/api/messages')).total).toBe(0);
  });
});

describe('--idle-timeout does not run while mailsink owes the reply', () => {
  const sink = useSink({ idleTimeoutMs: 300, faults: [{ stage: 'rcptTo', match: { rcptTo: 'slow@example.org' }, delayMs: 1_500 }] });

  it('a fault rule delaying RCPT TO past the idle timeout still gets its 250, and the session goes on', async () => {
    const session = await greeted(sink().smtpPort);
    try {
      expect(await session.command('EHLO client.example')).toBe('250 SIZE 52428800');
      expect(await session.command('MAIL FROM:<a@example.com>')).toBe('250 2.1.0 Accepted');
      expect(await session.command('RCPT TO:<slow@example.org>')).toBe('250 2.1.5 Accepted');
      expect(await session.command('QUIT')).toBe('221 2.0.0 Bye');
    } finally {
      await session.close();
    }
  });
});

describe('--max-connections-per-address', () => {
  const sink = useSink({ maxConnections: 10, maxConnectionsPerAddress: 2 });

  it('refuses a third connection from one address with 421 4.7.0 and closes it; other addresses still get in', async () => {
    const held = [await greeted(sink().smtpPort, '127.0.0.21'), await greeted(sink().smtpPort, '127.0.0.21')];
    const third = await openSmtp(sink().smtpPort, { localAddress: '127.0.0.21' });
    const other = await greeted(sink().smtpPort, '127.0.0.22');
    try {
      expect(await third.reply()).toBe('421 4.7.0 Too many connections from your address');
      await third.waitClosed();
      expect(await other.command('NOOP')).toBe('250 2.0.0 OK');
      expect(await held[0]!.command('QUIT')).toBe('221 2.0.0 Bye');
      const again = await greeted(sink().smtpPort, '127.0.0.21');
      expect(await again.command('QUIT')).toBe('221 2.0.0 Bye');
    } finally {
      await Promise.all([...held, third, other].map((s) => s.close()));
    }
    const { rejections } = await api<RejectionList>(sink(), '/api/rejections');
    expect(rejections.map((r) => [r.stage, r.ruleId, r.reply, r.argument])).toEqual([['connect', null, '421 4.7.0 Too many connections from your address', '127.0.0.21']]);
  });
});
