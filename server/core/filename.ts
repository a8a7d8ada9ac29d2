import libmime from 'libmime';

/** Longest safe file name we hand out, in UTF-16 code units (well under every filesystem's 255-byte limit once UTF-8 encoded for typical names). */
const MAX_NAME_LENGTH = 120;

/**
 * Makes a name taken from a message safe to use in a `Content-Disposition` header or as a file
 * name: drops any directory part (`/`, `\`), control characters (CR, LF, NUL …), quotes and the
 * characters Windows forbids (`<>:"|?*`), collapses white space, strips leading dots, and bounds the
 * length while keeping the extension. Never returns `""`, `.` or `..`.
 *
 * @param name - Name as declared by the message (may be hostile), or `null`.
 * @param fallbackBase - Base name used when nothing usable is left (e.g. `part-1.2`).
 * @param contentType - Media type used to pick an extension for the fallback (e.g. `text/calendar` → `.ics`).
 * @returns A non-empty name such as `notes.txt`.
 */
export function safeFilename(name: string | null | undefined, fallbackBase: string, contentType: string): string {
  const lastSegment = (name ?? '').split(/[/\\]/).pop() ?? '';
  let cleaned = lastSegment
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/["<>:|?*`]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (cleaned.length > MAX_NAME_LENGTH) cleaned = shorten(cleaned);
  if (cleaned === '') return `${fallbackBase}.${extensionFor(contentType)}`;
  return cleaned;
}

/** Report parts (RFC 3464, 6533, 8098, 5965, 6522): text files that libmime knows no extension for. */
const REPORT_TEXT = /^(message\/(global-)?(delivery-status|disposition-notification|headers)|message\/feedback-report|text\/rfc822-headers)$/;

/** Picks a file extension (without dot) for a media type, `bin` when unknown. */
export function extensionFor(contentType: string): string {
  if (REPORT_TEXT.test(contentType)) return 'txt';
  if (contentType === 'message/global') return 'u8msg';
  return libmime.detectExtension(contentType) || 'bin';
}

function shorten(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  return Array.from(name.slice(0, name.length - ext.length)).slice(0, MAX_NAME_LENGTH - ext.length).join('').trimEnd() + ext;
}
