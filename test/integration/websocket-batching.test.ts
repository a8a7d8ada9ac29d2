/**
 * The event stream under a burst: events are written in batches (one socket write per client per
 * few ms), which must keep every event, in order, with no duplicates for a client that connects
 * while a batch is pending.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { SinkEvent } from '../../server/contract.js';
import { rawSocket } from '../../server/http/ws-hub.js';
import { connectEvents } from '../helpers/events.js';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

describe('WebSocket event batching', () => {
  const sink = useSink();

  it('finds the TCP socket under a ws connection, so a batch is corked into one write', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
      const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const opened = new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
      const serverSide = await accepted;
      expect(rawSocket(serverSide)).not.toBeNull();
      await opened;
      client.terminate();
    } finally {
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('delivers all 300 message.received of a burst, in seq order, to an early and a late client', async () => {
    const early = await connectEvents(sink());
    const t = transport(sink(), { pool: true, maxConnections: 5 });
    let late: Awaited<ReturnType<typeof connectEvents>> | undefined;
    try {
      const sends = Array.from({ length: 300 }, (_, i) => t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: `burst ${i}`, text: String(i) }));
      await Promise.all(sends.slice(0, 100));
      late = await connectEvents(sink());
      await Promise.all(sends);
      const all = (received: readonly SinkEvent[]) => received.filter((e) => e.type === 'message.received').length >= 300;
      await early.until('300 message.received', all, 10_000);
      const earlySeqs = early.received.map((e) => e.seq);
      expect(earlySeqs).toEqual(earlySeqs.map((_, i) => i)); // hello 0, then 1, 2, 3 … without a gap or repeat
      expect(early.received.filter((e) => e.type === 'message.received')).toHaveLength(300);

      const helloSeq = late.received[0]!.seq;
      const lastSeq = early.received.at(-1)!.seq;
      await late.until(`seq ${lastSeq}`, (received) => received.at(-1)!.seq >= lastSeq, 10_000);
      const lateSeqs = late.received.map((e) => e.seq);
      expect(lateSeqs).toEqual(lateSeqs.map((_, i) => helloSeq + i)); // from its hello on, nothing twice, nothing missing
      expect(lateSeqs.at(-1)).toBe(early.received.at(-1)!.seq);
    } finally {
      t.close();
      await early.close();
      await late?.close();
    }
  });
});
