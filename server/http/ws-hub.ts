/**
 * The only `ws` import: the `/api/events` WebSocket, in two dialects told apart by subprotocol. A
 * client that offers {@link EVENTS_SUBPROTOCOL} (`mailsink.v1`: the web inbox, the test helpers)
 * first gets `hello` (current `seq`, version, message count), then every {@link SinkEvent} in order,
 * one frame per event. Any other client gets Mailpit's `{Type, Data}` frames (see
 * `compat/mailpit-events.ts`), so Mailpit's own clients work unchanged. Frames are written in
 * batches (see {@link FLUSH_INTERVAL_MS}). Dead clients are found by a ping/pong heartbeat; a client
 * that stops reading is dropped once its send buffer passes a bound.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { SinkEvent } from '../contract.js';
import type { EventBus } from '../core/events.js';
import type { Store } from '../core/store.js';
import type { Logger } from '../log.js';
import { HostPolicy } from './allowed-hosts.js';
import { mailpitEventFrames } from './compat/mailpit-events.js';
import { OriginPolicy } from './security.js';
import type { BasicAuth } from './security.js';

/** Path of the event stream. */
export const EVENTS_PATH = '/api/events';
/** Subprotocol (`Sec-WebSocket-Protocol`) that selects mailsink's own events; without it a client gets Mailpit's. */
export const EVENTS_SUBPROTOCOL = 'mailsink.v1';
/** A client whose unsent data passes this many bytes is dropped (it stopped reading). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Interval between heartbeats, in ms; a client that missed one pong is terminated. */
const HEARTBEAT_MS = 30_000;
/**
 * Events are written at most once per this many ms per client, all frames of a batch in one
 * socket write: under a burst of thousands of messages a second, fifty clients otherwise cost a
 * system call per event per client. An event after a quiet spell goes out at once.
 */
const FLUSH_INTERVAL_MS = 5;

/** A running hub. */
export interface WsHub {
  /** Number of connected clients. */
  readonly clients: number;
  /** Closes every client (code 1001) and stops the heartbeat. */
  close(): void;
}

/** What the hub needs; `origins` and `auth` default to same-origin only and no auth. */
export interface WsHubDeps {
  events: EventBus;
  store: Store;
  version: string;
  log: Logger;
  /**
   * Browsers send `Origin` with every WebSocket and apply no CORS to it, so without this check any
   * web page the developer visits could read the mail stream. Only the sink's own origin and those
   * of `--cors-origin` get in; clients that send no `Origin` (test code, CLI tools) are not
   * browsers and are let in.
   */
  origins?: OriginPolicy;
  /** Basic auth of `--ui-auth-file`: the upgrade request must carry the credentials (browsers resend the page's). */
  auth?: BasicAuth | null;
  /** `Host` names served (DNS-rebinding protection); an upgrade with another `Host` gets `403 host_not_allowed`. */
  hosts?: HostPolicy;
}

function refuse(socket: Duplex, status: string, extra = ''): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`);
}

/** Attaches the event stream to `server` (upgrade requests on {@link EVENTS_PATH}). */
export function attachWsHub(server: Server, deps: WsHubDeps): WsHub {
  const { events, store, version, log } = deps;
  const origins = deps.origins ?? new OriginPolicy([]);
  const hosts = deps.hosts ?? new HostPolicy('127.0.0.1', []);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (offered) => (offered.has(EVENTS_SUBPROTOCOL) ? EVENTS_SUBPROTOCOL : false) });
  const mailpitFrames = mailpitEventFrames(store, version);
  const alive = new WeakMap<WebSocket, boolean>();
  /** The `seq` each client's hello carried: batched events up to it are not sent to that client again. */
  const helloSeq = new WeakMap<WebSocket, number>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!hosts.allowsRequest(req)) {
      log.warn(`refused a WebSocket for Host ${JSON.stringify(req.headers.host)}`);
      const body = JSON.stringify(hosts.refusal(req.headers.host!));
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== EVENTS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (origins.judge(req) === 'denied') {
      log.warn(`refused a WebSocket from origin ${JSON.stringify(req.headers.origin)}`);
      refuse(socket, '403 Forbidden');
      return;
    }
    if (!deps.auth) return wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    deps.auth.check(req).then(
      (ok) => {
        if (!ok) return refuse(socket, '401 Unauthorized', 'WWW-Authenticate: Basic realm="mailsink", charset="UTF-8"\r\n');
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      },
      () => socket.destroy(),
    );
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    helloSeq.set(ws, events.seq);
    if (ws.protocol !== EVENTS_SUBPROTOCOL) return; // a Mailpit client: no hello, frames from the next event on
    const hello: SinkEvent = { type: 'hello', seq: events.seq, version, messages: store.size };
    ws.send(JSON.stringify(hello));
  });

  /** One event: its mailsink frame, and its Mailpit frames (made once, when a Mailpit client is connected). */
  let batch: { seq: number; data: string; mailpit: string[] | null }[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  let lastFlush = 0;
  const flush = () => {
    flushTimer = null;
    lastFlush = performance.now();
    const sending = batch;
    batch = [];
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn('dropping a WebSocket client that stopped reading');
        ws.terminate();
        continue;
      }
      const after = helloSeq.get(ws) ?? 0;
      const socket = rawSocket(ws);
      socket?.cork();
      const own = ws.protocol === EVENTS_SUBPROTOCOL;
      for (const entry of sending) {
        if (entry.seq <= after) continue;
        if (own) ws.send(entry.data);
        else for (const frame of entry.mailpit ?? []) ws.send(frame);
      }
      socket?.uncork();
    }
  };

  const unsubscribe = events.subscribe((event) => {
    if (wss.clients.size === 0) return;
    const foreign = [...wss.clients].some((ws) => ws.protocol !== EVENTS_SUBPROTOCOL);
    batch.push({ seq: event.seq, data: JSON.stringify(event), mailpit: foreign ? mailpitFrames(event) : null });
    if (flushTimer) return;
    flushTimer = setTimeout(flush, Math.max(0, lastFlush + FLUSH_INTERVAL_MS - performance.now()));
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    get clients() {
      return wss.clients.size;
    },
    close() {
      clearInterval(heartbeat);
      if (flushTimer) clearTimeout(flushTimer);
      unsubscribe();
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'mailsink shutting down');
      wss.close();
    },
  };
}

/**
 * The TCP socket under a `ws` WebSocket (its internal `_socket`), to cork a batch of frames into one
 * write; `null` if `ws` no longer keeps it there (then frames are written one by one, as before).
 */
export function rawSocket(ws: WebSocket): { cork(): void; uncork(): void } | null {
  const socket = (ws as unknown as { _socket?: { cork?: unknown; uncork?: unknown } })._socket;
  return socket && typeof socket.cork === 'function' && typeof socket.uncork === 'function' ? (socket as { cork(): void; uncork(): void }) : null;
}
