/**
 * Metadata (and on request the bytes) of the non-body parts mailparser streams out, and of the
 * uuencoded files found in a text body. Contents are hashed and counted while streaming and kept
 * only when asked for.
 */
import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import libmime from 'libmime';
import type { AttachmentMeta } from '../contract.js';
import { safeFilename } from './filename.js';
import { isUuencoding, uudecodePart } from './uuencode.js';
import type { UuFile } from './uuencode.js';

/** Attachment metadata as parsed, before the HTTP layer adds its `url`. */
export type PartMeta = Omit<AttachmentMeta, 'url'>;

/** The fields of a mailparser `AttachmentStream` read here. */
export interface AttachmentLike {
  partId?: string | null;
  contentType: string;
  contentDisposition?: string;
  filename?: string;
  cid?: string;
  related?: boolean;
  size?: number;
  checksum?: string;
  headers: Map<string, unknown>;
  content: EventEmitter;
}

/** What {@link collectMeta} produced: the metadata, and the decoded bytes when they were asked for. */
export interface CollectedMeta {
  part: PartMeta;
  content: Buffer | null;
}

/**
 * The part path of an attachment (IMAP style, RFC 3501 §6.4.5): mailparser has none for the body
 * of a single-part message, which is part `"1"`.
 */
export function partIdOf(attachment: Pick<AttachmentLike, 'partId'>, index: number): string {
  return attachment.partId ?? String(index + 1);
}

/**
 * Reads one attachment stream to its end, recording size and sha256; keeps the bytes only when
 * `keep` is set. A part sent with `Content-Transfer-Encoding: x-uuencode` is uudecoded (mailparser
 * passes it through), so its size, hash and bytes are those of the file.
 */
export function collectMeta(attachment: AttachmentLike, parts: PartMeta[], keep: boolean): Promise<CollectedMeta> {
  const uuencoded = isUuencoding(attachment.headers.get('content-transfer-encoding'));
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    attachment.content.on('data', (chunk: Buffer) => {
      if (keep || uuencoded) chunks.push(chunk);
    });
    attachment.content.on('error', reject);
    attachment.content.on('end', () => {
      const part = partMeta(attachment, parts.length);
      let content: Buffer | null = keep || uuencoded ? Buffer.concat(chunks) : null;
      if (uuencoded && content) {
        const decoded = uudecodePart(content);
        Object.assign(part, { sizeBytes: decoded.length, sha256: createHash('sha256').update(decoded).digest('hex') });
        content = decoded;
      }
      parts.push(part);
      resolve({ part, content: keep ? content : null });
    });
  });
}

function partMeta(attachment: AttachmentLike, index: number): PartMeta {
  const partId = partIdOf(attachment, index);
  const declared = attachment.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const contentType = (declared?.value || attachment.contentType || 'application/octet-stream').toLowerCase();
  const disposition = (attachment.contentDisposition ?? '').toLowerCase();
  const filename = attachment.filename ?? null;
  const contentId = attachment.cid || null;
  return {
    partId,
    filename,
    safeFilename: safeFilename(filename, `part-${partId}`, contentType),
    contentType,
    contentTypeParams: { ...(declared?.params ?? {}) },
    contentId,
    disposition: disposition === 'attachment' || disposition === 'inline' ? disposition : null,
    inline: Boolean(attachment.related) || (disposition === 'inline' && contentId !== null),
    sizeBytes: attachment.size ?? 0,
    sha256: attachment.checksum ?? '',
  };
}

/** Part id of the n-th (1-based) uuencoded file found in the text body: `uu-1`, `uu-2` … */
export function uuPartId(n: number): string {
  return `uu-${n}`;
}

/** Metadata of a uuencoded file from the text body (type guessed from its name). */
export function uuPartMeta(file: UuFile, n: number): PartMeta {
  const partId = uuPartId(n);
  const contentType = libmime.detectMimeType(file.filename) || 'application/octet-stream';
  return {
    partId,
    filename: file.filename,
    safeFilename: safeFilename(file.filename, `part-${partId}`, contentType),
    contentType,
    contentTypeParams: {},
    contentId: null,
    disposition: 'attachment',
    inline: false,
    sizeBytes: file.content.length,
    sha256: createHash('sha256').update(file.content).digest('hex'),
  };
}
