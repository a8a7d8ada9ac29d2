/** Splitting SMTP replies off a socket, shared by the raw-socket test clients. */

/** `250-…` style continuation line of a multi-line reply (RFC 5321 §4.2.1). */
export function isContinuation(line: string): boolean {
  return /^\d{3}-/.test(line);
}

/**
 * Makes a `data` handler that buffers socket chunks and calls `onLine` for every complete reply line
 * (without CRLF, continuation lines included). `onLine` returning `false` stops handling the rest of
 * the current chunk (the caller is done with the socket). An unterminated tail longer than
 * `maxPendingChars` is dropped, to keep the buffer bounded against a peer that never ends a line.
 */
export function replyLineSplitter(onLine: (line: string) => boolean | void, encoding: BufferEncoding = 'utf8', maxPendingChars = Infinity): (chunk: Buffer) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.toString(encoding);
    let end: number;
    while ((end = buffer.indexOf('\r\n')) !== -1) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (onLine(line) === false) return;
    }
    if (buffer.length > maxPendingChars) buffer = '';
  };
}
