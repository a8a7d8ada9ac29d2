/**
 * The idle clock's bookkeeping under fake timers (the real-socket behaviour is in
 * test/integration/smtp-slow-clients.test.ts): it runs only while the client owes a line, pipelined
 * commands keep it stopped until the last is answered, and DATA restarts it per complete line only.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleClock } from '../../server/smtp/idle-clock.js';

describe('IdleClock', () => {
  let idle: string[];
  let clock: IdleClock;
  beforeEach(() => {
    vi.useFakeTimers();
    idle = [];
    clock = new IdleClock(1_000, (id) => idle.push(id));
    clock.open('s');
  });
  afterEach(() => vi.useRealTimers());

  it('starts with the greeting and runs out once', () => {
    vi.advanceTimersByTime(5_000);
    expect(idle).toEqual([]); // no reply yet: mailsink has not greeted
    clock.reply('s');
    vi.advanceTimersByTime(999);
    expect(idle).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(idle).toEqual(['s']);
    vi.advanceTimersByTime(5_000);
    expect(idle).toEqual(['s']);
  });

  it('stops while commands wait for replies (pipelined: until the last one is answered)', () => {
    clock.reply('s');
    clock.command('s');
    clock.command('s');
    vi.advanceTimersByTime(3_000);
    clock.reply('s');
    vi.advanceTimersByTime(3_000);
    expect(idle).toEqual([]);
    clock.reply('s');
    vi.advanceTimersByTime(1_000);
    expect(idle).toEqual(['s']);
  });

  it('in DATA, only chunks that complete a line restart it; the end of DATA stops it until the reply', () => {
    clock.reply('s'); // 354
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(900);
      clock.data('s', Buffer.from('line\r\n'));
    }
    expect(idle).toEqual([]);
    clock.data('s', Buffer.from('par'));
    vi.advanceTimersByTime(900);
    clock.data('s', Buffer.from('tial'));
    vi.advanceTimersByTime(100);
    expect(idle).toEqual(['s']);

    clock.open('t');
    clock.reply('t');
    clock.data('t', Buffer.from('.\r\n'));
    clock.dataEnd('t');
    vi.advanceTimersByTime(10_000);
    expect(idle).toEqual(['s']);
  });

  it('ignores sessions that are closed or were never opened', () => {
    clock.reply('s');
    clock.close('s');
    clock.reply('s');
    clock.reply('other');
    vi.advanceTimersByTime(10_000);
    expect(idle).toEqual([]);
  });
});
