/**
 * The tags in use (`GET /api/tags`) with their counts, refetched (debounced) after events that can
 * change them: mail received, updated or deleted, the store cleared, a resync.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SinkEvent } from '../../server/contract.js';
import { getTags, type TagCount } from './bulk-api.js';

/** Events within this window cost one refetch. */
const REFRESH_DEBOUNCE_MS = 300;

const TAG_EVENTS = new Set<SinkEvent['type']>(['message.received', 'message.updated', 'message.deleted', 'store.cleared']);

export interface TagsState {
  /** Tags sorted by name; `[]` until loaded or when the request failed. */
  tags: readonly TagCount[];
  /** Feed every live event. */
  onEvent(event: SinkEvent): void;
  /** Refetch soon (after a resync or an own change). */
  refresh(): void;
}

export function useTags(): TagsState {
  const [tags, setTags] = useState<readonly TagCount[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);

  const load = useCallback(() => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    getTags(controller.signal).then(setTags, () => undefined); // a failure keeps the last list
  }, []);
  const refresh = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(load, REFRESH_DEBOUNCE_MS);
  }, [load]);

  useEffect(() => {
    load();
    return () => {
      clearTimeout(timer.current);
      abort.current?.abort();
    };
  }, [load]);

  const onEvent = useCallback((event: SinkEvent) => {
    if (TAG_EVENTS.has(event.type)) refresh();
  }, [refresh]);
  return { tags, onEvent, refresh };
}
