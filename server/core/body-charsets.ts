/**
 * Text and HTML bodies whose charset is not declared (or not known), decoded as a careful mail
 * client does instead of as UTF-8 with U+FFFD for every other byte: HTML by the charset its own
 * `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` declares (the
 * HTML Living Standard's prescan, §13.2.3.2; an XHTML `<?xml encoding>` too), else (and for plain
 * text) by a byte order mark, else UTF-8 when the bytes are valid UTF-8, else windows-1252. A
 * charset in the MIME header always wins over the meta.
 *
 * mailparser 3.14 decodes a part without `charset` as UTF-8 before anyone sees its bytes, so this
 * hooks two of its internals on one parser instance (the version is pinned; the case tests and
 * `test/unit/body-charsets.test.ts` fail if an upgrade moves them).
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { decodeBytes, decodeUndeclared, isKnownCharset } from './charsets.js';

/** The parts of a mailparser `MailParser` instance this module adjusts. */
export interface TextDecodingInternals {
  createNode(node: unknown): { contentType?: string; charset?: string; decoder?: unknown };
  decoder: { decodeStream(charset: string): unknown };
}

const UNDECLARED_HTML = 'x-mailsink-undeclared-html';
const UNDECLARED_TEXT = 'x-mailsink-undeclared-text';
/** How far into an HTML body a `<meta>` charset declaration is looked for, in bytes. */
const META_SCAN_BYTES = 8192;

/**
 * The charset an HTML document declares in a `<meta>` element near its start, or `null`. A
 * UTF-16 declaration means UTF-8 (the bytes were read as ASCII to find it, HTML §13.2.3.2).
 */
export function metaCharset(html: Buffer): string | null {
  const head = html.subarray(0, META_SCAN_BYTES).toString('latin1');
  const xml = /^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:()+-]+)["']/i.exec(head)?.[1];
  if (xml && isKnownCharset(xml)) return xml;
  const end = head.search(/<body[\s>]/i);
  for (const [tag] of (end === -1 ? head : head.slice(0, end)).matchAll(/<meta\b[^>]*>/gi)) {
    const charset = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:()+-]+)/i.exec(tag)?.[1];
    if (!charset) continue;
    if (/^utf-?16/i.test(charset)) return 'utf-8';
    if (isKnownCharset(charset)) return charset;
  }
  return null;
}

/** Decodes a whole body at its end (the meta declaration may come in any chunk), emitting UTF-8. */
class WholeBodyDecoder extends Transform {
  readonly #chunks: Buffer[] = [];
  readonly #html: boolean;

  constructor(html: boolean) {
    super();
    this.#html = html;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#chunks.push(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    const bytes = Buffer.concat(this.#chunks);
    const declared = this.#html ? metaCharset(bytes) : null;
    done(null, Buffer.from(declared ? decodeBytes(bytes, declared) : decodeUndeclared(bytes), 'utf8'));
  }
}

/**
 * Makes one parser decode undeclared-charset text and HTML bodies as described above, and bodies
 * in a charset nobody knows (`charset=unknown-8bit`) as undeclared ones.
 */
export function decodeUndeclaredCharsets(parser: TextDecodingInternals): void {
  const createNode = parser.createNode.bind(parser);
  parser.createNode = (node) => {
    const created = createNode(node);
    const type = created.contentType;
    if (created.decoder && !created.charset && (type === 'text/html' || type === 'text/plain')) {
      created.charset = type === 'text/html' ? UNDECLARED_HTML : UNDECLARED_TEXT;
    }
    return created;
  };
  const decoder = parser.decoder;
  parser.decoder = {
    decodeStream(charset: string) {
      if (charset === UNDECLARED_TEXT) return new WholeBodyDecoder(false);
      // An unknown charset (`unknown-8bit`) may belong to HTML: its <meta> is looked for as well.
      if (charset === UNDECLARED_HTML || !isKnownCharset(charset)) return new WholeBodyDecoder(true);
      return decoder.decodeStream(charset);
    },
  };
}
