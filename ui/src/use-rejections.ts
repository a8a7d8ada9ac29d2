/**
 * The log of refused SMTP attempts, live: loaded from `GET /api/rejections` (newest first, the last
 * {@link REJECTIONS_KEPT}), each `rejection.recorded` event put on top, reloaded on `reload()` (after
 * every reconnect or event gap), and emptied by `clear()` (`DELETE /api/rejections`).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Rejection, SinkEvent } from '../../server/contract.js';
import { errorText, isAbortError } from './api.js';
import { clearRejections, getRejections } from './api-faults.js';

/** How many refused attempts the panel holds (the server keeps its own bounded log). */
export const REJECTIONS_KEPT = 200;

export interface Rejections {
  /** Newest first, at most {@link REJECTIONS_KEPT}. */
  list: readonly Rejection[];
  /** Refused attempts the server holds (may exceed `list.length`). */
  total: number;
  error: string | null;
  onEvent(event: SinkEvent): void;
  reload(): void;
  /** Forgets every refused attempt on the server; rejects with the API error. */
  clear(): Promise<void>;
}

/** The rejection of a `rejection.recorded` event, else `null`. */
export function recordedRejection(event: SinkEvent): Rejection | null {
  return event.type === 'rejection.recorded' ? event.rejection : null;
}

export function useRejections(): Rejections {
  const [state, setState] = useState<{ list: readonly Rejection[]; total: number }>({ list: [], total: 0 });
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  /** Rejections announced while a reload is in flight: its answer may predate them. */
  const arrived = useRef<Rejection[] | null>(null);

  const reload = useCallback(() => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    arrived.current = [];
    getRejections(REJECTIONS_KEPT, controller.signal).then(
      (page) => {
        const late = (arrived.current ?? []).filter((rejection) => !page.rejections.some((known) => known.id === rejection.id));
        arrived.current = null;
        setState({ list: [...late, ...page.rejections].slice(0, REJECTIONS_KEPT), total: page.total + late.length });
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(errorText(failure));
      },
    );
  }, []);

  useEffect(() => {
    reload();
    return () => abort.current?.abort();
  }, [reload]);

  const onEvent = useCallback((event: SinkEvent) => {
    const rejection = recordedRejection(event);
    if (!rejection) return;
    arrived.current?.unshift(rejection);
    setState((old) =>
      old.list.some((known) => known.id === rejection.id) ? old : { list: [rejection, ...old.list].slice(0, REJECTIONS_KEPT), total: old.total + 1 },
    );
  }, []);

  const clear = useCallback(async () => {
    abort.current?.abort();
    await clearRejections();
    setState({ list: [], total: 0 });
  }, []);

  return { ...state, error, onEvent, reload, clear };
}
