/**
 * A WebSocket client of `/api/events` for tests (the `ws` package, a client we did not write):
 * records every event in order and lets a test wait for one, never sleep.
 */
import WebSocket from 'ws';
import type { SinkEvent } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';

type EventOf<T extends SinkEvent['type']> = Extract<SinkEvent, { type: T }>;

/** An open event stream. */
export interface EventStream {
  /** The `hello` frame the server sent first. */
  readonly hello: EventOf<'hello'>;
  /** Every event after `hello`, in arrival order. */
  readonly events: readonly SinkEvent[];
  /**
   * Resolves with the first recorded event (already received or still to come) of `type` that
   * satisfies `predicate`; rejects after `timeoutMs` listing what did arrive.
   */
  waitFor<T extends SinkEvent['type']>(type: T, predicate?: (event: EventOf<T>) => boolean, timeoutMs?: number): Promise<EventOf<T>>;
  /** Closes the socket and resolves once it is closed. */
  close(): Promise<void>;
}

/**
 * Connects to `ws://<host>:<httpPort>/api/events` and resolves after the `hello` frame.
 * @throws Error when the connection fails or the first frame is not `hello`.
 */
export function openEvents(sink: Sink, timeoutMs = 5_000): Promise<EventStream> {
  const ws = new WebSocket(`${sink.httpUrl.replace(/^http/, 'ws')}/api/events`);
  const events: SinkEvent[] = [];
  const waiters = new Set<() => void>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no hello frame within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    };
    ws.once('error', fail);
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as SinkEvent;
      if (!stream) {
        clearTimeout(timer);
        ws.off('error', fail);
        ws.on('error', () => undefined);
        if (event.type !== 'hello') return fail(new Error(`first frame was ${event.type}, not hello`));
        stream = makeStream(ws, event, events, waiters);
        return resolve(stream);
      }
      events.push(event);
      for (const wake of [...waiters]) wake();
    });
    let stream: EventStream | undefined;
  });
}

function makeStream(ws: WebSocket, hello: EventOf<'hello'>, events: SinkEvent[], waiters: Set<() => void>): EventStream {
  return {
    hello,
    events,
    waitFor(type, predicate = () => true, timeoutMs = 5_000) {
      type E = EventOf<typeof type>;
      const find = () => events.find((e): e is E => e.type === type && predicate(e as E));
      return new Promise((resolve, reject) => {
        const found = find();
        if (found) return resolve(found);
        const wake = () => {
          const match = find();
          if (!match) return;
          done();
          resolve(match);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${type} event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
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
}
