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

/** Parses run at most this many at a time; the rest wait in order (on-demand reads before background facts). */
const CONCURRENCY = 2;
const urgent: ParseRequest[] = [];
const background: ParseRequest[] = [];
let running = 0;

/**
 * Starts queued work while below {@link CONCURRENCY}. Without this bound a burst of thousands of
 * queued messages would all start parsing at once and hold their parsers in memory together.
 */
function pump(): void {
  while (running < CONCURRENCY) {
    const request = urgent.shift() ?? background.shift();
    if (!request) return;
    running += 1;
    void handle(request).finally(() => {
      running -= 1;
      pump();
    });
  }
}

async function handle(request: ParseRequest): Promise<void> {
  const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
  try {
    const result: ParseResult | MessageFacts | ExtractedPart | null =
      request.op === 'extract' ? await extractPart(raw, request.partId) : request.op === 'facts' ? factsOf(await parseMessage(raw)) : await parseMessage(raw);
    const transfer = result && 'content' in result && result.content instanceof Uint8Array ? [result.content.buffer as ArrayBuffer] : [];
    parentPort!.postMessage({ id: request.id, result }, transfer);
  } catch (err) {
    parentPort!.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) });
  }
}

parentPort?.on('message', (request: ParseRequest) => {
  (request.op === 'facts' ? background : urgent).push(request);
  pump();
});
