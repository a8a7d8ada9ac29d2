/**
 * Hostile MIME structures for the reliability tests (the wide fan-out is case 18's `fanOut`).
 */

/**
 * A multipart/mixed message nested `depth` levels deep (boundaries `d0` … `d<depth-1>`), with one
 * text/plain part at the bottom that says `innermost`; every level is closed properly.
 */
export function nestedMultipart(depth: number): Buffer {
  const out: string[] = ['From: Deep <deep@example.com>\r\nTo: <sink@example.org>\r\nSubject: deep nesting\r\nMIME-Version: 1.0\r\n'];
  for (let level = 0; level < depth; level++) out.push(`Content-Type: multipart/mixed; boundary="d${level}"\r\n\r\n--d${level}\r\n`);
  out.push('Content-Type: text/plain\r\n\r\ninnermost\r\n');
  for (let level = depth - 1; level >= 0; level--) out.push(`--d${level}--\r\n`);
  return Buffer.from(out.join(''), 'latin1');
}

/** A message/rfc822 attachment that holds a message/rfc822 attachment … `depth` levels deep. */
export function nestedRfc822(depth: number): Buffer {
  const out: string[] = [];
  for (let level = 0; level < depth; level++) out.push(`From: <level-${level}@example.com>\r\nSubject: level ${level}\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n`);
  out.push('Subject: innermost\r\n\r\ninnermost\r\n');
  return Buffer.from(out.join(''), 'latin1');
}
