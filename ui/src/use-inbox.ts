/**
 * The live inbox list as a React hook: a {@link createInboxController} for the component's
 * lifetime, read with `useSyncExternalStore`. Feed it the `/api/events` stream with `pushEvent`
 * and `resync`; it fetches the pages the list shows.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { SinkEvent } from '../../server/contract.js';
import { listMessages } from './api.js';
import { createInboxController, type InboxController, type InboxSnapshot } from './inbox-controller.js';

export interface Inbox extends InboxSnapshot {
  controller: InboxController;
}

/** `onBatch` sees every batch of live events after it was applied; it may change between renders. */
export function useInbox(onBatch: (events: readonly SinkEvent[]) => void): Inbox {
  const onBatchRef = useRef(onBatch);
  useEffect(() => {
    onBatchRef.current = onBatch;
  });
  const [controller] = useState(() =>
    createInboxController({ fetchList: listMessages, onBatch: (events) => onBatchRef.current(events) }),
  );
  useEffect(() => {
    controller.resync();
    return controller.stop;
  }, [controller]);
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  return { ...snapshot, controller };
}
