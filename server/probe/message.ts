/**
 * The one test message `mailsink probe --send` delivers, its DATA encoding (RFC 5321 §4.5.2
 * dot-stuffing, CRLF line ends, the final `.`) and the queue id a server names in its `250`.
 */
import { randomBytes } from 'node:crypto';

/** Builds a small plain-text message (RFC 5322) from the probe's envelope. */
export function probeMessage(options: { from: string; to: readonly string[]; ehloName: string; now?: Date }): Buffer {
  const now = options.now ?? new Date();
  const id = randomBytes(8).toString('hex');
  const domain = /^[A-Za-z0-9.-]+$/.test(options.ehloName) ? options.ehloName : 'mailsink.invalid';
  const lines = [
    `From: mailsink probe <${options.from}>`,
    `To: ${options.to.length > 0 ? options.to.map((address) => `<${address}>`).join(', ') : 'undisclosed-recipients:;'}`,
    `Subject: mailsink probe test message ${id}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <probe.${id}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    'This message was sent by `mailsink probe --send` to test this SMTP server.',
    'It can be deleted.',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** CRLF line ends, dot-stuffing, and the terminating `.` line. */
export function toDataPayload(message: Buffer): Buffer {
  const text = message.toString('latin1').replace(/\r?\n/g, '\r\n');
  const stuffed = text.replace(/^\./gm, '..');
  return Buffer.from(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1');
}

/**
 * The queue id in a `250` to DATA: `queued as X` (Postfix, mailsink, many others), `id=X` (Exim),
 * `<X> Message accepted`, or the last word that looks like an id. `null` when none is found.
 */
export function queueIdOf(line: string): string | null {
  const patterns = [/queued as\s+<?([A-Za-z0-9._@-]+)>?/i, /\bid=([A-Za-z0-9._-]+)/i, /^\d{3}[ -](?:\d\.\d+\.\d+\s+)?<([^>]+)>/, /\bOK\s+([A-Za-z0-9]{6,})\b/i];
  for (const pattern of patterns) {
    const match = pattern.exec(line);
    if (match) return match[1]!;
  }
  return null;
}
