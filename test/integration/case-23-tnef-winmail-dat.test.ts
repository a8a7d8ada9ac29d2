/**
 * Case 23 (shared/cases/23-tnef-winmail-dat.md): an Outlook TNEF `winmail.dat`
 * (`application/ms-tnef`) is listed and downloaded intact, not treated as text. (Unpacking TNEF is
 * optional in the case and not done.)
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

describe('case 23: TNEF winmail.dat', () => {
  const sink = useSink();

  it('lists winmail.dat with its exact bytes and serves them unchanged', async () => {
    const eml = readCaseEml({ eml: '23-tnef-winmail-dat.eml', sizeBytes: 729, sha256: '587e9da1ad4f9d1ee616b5e3f1d1d9ad4ec334b1f1a121fac21308a75ba62c65' });
    const info = await sendRaw(sink(), { from: 'sender@example.com', to: ['rcpt@example.org'] }, eml);
    expect(info.response).toMatch(/^250 /);
    const detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);
    expect(detail.subject).toBe('Quarterly report (Outlook rich text)');
    expect(detail.text?.trim()).toBe('See the attached report.');
    expect(detail.html).toBeNull();
    expect(detail.attachments[0]).toMatchObject({
      filename: 'winmail.dat',
      contentType: 'application/ms-tnef',
      disposition: 'attachment',
      sizeBytes: 102,
      sha256: '295d42bfbe2670a2a01e730bafda3ecdd4ebf92039943e94b16876a2c9db6842',
    });
    const download = await fetchBytes(sink(), detail.attachments[0]!.url);
    expect(download.status).toBe(200);
    expect(download.body.length).toBe(102);
    expect(sha256(download.body)).toBe('295d42bfbe2670a2a01e730bafda3ecdd4ebf92039943e94b16876a2c9db6842');
    expect(download.body.readUInt32LE(0)).toBe(0x223e9f78); // the TNEF signature
    const raw = await fetchBytes(sink(), `/api/messages/${detail.id}/raw`);
    expect(raw.body.equals(eml)).toBe(true);
  });
});
