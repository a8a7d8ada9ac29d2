/**
 * Hostile attachment names, end to end: sent over SMTP, listed in the message JSON, downloaded over
 * HTTP. Path parts (`../`, `C:\`), NUL, quotes, CR/LF (raw and inside encoded words), very long and
 * non-ASCII names never escape the `Content-Disposition` header (RFC 6266, with RFC 8187 `filename*`
 * for non-ASCII) and never carry a directory: what the browser saves is `safeFilename`.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { dispositionFilename } from '../helpers/cases.js';
import { api, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const b64word = (text: string) => `=?utf-8?B?${Buffer.from(text).toString('base64')}?=`;
const LONG = `${'long-name-'.repeat(40)}.txt`;

/** [what, Content-Disposition parameters as written in the message, the name mailsink keeps as `filename`]. */
const PARTS: [string, string, string][] = [
  ['dot-dot path', 'filename="../../etc/passwd"', '../../etc/passwd'],
  ['Windows path', 'filename="C:\\\\Windows\\\\System32\\\\evil.exe"', 'C:\\Windows\\System32\\evil.exe'],
  ['NUL', "filename*=utf-8''evil%00name.txt", 'evil\u0000name.txt'],
  ['quotes', 'filename="say \\"hi\\".txt"', 'say "hi".txt'],
  ['CR LF (RFC 2231)', "filename*=utf-8''line%0D%0ASet-Cookie%3A%20x%3D1.txt", 'line\r\nSet-Cookie: x=1.txt'],
  ['CR LF (encoded word)', `filename="${b64word('a\r\nContent-Type: text/html\r\n\r\n<script>x</script>.txt')}"`, 'a\r\nContent-Type: text/html\r\n\r\n<script>x</script>.txt'],
  ['very long', `filename="${LONG}"`, LONG],
  ['non-ASCII', "filename*=utf-8''r%C3%A9sum%C3%A9%20%E5%B1%A5%E6%AD%B4%E6%9B%B8.pdf", 'résumé 履歴書.pdf'],
  ['semicolon and equals', 'filename="a.txt; filename=evil.exe"', 'a.txt; filename=evil.exe'],
];

function message(): Buffer {
  const parts = PARTS.map(([what, params], index) =>
    [`--b`, `Content-Type: application/octet-stream`, `Content-Disposition: attachment; ${params}`, `Content-Transfer-Encoding: base64`, '', Buffer.from(`part ${index}: ${what}`).toString('base64')].join('\r\n'),
  );
  return Buffer.from(['From: a@example.com', 'To: b@example.org', 'Subject: hostile names', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'see attachments', ...parts, '--b--', ''].join('\r\n'));
}

describe('hostile attachment names', () => {
  const sink = useSink();

  it('are kept as declared in `filename`, made safe in `safeFilename`, and downloaded under the safe name only', async () => {
    const info = await sendRaw(sink(), { from: 'a@example.com', to: ['b@example.org'] }, message());
    const detail = await api<MessageDetail>(sink(), `/api/messages/${info.response.split(' ').pop()}`);
    expect(detail.attachments.map((a) => a.filename)).toEqual(PARTS.map(([, , name]) => name));

    for (const [index, [what]] of PARTS.entries()) {
      const attachment = detail.attachments[index]!;
      const safe = attachment.safeFilename;
      expect(safe, what).not.toMatch(/[/\\\u0000-\u001f\u007f"<>:|?*]/);
      expect(safe, what).not.toMatch(/^\./);
      expect(safe.length, what).toBeLessThanOrEqual(120);
      expect(safe, what).not.toBe('');

      const res = await fetch(sink().httpUrl + attachment.url);
      expect(res.status, what).toBe(200);
      expect(await res.text(), what).toBe(`part ${index}: ${what}`);
      expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
      const disposition = res.headers.get('content-disposition')!;
      // One disposition, one plain filename and at most one extended one: nothing was injected.
      expect(disposition.replace(/\\./g, ''), what).toMatch(/^attachment; filename=("[^"]*"|[^;"\s]+)(; filename\*=UTF-8''[\w%!'()*.~-]+)?$/);
      expect(dispositionFilename(disposition), what).toBe(safe);
    }
    const byWhat = Object.fromEntries(PARTS.map(([what], index) => [what, detail.attachments[index]!.safeFilename]));
    expect(byWhat).toMatchObject({ 'dot-dot path': 'passwd', 'Windows path': 'evil.exe', NUL: 'evilname.txt', 'non-ASCII': 'résumé 履歴書.pdf' });
    expect(byWhat['very long']!.endsWith('.txt')).toBe(true);
  });
});
