import type { ConnectionState } from '../use-sink-events.js';

const LABELS = { connecting: 'Connecting…', open: 'Live', closed: 'Offline, reconnecting' } as const;

/** Live/offline indicator of the event stream. */
export function ConnectionStatus({ connection }: { connection: ConnectionState }) {
  const title =
    connection.status === 'closed'
      ? `Event stream closed; next attempt in ${Math.ceil(connection.retryInMs / 1000)} s`
      : connection.status === 'open'
        ? 'New mail appears as it arrives'
        : 'Opening the event stream';
  return (
    <span
      className={`connection connection-${connection.status}`}
      data-testid="connection-status"
      data-status={connection.status}
      role="status"
      title={title}
    >
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[connection.status]}
    </span>
  );
}
