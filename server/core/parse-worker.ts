/**
 * Worker-thread entry of the parse pool: parses messages and extracts parts off the main thread,
 * so SMTP sessions and the REST API keep answering while a large message is parsed.
 * Protocol: `{ id, op: 'parse', raw }` → `{ id, result: ParseResult }`; `{ id, op: 'facts', raw }` →
 * `{ id, result: MessageFacts }` (small: no bodies cross back); `{ id, op: 'extract', raw, partId }` →
 * `{ id, result: ExtractedPart | null }`; failures → `{ id, error }`. `raw` may be backed by a
 * `SharedArrayBuffer`, in which case it is read in place, not copied.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { extractPart, factsOf, parseMessage } from './parse.js';
import type { ExtractedPart, MessageFacts, ParseResult } from './parse.js';

/** A request to the worker. */
export type ParseRequest =
  | { id: number; op: 'parse' | 'facts'; raw: Uint8Array }
  | { id: number; op: 'extract'; raw: Uint8Array; partId: string };

/**
 * Parsing is background work: the worker lowers its own thread's scheduling priority (Linux: a
 * thread is a task with its own nice value, found through `/proc/thread-self`), so on a busy
 * machine SMTP sessions and the REST API on the main thread come first and parsing uses the CPU
 * they leave. Elsewhere, or when not permitted, it runs at normal priority.
 */
function lowerPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // not Linux, or not allowed: normal priority
  }
}

const { nice } = (workerData ?? {}) as { nice?: number };
if (typeof nice === 'number' && nice > 0) lowerPriority(nice);

parentPort?.on('message', (request: ParseRequest) => {
  const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
  const work: Promise<ParseResult | MessageFacts | ExtractedPart | null> =
    request.op === 'extract' ? extractPart(raw, request.partId) : request.op === 'facts' ? parseMessage(raw).then(factsOf) : parseMessage(raw);
  work.then(
    (result) => {
      const transfer = result && 'content' in result && result.content instanceof Uint8Array ? [result.content.buffer as ArrayBuffer] : [];
      parentPort!.postMessage({ id: request.id, result }, transfer);
    },
    (err: unknown) => parentPort!.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
