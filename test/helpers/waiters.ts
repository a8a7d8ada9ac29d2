/**
 * Helpers for the testing-API tests: wait until a sink holds a given number of pending long-poll
 * waits (event-driven, via `WaitRegistry.onSizeChange`, never by sleeping).
 */
import type { Sink } from '../../server/sink.js';

/** Resolves once `sink.waiters.size === size` (at once if it already is); rejects after `timeoutMs`. */
export function waitersReach(sink: Sink, size: number, timeoutMs = 5_000): Promise<void> {
  if (sink.waiters.size === size) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`sink has ${sink.waiters.size} pending waits, not ${size}, after ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = sink.waiters.onSizeChange((now) => {
      if (now !== size) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
