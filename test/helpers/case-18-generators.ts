/**
 * The deterministic message generators of case 18 (shared/cases/18-size-limit-huge-message.md),
 * ported byte for byte from its Python: `big_message(n_bytes)` and `fan_out(parts)`.
 */

const BIG_HEAD =
  'From: Big Sender <big@example.com>\r\nTo: <sink@example.org>\r\n' +
  'Subject: big attachment\r\nMIME-Version: 1.0\r\n' +
  'Content-Type: multipart/mixed; boundary="big-18"\r\n\r\n' +
  '--big-18\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n' +
  '--big-18\r\nContent-Type: application/octet-stream; name="blob.bin"\r\n' +
  'Content-Transfer-Encoding: base64\r\n' +
  'Content-Disposition: attachment; filename="blob.bin"\r\n\r\n';
const BIG_TAIL = '--big-18--\r\n';

/**
 * `big_message(n_bytes)`: a multipart message whose attachment `blob.bin` holds `blobBytes` bytes
 * `(i * 7 + 3) % 256`, base64 in 76-character CRLF lines (Python's `base64.encodebytes`).
 */
export function bigMessage(blobBytes: number): { message: Buffer; blob: Buffer } {
  const blob = Buffer.allocUnsafe(blobBytes);
  for (let i = 0; i < blobBytes; i++) blob[i] = (i * 7 + 3) % 256;
  const b64 = blob.toString('base64');
  const lines = Math.ceil(b64.length / 76);
  const message = Buffer.allocUnsafe(BIG_HEAD.length + b64.length + 2 * lines + BIG_TAIL.length);
  let offset = message.write(BIG_HEAD, 0, 'latin1');
  for (let i = 0; i < b64.length; i += 76) offset += message.write(`${b64.slice(i, i + 76)}\r\n`, offset, 'latin1');
  message.write(BIG_TAIL, offset, 'latin1');
  return { message, blob };
}

/** `fan_out(parts)`: a multipart/mixed message of `parts` empty sibling parts. */
export function fanOut(parts = 20_000): Buffer {
  const head =
    'From: Fan <fan@example.com>\r\nTo: <sink@example.org>\r\nSubject: many parts\r\n' +
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="f"\r\n\r\n';
  return Buffer.from(head + '--f\r\n\r\n'.repeat(parts) + '--f--\r\n', 'latin1');
}

/** sha256 of the case's Python generator output (run once with python3 3.11 while writing the tests). */
export const PYTHON_OUTPUT_SHA256 = {
  bigMessage9M: '685ee07c6c6ee7a432af6025f2b07e7a89155f872d9300138a6691a4aa7aa287',
  bigMessage22M: '4df6277172e2019014cdf8d1146ebf0083175fdd41a2fbf2da6bde16244cf17e',
  fanOut20000: '606c6672365878192dd429547d45c3d226c7afe37339e8e896067e7e3013a8c4',
} as const;
