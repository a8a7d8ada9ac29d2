/**
 * Relay test helpers: wait on `message.delivery` events (never on time) and read what an upstream
 * sink stored.
 */
import type { Delivery, SinkEvent } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import type { EventClient } from './events.js';

/** The last `message.delivery` of `messageId` received so far, if any. */
function lastDelivery(received: readonly SinkEvent[], messageId: string): Delivery | undefined {
  for (let i = received.length - 1; i >= 0; i--) {
    const event = received[i]!;
    if (event.type === 'message.delivery' && event.delivery.messageId === messageId) return event.delivery;
  }
  return undefined;
}

/** Resolves with the delivery of `messageId` once an event shows `condition` true (default: it ended). */
export async function deliveryWhen(events: EventClient, messageId: string, condition: (delivery: Delivery) => boolean = (d) => d.state === 'delivered' || d.state === 'failed', timeoutMs = 60_000): Promise<Delivery> {
  let found: Delivery | undefined;
  await events.until(`delivery of ${messageId} as expected`, (received) => {
    for (const event of received) {
      if (event.type === 'message.delivery' && event.delivery.messageId === messageId && condition(event.delivery)) {
        found = event.delivery;
        return true;
      }
    }
    return false;
  }, timeoutMs);
  return found ?? lastDelivery(events.received, messageId)!;
}

/** Every `message.delivery` of `messageId` received so far, in order. */
export function deliveryEvents(events: EventClient, messageId: string): Delivery[] {
  return events.received.flatMap((event) => (event.type === 'message.delivery' && event.delivery.messageId === messageId ? [event.delivery] : []));
}

/** The exact bytes a sink stored for a message. */
export async function rawOf(sink: Sink, id: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(`${sink.httpUrl}/api/messages/${id}/raw`)).arrayBuffer());
}

/** The id the upstream sink gave a message, read from its `250 2.0.0 Ok: queued as <id>` reply. */
export function queuedId(reply: string | null): string {
  const id = /queued as (\S+)/.exec(reply ?? '')?.[1];
  if (!id) throw new Error(`no "queued as" in ${JSON.stringify(reply)}`);
  return id;
}
