/**
 * The transcript log's bounds: lines and characters per session, idle sessions kept, a character
 * budget over all of them, and eviction together with the store's messages.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../server/core/events.js';
import { LINE_OVERHEAD, TranscriptLog } from '../../server/core/transcripts.js';
import type { TranscriptLimits } from '../../server/core/transcripts.js';

const START = { remoteAddress: '127.0.0.1', remotePort: 40000, localPort: 1025, secure: false };
const LIMITS: TranscriptLimits = { maxIdleSessions: 3, maxChars: 100_000, maxLinesPerSession: 5, maxLineChars: 20 };

function session(log: TranscriptLog, id: string, lines = 2, close = true): void {
  log.open(id, START);
  for (let n = 0; n < lines; n++) log.record(id, n % 2 ? 'server' : 'client', `line ${n}`);
  if (close) log.close(id);
}

describe('transcript log', () => {
  it('records lines in order with their direction and time, and ends the session', () => {
    const log = new TranscriptLog(new EventBus(), LIMITS);
    log.open('s1', START);
    log.record('s1', 'server', '220 ready');
    log.record('s1', 'client', 'EHLO x');
    log.setSecure('s1');
    expect(log.get('s1')).toMatchObject({ id: 's1', endedAt: null, secure: true, localPort: 1025, messageIds: [], droppedLines: 0 });
    log.close('s1');
    const transcript = log.get('s1')!;
    expect(transcript.lines.map((l) => [l.direction, l.text])).toEqual([['server', '220 ready'], ['client', 'EHLO x']]);
    expect(transcript.lines.every((l) => Number.isInteger(l.offsetMs) && l.offsetMs >= 0)).toBe(true);
    expect(Date.parse(transcript.endedAt!)).toBeGreaterThanOrEqual(Date.parse(transcript.startedAt));
    log.record('unknown', 'client', 'ignored');
    expect(log.get('unknown')).toBeUndefined();
  });

  it('cuts long lines and counts lines past the per-session limit', () => {
    const log = new TranscriptLog(new EventBus(), LIMITS);
    log.open('s', START);
    log.record('s', 'client', 'x'.repeat(50));
    for (let n = 0; n < 9; n++) log.record('s', 'client', `n${n}`);
    const transcript = log.get('s')!;
    expect(transcript.lines[0]!.text).toBe(`${'x'.repeat(20)}… (30 more characters not kept)`);
    expect(transcript.lines).toHaveLength(5);
    expect(transcript.droppedLines).toBe(5);
  });

  it('keeps a session while a message of it is stored and drops it with the last one', () => {
    const events = new EventBus();
    const log = new TranscriptLog(events, LIMITS);
    log.open('s', START);
    log.attachMessage('s', 'm1');
    log.attachMessage('s', 'm2');
    log.close('s');
    expect(log.forMessage('m1')?.messageIds).toEqual(['m1', 'm2']);
    events.publish({ type: 'message.deleted', ids: ['m1'], reason: 'api' });
    expect(log.forMessage('m1')).toBeUndefined();
    expect(log.forMessage('m2')?.id).toBe('s');
    events.publish({ type: 'message.deleted', ids: ['m2'], reason: 'evicted' });
    expect(log.get('s')).toBeUndefined();
    expect(log.size).toBe(0);
    expect(log.chars).toBe(0);
  });

  it('keeps an open session whose messages were deleted until it ends, then as an idle one', () => {
    const events = new EventBus();
    const log = new TranscriptLog(events, LIMITS);
    log.open('s', START);
    log.attachMessage('s', 'm1');
    events.publish({ type: 'message.deleted', ids: ['m1'], reason: 'api' });
    expect(log.get('s')).toBeDefined();
    log.close('s');
    expect(log.get('s')?.messageIds).toEqual(['m1']);
  });

  it('keeps only the newest idle sessions, never an open one or one with a stored message', () => {
    const log = new TranscriptLog(new EventBus(), LIMITS);
    session(log, 'open', 1, false);
    log.open('with-message', START);
    log.attachMessage('with-message', 'm');
    log.close('with-message');
    for (let n = 1; n <= 5; n++) session(log, `idle-${n}`);
    expect(['open', 'with-message', 'idle-1', 'idle-2', 'idle-3', 'idle-4', 'idle-5'].filter((id) => log.get(id))).toEqual(['open', 'with-message', 'idle-3', 'idle-4', 'idle-5']);
  });

  it('holds at most maxChars characters, dropping the oldest closed sessions first', () => {
    const perSession = 2 * ('line 0'.length + LINE_OVERHEAD);
    const log = new TranscriptLog(new EventBus(), { ...LIMITS, maxIdleSessions: 1000, maxChars: perSession * 4 });
    log.open('first-open', START);
    for (let n = 1; n <= 10; n++) session(log, `s${n}`);
    expect(log.chars).toBeLessThanOrEqual(perSession * 4);
    expect(log.get('first-open')).toBeDefined();
    expect(log.get('s10')).toBeDefined();
    expect(['s6', 's7', 's8', 's9', 's10'].filter((id) => log.get(id))).toEqual(['s7', 's8', 's9', 's10']);
    expect(log.size).toBe(5);
  });

  it('an emptied store forgets every closed session; open ones go on', () => {
    const events = new EventBus();
    const log = new TranscriptLog(events, LIMITS);
    session(log, 'idle');
    session(log, 'open', 1, false);
    log.attachMessage('open', 'm-open');
    log.open('done', START);
    log.attachMessage('done', 'm-done');
    log.close('done');
    events.publish({ type: 'store.cleared' });
    expect([log.get('idle'), log.get('done'), log.forMessage('m-open')]).toEqual([undefined, undefined, undefined]);
    log.record('open', 'client', 'QUIT');
    log.close('open');
    expect(log.get('open')?.lines.at(-1)?.text).toBe('QUIT');
    log.stop();
  });
});
