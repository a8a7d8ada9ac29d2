/**
 * Case 01 (shared/cases/01-encoded-word-us-ascii-subject.md): a Subject made only of `us-ascii`
 * Q-encoded words, folded over two lines, must be decoded the same everywhere the API shows it.
 *
 * covered elsewhere: the inbox UI list row and detail header showing the same decoded subject
 * (UI/browser e2e feature).
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '../../server/contract.js';
import { queuedId, readCaseEml, sha256, toLf } from '../helpers/cases.js';
import { connectEvents } from '../helpers/events.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const SUBJECT = '[Tracker: Demo board, Issue#: 0004711]: crop thumbnail';
const EML = {
  eml: '01-encoded-word-us-ascii-subject.eml',
  sizeBytes: 414,
  sha256: 'c5a6a4c91db188c86c4c4bd4a5da1eb3c06649138fae7be13e11de7f814f3b22',
};

describe('case 01: subject of us-ascii Q-encoded words', () => {
  const sink = useSink();

  it('decodes subject and names identically in detail, list and WebSocket event', async () => {
    const eml = readCaseEml(EML);
    const events = await connectEvents(sink());
    try {
      const info = await sendRaw(sink(), { from: 'robot@example.com', to: ['dana@example.org'] }, eml);
      expect(info.response).toMatch(/^250 /);
      const id = queuedId(info.response);

      const event = await events.next('message.received');
      expect(event.message.id).toBe(id);
      expect(event.message.subject).toBe(SUBJECT);

      const list = await api<MessageList>(sink(), '/api/messages');
      expect(list.messages.map((m) => [m.id, m.subject])).toEqual([[id, SUBJECT]]);

      const detail = await api<MessageDetail>(sink(), `/api/messages/${id}`);
      expect(detail.subject).toBe(SUBJECT);
      expect(detail.from).toEqual([{ name: 'Ticket Robot', address: 'robot@example.com' }]);
      expect(detail.to).toEqual([{ name: 'Dana Example', address: 'dana@example.org' }]);
      expect(detail.envelope.mailFrom).toBe('robot@example.com');
      expect(detail.envelope.rcptTo).toEqual(['dana@example.org']);
      expect(toLf(detail.text ?? '')).toBe('Issue 0004711 moved to "Resolved".\n');
      expect(detail.html).toBeNull();

      const raw = await fetchBytes(sink(), `/api/messages/${id}/raw`);
      expect(raw.body.length).toBe(EML.sizeBytes);
      expect(sha256(raw.body)).toBe(EML.sha256);
    } finally {
      await events.close();
    }
  });

  it('search for "crop thumbnail" finds the message', async () => {
    const found = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent('crop thumbnail')}`);
    expect(found.messages.map((m) => m.subject)).toEqual([SUBJECT]);
    const missed = await api<MessageList>(sink(), `/api/messages?query=${encodeURIComponent('crop thumbnails')}`);
    expect(missed.total).toBe(0);
  });
});
