/**
 * A body that the MIME parser could not cut into parts (a multipart without a `boundary`
 * parameter, or whose boundary never occurs) yields no text, no HTML and no part: rather than an
 * empty message, the body is shown as text and the reason is given as the `parseError`.
 */
import { decodeBytes } from './charsets.js';
import { bodyOffset } from './line-endings.js';

/** A root `Content-Type` as mailparser gives it (value lowercased, parameters decoded). */
export interface ContentTypeValue {
  value?: string;
  params?: Record<string, string>;
}

/** The body shown instead of nothing, and why. */
export interface FallbackBody {
  text: string;
  /** `null` when nothing is wrong (a message without a header/body separator, typed in telnet). */
  problem: string | null;
}

/**
 * What to show for a message from which the parser extracted nothing.
 * @param raw - The message as stored; `input` the same with CRLF line ends (see `normaliseLineEndings`).
 * @returns `null` when the body is empty or blank (nothing was lost).
 */
export function fallbackBody(raw: Buffer, input: Buffer, contentType: ContentTypeValue | undefined): FallbackBody | null {
  const offset = bodyOffset(input);
  if (offset === -1) return { text: raw.toString('utf8').replace(/\r+\n/g, '\n'), problem: null };
  const body = input.subarray(offset);
  const problem = lostBody(body.toString('latin1'), contentType);
  if (problem === null) return null;
  const text = decodeBytes(body, contentType?.params?.charset).replace(/\r\n/g, '\n');
  return { text, problem: `${problem}: the body is shown as text` };
}

/** Why a non-blank body yielded nothing, or `null` when its parts hold nothing but blank lines. */
function lostBody(body: string, contentType: ContentTypeValue | undefined): string | null {
  if (body.trim() === '') return null;
  const type = (contentType?.value ?? 'text/plain').split(/[\s;]/)[0]!;
  if (!type.startsWith('multipart/')) return `no MIME part of the ${type} message could be read`;
  const boundary = contentType?.params?.boundary;
  if (!boundary) return `${type} without a boundary parameter`;
  const lines = body.split('\r\n');
  const delimiter = `--${boundary}`;
  const first = lines.findIndex((line) => line.startsWith(delimiter));
  if (first === -1) return `${type} boundary ${JSON.stringify(boundary)} never occurs`;
  // The preamble and the epilogue are not content (RFC 2046 §5.1.1); delimiter lines neither.
  const close = lines.findIndex((line, i) => i >= first && line.trimEnd() === `${delimiter}--`);
  const parts = lines.slice(first, close === -1 ? undefined : close).filter((line) => !line.startsWith(delimiter));
  return parts.join('').trim() === '' ? null : `no MIME part of the ${type} message could be read`;
}
