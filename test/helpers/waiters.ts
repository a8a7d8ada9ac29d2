/**
 * Helpers for the testing-API tests: wait until a sink holds a given number of pending long-poll
 * waits (event-driven, via `WaitRegistry.onSizeChange`, never by sleeping), or until the sink
 * publishes a given event.
 */
import type { SinkEvent } from '../../server/contract.js';
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

/**
 * Resolves with the next event the sink publishes (after this call) of `type` that satisfies
 * `test`. Subscribers run in subscription order, so by then the sink's own listeners (its waits,
 * the WebSocket hub) have handled the event. Rejects after `timeoutMs`.
 */
export function published<T extends SinkEvent['type']>(sink: Sink, type: T, test: (event: Extract<SinkEvent, { type: T }>) => boolean, timeoutMs = 5_000): Promise<Extract<SinkEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching ${type} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = sink.events.subscribe((event) => {
      if (event.type !== type || !test(event as Extract<SinkEvent, { type: T }>)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event as Extract<SinkEvent, { type: T }>);
    });
  });
}
