/**
 * Case 26 (shared/cases/26-format-flowed-qp-signature.md): `format=flowed` (RFC 3676) with
 * quoted-printable soft breaks (`=20`), quote marks, space-stuffing and a `-- ` signature line.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { queuedId, readCaseEml } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

describe('case 26: format=flowed with quoted-printable and a signature', () => {
  const sink = useSink();

  it('joins soft breaks after QP decoding, unstuffs, and keeps "-- " on its own line', async () => {
    const eml = readCaseEml({ eml: '26-format-flowed-qp-signature.eml', sizeBytes: 540, sha256: '6bf25984ac790460366616dd4cce7fcfd4e594262fb071af503afebb30416a9d' });
    const info = await sendRaw(sink(), { from: 'sender@example.com', to: ['rcpt@example.org'] }, eml);
    expect(info.response).toMatch(/^250 /);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);
    expect(detail.subject).toBe('Re: release notes');
    expect(detail.html).toBeNull();
    expect(detail.text?.replace(/\n$/, '')).toBe(
      'Hello team,\n\nThis paragraph was wrapped by the sending client at a short width and must be shown as one line by the reader.\n\n' +
        '> Quoted reply that the client also wrapped.\n\nFrom the archive: nothing changed.\n\nGrüße\n-- \nAda',
    );
    const raw = await fetchBytes(sink(), `/api/messages/${detail.id}/raw`);
    expect(raw.body.equals(eml)).toBe(true);
    expect(raw.body.toString('latin1')).toContain('--=20\r\n');
  });
});
