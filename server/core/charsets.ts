/**
 * Bytes → text in a declared (or undeclared) charset, the way a careful mail client decodes legacy
 * mail. Names are resolved as libmime resolves them (aliases such as `latin1`, `win-1252`,
 * `iso-8859-8-i`; `us-ascii` holding 8-bit bytes is read as windows-1252); the Japanese ISO-2022
 * charsets go through libmime (encoding-japanese), everything else through iconv-lite, UTF-7
 * (RFC 2152) included. A charset nobody knows is treated as undeclared.
 */
import iconv from 'iconv-lite';
import libmime from 'libmime';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
/** Charsets iconv-lite lacks that libmime decodes (through encoding-japanese). */
const JAPANESE = /^(jis|iso-?2022-?jp|eucjp)/i;

/**
 * Text of bytes without a declared charset: UTF-16 when they start with its byte order mark, else
 * UTF-8 when they are valid UTF-8 (ASCII included; a UTF-8 BOM is dropped), else windows-1252 (the
 * superset of ISO-8859-1 that browsers and mail clients read instead), so no byte becomes U+FFFD.
 */
export function decodeUndeclared(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes, 'utf-16be');
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return iconv.decode(bytes, 'windows-1252');
  }
}

/** The canonical name of a charset label (libmime's aliases; an RFC 2231 `*language` suffix dropped). */
export function normaliseCharset(label: string): string {
  return libmime.normalizeCharset(label.replace(/\*.*$/, '').trim());
}

/** Whether bytes declared in `label` can be decoded as such (otherwise they count as undeclared). */
export function isKnownCharset(label: string): boolean {
  const name = normaliseCharset(label);
  return JAPANESE.test(name) || iconv.encodingExists(name);
}

/**
 * Decodes bytes declared in `charset` (a MIME `charset` parameter or an encoded word's charset).
 * `UTF-7` is decoded (RFC 2152: `Fr+APY-sche` → `Frösche`); a missing or unknown charset falls
 * back to {@link decodeUndeclared}. Invalid sequences in a known multi-byte charset become U+FFFD.
 *
 * @param bytes - Bytes after transfer decoding (base64, quoted-printable, Q/B).
 * @param charset - Charset label as written, or `null`/`""` when none was declared.
 */
export function decodeBytes(bytes: Uint8Array, charset: string | null | undefined): string {
  if (!charset) return decodeUndeclared(bytes);
  const name = normaliseCharset(charset);
  if (/^utf-?8$/i.test(name)) return Buffer.from(bytes).toString('utf8');
  if (JAPANESE.test(name)) return libmime.decodeWord(name, 'B', Buffer.from(bytes).toString('base64'));
  if (!iconv.encodingExists(name)) return decodeUndeclared(bytes);
  return iconv.decode(bytes, name, { stripBOM: false });
}
