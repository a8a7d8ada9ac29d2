/**
 * A WebSocket client that stops reading is dropped once its unsent data passes the hub's bound,
 * while ingest goes on and a client that reads gets every event. The stalled client is a raw TCP
 * socket that completes the handshake and then never reads again.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { connectEvents } from '../helpers/events.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

/** Opens `/api/events` over a raw socket, reads the 101 response, then pauses the socket for good. */
function stalledClient(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause(); // from here on nothing is read: the kernel buffers fill, then the server's
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${head}`));
      resolve({ socket, closed });
    };
    socket.on('data', onData);
    socket.on('connect', () => {
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
  });
}

describe('WebSocket backpressure', () => {
  const log: string[] = [];
  const dropped = () => log.some((line) => line.includes('dropping a WebSocket client that stopped reading'));
  const sink = useSink({ log: createLogger((line) => log.push(line)) });

  it('drops the client that stopped reading; ingest and a reading client go on', { timeout: 60_000 }, async () => {
    const stalled = await stalledClient(sink().httpPort);
    const reader = await connectEvents(sink());
    // Each event carries a 64 KiB subject, so a few hundred fill the kernel buffers and the hub's 8 MiB bound.
    const subject = 's'.repeat(64 * 1024);
    let imported = 0;
    while (!dropped()) {
      expect(imported, 'the stalled client was never dropped').toBeLessThan(1000);
      const res = await fetch(`${sink().httpUrl}/api/messages?rcptTo=slow@example.org`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: `Subject: ${subject}\r\n\r\n${imported}\r\n` });
      expect(res.status).toBe(201);
      imported += 1;
    }
    // SMTP ingest is not held up either.
    const t = transport(sink());
    const info = await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 'after the drop', text: 'x' });
    t.close();
    expect(info.response).toMatch(/^250 /);
    const last = info.response.split(' ').pop();
    for (;;) {
      const event = await reader.next('message.received', 10_000);
      if (event.message.id === last) break;
    }
    const received = reader.received.filter((e) => e.type === 'message.received');
    expect(received).toHaveLength(imported + 1);
    expect(received.every((e, i) => i === 0 || e.seq === received[i - 1]!.seq + 1)).toBe(true);
    await reader.close();
    // Reading again, the stalled client finds its connection closed by the server.
    stalled.socket.resume();
    await stalled.closed;
    expect((await api<{ messages: number }>(sink(), '/api/health')).messages).toBe(imported + 1);
  });
});
