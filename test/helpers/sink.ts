/**
 * Test helpers: an in-process sink on port 0 that stops itself after the test file, and small
 * fetch/JSON helpers. Tests talk to it over real sockets only.
 */
import { afterAll, beforeAll } from 'vitest';
import { startSink } from '../../server/sink.js';
import type { Sink, SinkOptions } from '../../server/sink.js';

/** Starts a sink on free ports (`smtpPort: 0`, `httpPort: 0`); the caller must `stop()` it. */
export function startTestSink(options: SinkOptions = {}): Promise<Sink> {
  return startSink({ smtpPort: 0, httpPort: 0, ...options });
}

/**
 * Starts one sink for the enclosing `describe` (or file) and stops it afterwards.
 * Returns a getter, since the sink exists only once `beforeAll` has run.
 */
export function useSink(options: SinkOptions = {}): () => Sink {
  let sink: Sink | undefined;
  beforeAll(async () => {
    sink = await startTestSink(options);
  });
  afterAll(async () => {
    await sink?.stop();
  });
  return () => {
    if (!sink) throw new Error('sink not started yet: call it inside a test or hook');
    return sink;
  };
}

/** GET/POST/… `path` on the sink's HTTP port and parse the JSON body; throws on a non-2xx status with the body. */
export async function api<T = unknown>(sink: Sink, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(sink.httpUrl + path, init);
  const body = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${res.status}: ${body}`);
  return (body === '' ? undefined : JSON.parse(body)) as T;
}

/** Fetches `path` and returns status, headers and the body bytes. */
export async function fetchBytes(sink: Sink, path: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(sink.httpUrl + path);
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
