/**
 * Case 12 (shared/cases/12-calendar-invite-alternative.md): a `text/calendar; method=REQUEST`
 * alternative next to text and HTML, plus an `invite.ics` attachment. The calendar part is exposed
 * as a part with its parameters and a downloadable `.ics` name; it never leaks into text or html.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { dispositionFilename, queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const EML = {
  eml: '12-calendar-invite-alternative.eml',
  sizeBytes: 1784,
  sha256: 'f3c15e3d75da9112c55006f56a8857147c86eefd09a5751ef2b9fe687d7ba60b',
};

describe('case 12: calendar invite in multipart/alternative', () => {
  const sink = useSink();

  it('keeps text and html clean and exposes the calendar part and invite.ics', async () => {
    const info = await sendRaw(sink(), { from: 'rita@example.com', to: ['omar@example.org'] }, readCaseEml(EML));
    expect(info.response).toMatch(/^250 /);
    const id = queuedId(info.response);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);

    expect(detail.envelope).toMatchObject({ mailFrom: 'rita@example.com', rcptTo: ['omar@example.org'] });
    expect(detail.text?.trim()).toBe('You are invited to Planning sync on Thursday at 13:00 UTC.');
    expect(detail.html?.trim()).toBe('<p>You are invited to <b>Planning sync</b> on Thursday at 13:00 UTC.</p>');
    expect(detail.text).not.toContain('BEGIN:VCALENDAR');
    expect(detail.html).not.toContain('BEGIN:VCALENDAR');
    expect(detail.attachments).toHaveLength(2);

    const calendar = detail.attachments.find((a) => a.contentType === 'text/calendar')!;
    expect(calendar).toMatchObject({
      contentTypeParams: { charset: 'utf-8', method: 'REQUEST' },
      sizeBytes: 374,
      sha256: 'b4e01ba4bee4437d6f84669ee02b1790e9163f669f17e64622fce4f694ecc057',
    });
    expect(calendar.safeFilename).toMatch(/\.ics$/);
    const calendarDownload = await fetchBytes(sink(), calendar.url);
    expect(calendarDownload.status).toBe(200);
    expect(sha256(calendarDownload.body)).toBe(calendar.sha256);
    const ics = calendarDownload.body.toString('utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain('UID:case12-planning-sync@example.com');
    expect(dispositionFilename(calendarDownload.headers.get('content-disposition'))).toMatch(/^[^/\\]+\.ics$/);
    expect(calendarDownload.headers.get('content-type')).toBe('text/calendar; charset=utf-8');

    const invite = detail.attachments.find((a) => a.filename === 'invite.ics')!;
    expect(invite).toMatchObject({
      contentType: 'application/ics',
      disposition: 'attachment',
      sizeBytes: 376,
      sha256: '021323512af82c8024324796d5f85b4025defb28eb4f3d81243c17228cadb7e6',
    });
    const inviteDownload = await fetchBytes(sink(), invite.url);
    expect(sha256(inviteDownload.body)).toBe(invite.sha256);
    expect(dispositionFilename(inviteDownload.headers.get('content-disposition'))).toBe('invite.ics');

    const raw = await fetchBytes(sink(), `/api/messages/${id}/raw`);
    expect(raw.body.length).toBe(EML.sizeBytes);
    expect(sha256(raw.body)).toBe(EML.sha256);
    expect(raw.body.toString('utf8').split('\r\n')).toContain('Content-Type: text/calendar; charset=utf-8; method=REQUEST');
  });
});
