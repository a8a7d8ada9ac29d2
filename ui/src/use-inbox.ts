/**
 * The live inbox list: fetches the first page, follows `/api/events`, coalesces bursts and
 * refetches whenever the event stream says the view may be stale.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { MessageSummary } from '../../server/contract.js';
import { listMessages } from './api.js';
import { createInboxSync } from './inbox-sync.js';
import { inboxReducer, initialInboxState, type InboxState } from './inbox-state.js';
import { useSinkEvents, type ConnectionState } from './use-sink-events.js';

export interface Inbox {
  state: InboxState;
  connection: ConnectionState;
  /** Refetch the list now (retry button, or after a change while the event stream is down). */
  resync(): void;
  /** Put a summary from a REST response into the list if it is there. */
  upsert(message: MessageSummary): void;
}

/** `onRemoved` is told which ids events removed (`'all'` on `store.cleared`); it may change freely. */
export function useInbox(onRemoved: (ids: readonly string[] | 'all') => void): Inbox {
  const [state, dispatch] = useReducer(inboxReducer, initialInboxState);
  const onRemovedRef = useRef(onRemoved);
  useEffect(() => {
    onRemovedRef.current = onRemoved;
  });

  const [sync] = useState(() =>
    createInboxSync({
      dispatch,
      fetchList: (limit, signal) => listMessages({ limit, signal }),
      onRemoved: (ids) => onRemovedRef.current(ids),
    }),
  );
  useEffect(() => {
    sync.resync();
    return sync.stop;
  }, [sync]);

  const [handlers] = useState(() => ({ onEvent: sync.pushEvent, onResync: sync.resync }));
  const connection = useSinkEvents(handlers);
  const upsert = useCallback((message: MessageSummary) => dispatch({ type: 'upsert', message }), []);

  return { state, connection, resync: sync.resync, upsert };
}
