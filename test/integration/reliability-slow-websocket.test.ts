/**
 * Reliability: a WebSocket client of `/api/events` that stops reading is dropped once the sink has
 * buffered more than 8 MiB for it (ws-hub.ts), while SMTP ingest and a second, reading client carry
 * on without a gap.
 *
 * The slow client is a raw TCP socket that completes the upgrade handshake and then never reads
 * again (`socket.pause()`): the kernel buffers on both sides fill, then the sink's send buffer.
 * Events carry summaries, never bodies, so big messages do not fill it; what does is the subject
 * (a summary carries it whole): each message here has a 200 kB subject, so ~60 messages push
 * 8 MiB plus the kernel buffers. The drop is seen from the sink's `ws` log line, then from the
 * client: once it reads again it gets what the kernel buffers held and then the end of the stream,
 * more than 8 MiB short of what was published.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { connectEvents } from '../helpers/events.js';
import type { EventClient } from '../helpers/events.js';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const SUBJECT_BYTES = 200_000;
const MAX_MESSAGES = 400;
const AFTER_DROP = 20;
const MiB = 1024 * 1024;

/** Opens `/api/events` over a raw socket; resolves after the `101` with the socket, no longer reading. */
function openNonReadingClient(httpPort: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(httpPort, '127.0.0.1');
    let head = '';
    socket.on('error', reject);
    socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${httpPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mailsink.v1\r\n\r\n`);
    });
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause(); // from here on it never reads
      if (!head.startsWith('HTTP/1.1 101 ')) return reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

/** Reads the rest of the stream; resolves with the byte count once the sink has closed it. */
function readToEnd(socket: net.Socket): Promise<number> {
  return new Promise((resolve) => {
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    socket.once('close', () => resolve(bytes));
    socket.on('error', () => undefined); // a reset instead of a FIN is also a close
    socket.resume();
  });
}

describe('a WebSocket client that never reads', () => {
  let dropped = false;
  let onDrop: () => void = () => undefined;
  const sink = useSink({
    log: createLogger((line) => {
      if (!line.includes('dropping a WebSocket client that stopped reading')) return;
      dropped = true;
      onDrop();
    }),
  });

  it('is dropped after 8 MiB while ingest and a reading client go on', { timeout: 240_000 }, async ({ annotate }) => {
    const slow = await openNonReadingClient(sink().httpPort);
    const reader = await connectEvents(sink());
    const dropSeen = new Promise<void>((resolve) => (onDrop = resolve));
    const t = transport(sink(), { pool: true, maxConnections: 1 });
    const started = performance.now();
    let sent = 0;
    let sentAtDrop = 0;
    try {
      const words = 'event bytes '.repeat(SUBJECT_BYTES / 12);
      const send = async () => {
        const info = await t.sendMail({ from: 'load@example.com', to: 'sink@example.org', subject: `${sent} ${words}`, text: 'small body' });
        expect(info.response).toMatch(/^250 /);
        sent += 1;
      };
      while (sent < MAX_MESSAGES && !dropped) await send();
      // Events follow the parse, which lags the 250s on a busy machine: wait for the drop itself.
      await dropSeen;
      sentAtDrop = sent;
      for (let i = 0; i < AFTER_DROP; i++) await send();

      // Ingest went on: every message stored, and the reading client got each event, in order.
      expect(sink().store.size).toBe(sent);
      const last = await waitForReceived(reader, sent);
      expect(last.map((e) => e.seq)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));

      // The slow client gets what the kernel still held, then the end of the stream: the sink closed
      // it and discarded the rest (at least its 8 MiB send buffer) instead of buffering on.
      const bytes = await readToEnd(slow);
      const published = Buffer.byteLength(JSON.stringify(reader.received)); // every event once, as the slow client would have got them
      expect(bytes).toBeGreaterThan(0);
      expect(bytes + 8 * MiB).toBeLessThan(published);

      const summary =
        `slow client dropped after message ${sentAtDrop} (~${((sentAtDrop * SUBJECT_BYTES) / MiB).toFixed(1)} MiB of events); ${sent} messages sent, ${sink().store.size} stored, ` +
        `lost ${sent - sink().store.size}; reading client got ${last.length} events without a gap; the slow one read ${(bytes / MiB).toFixed(1)} MiB of ${(published / MiB).toFixed(1)} MiB published after resuming, then the close; ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`;
      console.log(summary);
      await annotate(summary);
    } finally {
      t.close();
      slow.destroy();
      await reader.close();
    }
  });
});

/** Waits until `reader` holds `count` `message.received` events; returns them. */
async function waitForReceived(reader: EventClient, count: number) {
  for (let i = 0; i < count; i++) await reader.next('message.received', 10_000);
  return reader.received.filter((e) => e.type === 'message.received');
}
