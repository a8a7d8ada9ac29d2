/**
 * mboxrd export (RFC 4155 and the `mboxrd` variant of the `mbox(5)` family): each message is a
 * `From ` separator line, its raw bytes with CRLF turned into LF and every line matching `>*From `
 * quoted with one more `>`, and a blank line. Readers (mutt, Thunderbird's ImportExportTools, Python's
 * `mailbox.mbox`) split on `From ` at the start of a line and unquote one `>`.
 */
import type { StoredMessage } from './store.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** C `asctime()` form in UTC, as in a `From ` line: `Fri Dec  4 13:20:05 2026` (day of month space-padded). */
export function asctimeUtc(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${date.getUTCFullYear()}`;
}

/** The `From ` separator line (with its LF): envelope sender, `MAILER-DAEMON` for the null sender `<>`. */
export function mboxFromLine(message: Pick<StoredMessage, 'envelope' | 'receivedAt'>): string {
  const sender = message.envelope.mailFrom.replace(/\s+/g, '') || 'MAILER-DAEMON';
  return `From ${sender} ${asctimeUtc(new Date(message.receivedAt))}\n`;
}

/**
 * One message as an mboxrd entry: separator line, raw bytes (CRLF → LF, `>*From ` lines quoted),
 * a final LF if missing, then a blank line. Bytes other than line ends are kept exactly.
 */
export function mboxEntry(message: Pick<StoredMessage, 'envelope' | 'receivedAt' | 'raw'>): Buffer {
  const body = message.raw
    .toString('latin1')
    .replace(/\r\n/g, '\n')
    .replace(/^(>*From )/gm, '>$1');
  const text = `${mboxFromLine(message)}${body}${body.endsWith('\n') ? '' : '\n'}\n`;
  return Buffer.from(text, 'latin1');
}

/** Messages as one mboxrd file, in the order given. */
export function toMbox(messages: Iterable<Pick<StoredMessage, 'envelope' | 'receivedAt' | 'raw'>>): Buffer {
  return Buffer.concat([...messages].map(mboxEntry));
}
