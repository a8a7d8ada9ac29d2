/**
 * Worker-thread entry of the parse pool: parses messages and extracts parts off the main thread,
 * so SMTP sessions and the REST API keep answering while a large message is parsed.
 * Protocol: `{ id, op: 'parse', raw }` → `{ id, result }`; `{ id, op: 'extract', raw, partId }` →
 * `{ id, result: ExtractedPart | null }`; failures → `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { extractPart, parseMessage } from './parse.js';

/** A request to the worker. */
export type ParseRequest = { id: number; op: 'parse'; raw: Uint8Array } | { id: number; op: 'extract'; raw: Uint8Array; partId: string };

parentPort?.on('message', (request: ParseRequest) => {
  const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
  const work = request.op === 'parse' ? parseMessage(raw) : extractPart(raw, request.partId);
  work.then(
    (result) => {
      const transfer = result && 'content' in result ? [result.content.buffer as ArrayBuffer] : [];
      parentPort!.postMessage({ id: request.id, result }, transfer);
    },
    (err: unknown) => parentPort!.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
