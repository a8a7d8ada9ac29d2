/**
 * Mailpit's WebSocket events (server/websockets, internal/storage): `{Type, Data}` frames for the
 * clients of `/api/events` that do not ask for mailsink's own protocol (subprotocol `mailsink.v1`).
 * From each store event: `new` (Data: the message's Mailpit summary), `update` (`{ID, Read, Tags}`),
 * `delete` (`{ID}`, one per message; `prune` with no data for more than 200 at once, as Mailpit
 * does), `truncate` (store cleared), each followed by `stats` (`{Total, Unread, Version}`).
 * Fault events have no Mailpit counterpart and are not sent.
 */
import type { SinkEvent } from '../../contract.js';
import type { Store } from '../../core/store.js';
import { toMailpitSummary } from './mailpit-views.js';

/** Mailpit sends one `prune` instead of this many `delete` frames or more. */
const PRUNE_AFTER = 200;

/** Turns a sink event into Mailpit frames (JSON text); `[]` for events Mailpit has no frame for. */
export type MailpitFrames = (event: SinkEvent) => string[];

/** The translator for one sink. */
export function mailpitEventFrames(store: Store, version: string): MailpitFrames {
  const frame = (Type: string, Data: unknown) => JSON.stringify({ Type, Data });
  const stats = () => frame('stats', { Total: store.size, Unread: store.unreadCount, Version: version });
  return (event) => {
    switch (event.type) {
      case 'message.received': {
        const message = store.get(event.message.id);
        return message ? [frame('new', toMailpitSummary(message)), stats()] : [];
      }
      case 'message.updated':
        return [frame('update', { ID: event.message.id, Read: event.message.read, Tags: event.message.tags }), stats()];
      case 'message.deleted':
        return [...(event.ids.length > PRUNE_AFTER ? [frame('prune', null)] : event.ids.map((ID) => frame('delete', { ID }))), stats()];
      case 'store.cleared':
        return [frame('truncate', null), stats()];
      default:
        return [];
    }
  };
}
