/** The CLI's log sink (server/log.ts): the lines of one event-loop turn leave as one chunk, in order. */
import { describe, expect, it } from 'vitest';
import { batchedLineSink, createLogger } from '../../server/log.js';

describe('batchedLineSink', () => {
  it('writes the lines of one turn as one newline-terminated chunk at the end of the turn', async () => {
    const chunks: string[] = [];
    const log = createLogger(batchedLineSink((chunk) => chunks.push(chunk)), 'smtp');
    log.info('stored a (10 bytes)');
    log.warn('second');
    expect(chunks).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z info \[smtp\] stored a \(10 bytes\)\n\S+ warn \[smtp\] second\n$/);
    log.error('next turn');
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toMatch(/ error \[smtp\] next turn\n$/);
  });
});
