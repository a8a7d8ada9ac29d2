/**
 * Runs message parsing on worker threads (one per spare core, at least one), so parsing neither
 * blocks the event loop (a 30 MiB message takes about a second) nor competes with SMTP and HTTP for
 * the main thread. Falls back to parsing inline when the compiled worker is not available (running
 * from TypeScript sources without a build) or a worker dies.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { extractPart, factsOf, parseMessage } from './parse.js';
import type { ExtractedPart, MessageFacts, ParseResult } from './parse.js';
import type { ParseRequest } from './parse-worker.js';

/** Nice value of the parse threads (see `parse-worker.ts`): below SMTP and HTTP, still well above idle. */
const WORKER_NICE = 10;

/** Parses messages; see {@link createParsePool}. */
export interface ParsePool {
  /** Same contract as `parseMessage`: never rejects. */
  parse(raw: Buffer): Promise<ParseResult>;
  /** `factsOf(parseMessage(raw))`, computed where the parse runs so only the small facts travel back. */
  facts(raw: Buffer): Promise<MessageFacts>;
  /** Same contract as `extractPart`. */
  extract(raw: Buffer, partId: string): Promise<ExtractedPart | null>;
  /** Number of worker threads (0 when parsing inline). */
  readonly workers: number;
  /** Ends the workers; pending work is finished inline. */
  close(): Promise<void>;
}

type Pending = { resolve(value: unknown): void; fallback(): void };

/** A request without its id (distributed over the union). */
type RequestBody = ParseRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The compiled worker next to this module (`.js`), or the built one when running from `.ts` sources. */
function workerUrl(): URL | null {
  const here = new URL(import.meta.url);
  const candidates = here.pathname.endsWith('.ts')
    ? [new URL('../../dist/server/core/parse-worker.js', here)]
    : [new URL('./parse-worker.js', here)];
  return candidates.find((url) => existsSync(fileURLToPath(url))) ?? null;
}

/**
 * Starts a parse pool.
 * @param size - Worker threads; defaults to one per core but one, at least one. `0` parses inline.
 */
export function createParsePool(size = Math.max(1, availableParallelism() - 1)): ParsePool {
  const url = size > 0 ? workerUrl() : null;
  const workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  let nextId = 0;
  let closed = false;

  const spawn = (index: number) => {
    const worker = new Worker(url!, { workerData: { nice: WORKER_NICE } });
    const pending = new Map<number, Pending>();
    worker.on('message', (reply: { id: number; result?: unknown; error?: string }) => {
      const entry = pending.get(reply.id);
      pending.delete(reply.id);
      if (!entry) return;
      if (reply.error !== undefined) entry.fallback();
      else entry.resolve(reply.result);
    });
    const fail = () => {
      for (const entry of pending.values()) entry.fallback();
      pending.clear();
      if (!closed) workers[index] = spawn(index);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => code !== 0 && fail());
    worker.unref();
    return { worker, pending };
  };
  if (url) for (let i = 0; i < size; i++) workers.push(spawn(i));

  /** Sends to the least busy worker; inline when there is none. */
  function run<T>(request: RequestBody, inline: () => Promise<T>): Promise<T> {
    if (workers.length === 0 || closed) return inline();
    const target = workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = nextId++;
    return new Promise<T>((resolve) => {
      target.pending.set(id, { resolve: (value) => resolve(revive(value) as T), fallback: () => void inline().then(resolve) });
      target.worker.postMessage({ ...request, id });
    });
  }

  return {
    workers: workers.length,
    parse: (raw) => run({ op: 'parse', raw }, () => parseMessage(raw)),
    facts: (raw) => run({ op: 'facts', raw }, () => parseMessage(raw).then(factsOf)),
    extract: (raw, partId) => run({ op: 'extract', raw, partId }, () => extractPart(raw, partId)),
    async close() {
      closed = true;
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}

/** Structured clone turns Buffers into Uint8Arrays; make `content` a Buffer again. */
function revive(value: unknown): unknown {
  if (value && typeof value === 'object' && 'content' in value && value.content instanceof Uint8Array && !Buffer.isBuffer(value.content)) {
    const { content } = value as { content: Uint8Array };
    return { ...value, content: Buffer.from(content.buffer, content.byteOffset, content.byteLength) };
  }
  return value;
}
