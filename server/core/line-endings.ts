/** Line endings as the parser needs them; the stored raw bytes are never changed. */

/**
 * Rewrites line endings for parsing: every run of CRs followed by LF, and every bare LF, becomes
 * CRLF (mailparser 3.14 loses the body on `\r\r\n`). Bare CRs not followed by LF are kept.
 * Returns the input itself when nothing needs changing.
 */
export function normaliseLineEndings(raw: Buffer): Buffer {
  if (!needsNormalising(raw)) return raw;
  const out = Buffer.allocUnsafe(raw.length * 2);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte === 0x0d) {
      let j = i;
      while (j < raw.length && raw[j] === 0x0d) j++;
      if (raw[j] === 0x0a) {
        out[o++] = 0x0d;
        out[o++] = 0x0a;
        i = j;
        continue;
      }
    } else if (byte === 0x0a) {
      out[o++] = 0x0d;
    }
    out[o++] = byte;
  }
  return out.subarray(0, o);
}

function needsNormalising(raw: Buffer): boolean {
  for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
    if (i === 0 || raw[i - 1] !== 0x0d || (i >= 2 && raw[i - 2] === 0x0d)) return true;
  }
  return false;
}

/** Offset of the body (after the blank line ending the header section) in CRLF input, or -1 without one. */
export function bodyOffset(input: Buffer): number {
  if (input.subarray(0, 2).equals(Buffer.from('\r\n'))) return 2;
  const blank = input.indexOf('\r\n\r\n');
  return blank === -1 ? -1 : blank + 4;
}
