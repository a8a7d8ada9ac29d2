/**
 * A WebSocket client of `/api/events` for tests (the `ws` package, a client we did not write):
 * records every frame in order (`hello` first) and lets a test wait for the next event of a type,
 * never sleep.
 */
import WebSocket from 'ws';
import type { SinkEvent } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';

type EventOf<T extends SinkEvent['type']> = Extract<SinkEvent, { type: T }>;

/** An open event stream. */
export interface EventClient {
  /** Every frame received so far, in order; `received[0]` is `hello`. */
  readonly received: readonly SinkEvent[];
  /**
   * The next event of `type` after the last one `next` returned (already received or still to
   * come); rejects after `timeoutMs`, listing what did arrive.
   */
  next<T extends SinkEvent['type']>(type: T, timeoutMs?: number): Promise<EventOf<T>>;
  /**
   * Resolves once `condition(received)` holds over everything received so far (at once if it
   * already does), checked on every frame; independent of `next`'s cursor. Rejects after
   * `timeoutMs` with `what` and the types received.
   */
  until(what: string, condition: (received: readonly SinkEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Closes the socket; resolves once it is closed. */
  close(): Promise<void>;
}

/**
 * Connects to `ws://<host>:<httpPort>/api/events` and resolves once the `hello` frame arrived.
 * @throws Error when the connection fails, or no `hello` arrives within `timeoutMs`.
 */
export function connectEvents(sink: Sink, timeoutMs = 5_000): Promise<EventClient> {
  const ws = new WebSocket(`${sink.httpUrl.replace(/^http/, 'ws')}/api/events`, 'mailsink.v1');
  const received: SinkEvent[] = [];
  const wakers = new Set<() => void>();
  let cursor = 0;

  const client: EventClient = {
    received,
    next(type, waitMs = 5_000) {
      type E = EventOf<typeof type>;
      const take = (): E | undefined => {
        for (let i = cursor; i < received.length; i++) {
          if (received[i]!.type === type) {
            cursor = i + 1;
            return received[i] as E;
          }
        }
        return undefined;
      };
      return new Promise((resolve, reject) => {
        const found = take();
        if (found) return resolve(found);
        const wake = () => {
          const event = take();
          if (!event) return;
          done();
          resolve(event);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${type} event within ${waitMs} ms; received ${JSON.stringify(received.map((e) => e.type))}`));
        }, waitMs);
        const done = () => {
          clearTimeout(timer);
          wakers.delete(wake);
        };
        wakers.add(wake);
      });
    },
    until(what, condition, waitMs = 5_000) {
      return new Promise((resolve, reject) => {
        if (condition(received)) return resolve();
        const wake = () => {
          if (!condition(received)) return;
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`not ${what} within ${waitMs} ms; received ${JSON.stringify(received.map((e) => e.type))}`));
        }, waitMs);
        const done = () => {
          clearTimeout(timer);
          wakers.delete(wake);
        };
        wakers.add(wake);
      });
    },
    close() {
      if (ws.readyState === ws.CLOSED) return Promise.resolve();
      return new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no hello frame from ${sink.httpUrl}/api/events within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as SinkEvent;
      received.push(event);
      if (received.length === 1) {
        clearTimeout(timer);
        if (event.type === 'hello') resolve(client);
        else reject(new Error(`first frame was ${event.type}, not hello`));
      }
      for (const wake of [...wakers]) wake();
    });
  });
}
