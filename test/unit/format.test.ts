/**
 * The inbox's list formatting: which form a received time takes (time of day today, weekday and
 * time in the six days before, month and day this year, with the year before that), and which
 * recipient a row shows (the To header's, or the envelope's when the header names none of them).
 */
import { describe, expect, it } from 'vitest';
import { formatListTime, recipientLabel } from '../../ui/src/format.js';

const NOW = new Date(2026, 11, 4, 13, 20, 0); // Fri 4 Dec 2026, 13:20 local time
const local = (...parts: [number, number, number, number, number]) => new Date(...parts).toISOString();
const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const yearDay = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

describe('formatListTime', () => {
  it('shows the time of day for today, from midnight on', () => {
    expect(formatListTime(local(2026, 11, 4, 0, 0), NOW)).toBe(time.format(new Date(2026, 11, 4, 0, 0)));
    expect(formatListTime(local(2026, 11, 4, 12, 39), NOW)).toBe(time.format(new Date(2026, 11, 4, 12, 39)));
    expect(formatListTime(local(2026, 11, 4, 12, 39), NOW)).not.toMatch(/Dec|Fri/);
  });

  it('shows weekday and time for yesterday up to six days back', () => {
    const yesterday = new Date(2026, 11, 3, 23, 59);
    expect(formatListTime(yesterday.toISOString(), NOW)).toBe(weekday.format(yesterday));
    expect(formatListTime(yesterday.toISOString(), NOW)).toMatch(/^Thu/);
    const sixBack = new Date(2026, 10, 28, 14, 5);
    expect(formatListTime(sixBack.toISOString(), NOW)).toBe(weekday.format(sixBack));
    expect(formatListTime(sixBack.toISOString(), NOW)).toMatch(/^Sat/);
  });

  it('shows month and day from seven days back in this year, with the year before it or in the future', () => {
    const sevenBack = new Date(2026, 10, 27, 9, 0);
    expect(formatListTime(sevenBack.toISOString(), NOW)).toBe(day.format(sevenBack));
    expect(formatListTime(local(2026, 0, 1, 0, 0), NOW)).toBe(day.format(new Date(2026, 0, 1)));
    const lastYear = new Date(2025, 11, 31, 23, 0);
    expect(formatListTime(lastYear.toISOString(), NOW)).toBe(yearDay.format(lastYear));
    expect(formatListTime(lastYear.toISOString(), NOW)).toContain('2025');
    const tomorrow = new Date(2026, 11, 5, 8, 0);
    expect(formatListTime(tomorrow.toISOString(), NOW)).toBe(yearDay.format(tomorrow));
  });

  it('gives "" for a time that does not parse', () => {
    expect(formatListTime('not a date', NOW)).toBe('');
  });
});

describe('recipientLabel', () => {
  const dev = { name: 'Dev Team', address: 'dev@example.org' };
  const qa = { name: '', address: 'qa@example.org' };

  it('names the first To recipient and counts the others', () => {
    expect(recipientLabel({ to: [dev, qa], cc: [], envelope: { mailFrom: 'a@example.com', rcptTo: ['dev@example.org', 'qa@example.org'] } })).toEqual({
      text: 'Dev Team',
      more: 1,
      viaEnvelope: false,
      title: 'Dev Team <dev@example.org>, qa@example.org',
    });
    expect(recipientLabel({ to: [qa], cc: [], envelope: { mailFrom: '', rcptTo: ['QA@example.org'] } })).toEqual({ text: 'qa@example.org', more: 0, viaEnvelope: false, title: 'qa@example.org' });
  });

  it('counts Bcc recipients of the envelope as more', () => {
    expect(recipientLabel({ to: [dev], cc: [], envelope: { mailFrom: '', rcptTo: ['dev@example.org', 'audit@example.net'] } }).more).toBe(1);
  });

  it('names the envelope recipient when the headers name none of the envelope recipients', () => {
    expect(recipientLabel({ to: [{ name: 'List', address: 'list@example.org' }], cc: [], envelope: { mailFrom: '', rcptTo: ['hidden@example.net', 'b@example.net'] } })).toEqual({
      text: 'hidden@example.net',
      more: 1,
      viaEnvelope: true,
      title: 'hidden@example.net, b@example.net',
    });
    expect(recipientLabel({ to: [], cc: [], envelope: { mailFrom: '', rcptTo: ['only@example.net'] } })).toMatchObject({ text: 'only@example.net', viaEnvelope: true });
  });

  it('matches a Cc address in the envelope as the header naming it', () => {
    expect(recipientLabel({ to: [dev], cc: [qa], envelope: { mailFrom: '', rcptTo: ['qa@example.org'] } })).toMatchObject({ text: 'Dev Team', viaEnvelope: false });
  });

  it('gives null when there is no recipient at all', () => {
    expect(recipientLabel({ to: [], cc: [], envelope: { mailFrom: '', rcptTo: [] } })).toEqual({ text: null, more: 0, viaEnvelope: false, title: '' });
  });
});
