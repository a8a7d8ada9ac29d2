/**
 * The `/api/events` WebSocket as a React hook: connects, parses {@link SinkEvent}s, checks that
 * `seq` rises by exactly one, and reconnects with exponential backoff and jitter.
 */
import { useEffect, useRef, useState } from 'react';
import type { SinkEvent } from '../../server/contract.js';
import { eventsUrl } from './api.js';

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'open' }
  /** Closed; the next attempt starts in `retryInMs`. */
  | { status: 'closed'; retryInMs: number };

export interface SinkEventHandlers {
  /** Every parsed event, `hello` included, in arrival order. */
  onEvent(event: SinkEvent): void;
  /**
   * The client's view may be stale: after each `hello` (first connect and every reconnect) and
   * when a `seq` gap shows that events were missed. Refetch the list.
   */
  onResync(reason: 'hello' | 'gap'): void;
}

/** Asks `/api/events` for mailsink's own events (`hello`, `message.received` …); without it the sink speaks Mailpit's. */
const EVENTS_SUBPROTOCOL = 'mailsink.v1';
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 10_000;

/** Delay before reconnect attempt number `attempt` (0-based): doubling, capped, ±25 % jitter. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const capped = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(capped * (0.75 + random() * 0.5));
}

/** Parses one WebSocket text frame; `null` when it is not an object with a string `type` and numeric `seq`. */
export function parseSinkEvent(data: unknown): SinkEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== 'object' || value === null) return null;
    const { type, seq } = value as { type?: unknown; seq?: unknown };
    return typeof type === 'string' && typeof seq === 'number' ? (value as SinkEvent) : null;
  } catch {
    return null;
  }
}

/**
 * Keeps a WebSocket to `url` open while the component is mounted and reports its state.
 * `handlers` may change between renders without reconnecting.
 */
export function useSinkEvents(handlers: SinkEventHandlers, url: string = eventsUrl(window.location)): ConnectionState {
  const [state, setState] = useState<ConnectionState>({ status: 'connecting' });
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });
  useEffect(() => connectWithRetry(url, handlersRef, setState), [url]);
  return state;
}

/** Starts the connect/reconnect loop; returns the function that stops it. */
function connectWithRetry(
  url: string,
  handlersRef: { readonly current: SinkEventHandlers },
  setState: (state: ConnectionState) => void,
): () => void {
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let stopped = false;

  const connect = (): void => {
    setState({ status: 'connecting' });
    const ws = new WebSocket(url, EVENTS_SUBPROTOCOL);
    const onFrame = createSeqChecker(handlersRef);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState({ status: 'open' });
    };
    ws.onmessage = (message: MessageEvent) => onFrame(message.data);
    ws.onclose = () => {
      if (stopped || socket !== ws) return;
      const retryInMs = backoffDelayMs(attempt);
      attempt += 1;
      setState({ status: 'closed', retryInMs });
      retryTimer = setTimeout(connect, retryInMs);
    };
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    socket?.close();
  };
}

/** Per-connection frame handler: parses, tracks `seq`, and signals `hello` and gaps. */
function createSeqChecker(handlersRef: { readonly current: SinkEventHandlers }): (data: unknown) => void {
  let lastSeq: number | null = null;
  return (data) => {
    const event = parseSinkEvent(data);
    if (!event) return;
    const handlers = handlersRef.current;
    if (event.type === 'hello') {
      lastSeq = event.seq;
      handlers.onEvent(event);
      handlers.onResync('hello');
      return;
    }
    const gap = lastSeq === null || event.seq !== lastSeq + 1;
    lastSeq = event.seq;
    if (gap) handlers.onResync('gap');
    handlers.onEvent(event);
  };
}
