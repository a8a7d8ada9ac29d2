/**
 * Fault rules of the sink, live: loaded from `GET /api/faults`, replaced by every `faults.changed`
 * event, and refetched (at most every `REFETCH_SPACING_MS`) after `fault.triggered` so hit counts
 * and descriptions stay current (each rule's `lastFired` is set from the event at once, then from
 * the server). Also holds the log of refused attempts ({@link useRejections}), so the caller routes events and resyncs to one hook.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FaultRule, SinkEvent } from '../../server/contract.js';
import { errorText, getFaults, isAbortError } from './api.js';
import { useRejections, type Rejections } from './use-rejections.js';

const REFETCH_SPACING_MS = 200;

export interface Faults {
  rules: readonly FaultRule[];
  /** `null` until the first load. */
  seed: number | null;
  error: string | null;
  /** Refused SMTP attempts, live. */
  rejections: Rejections;
  onEvent(event: SinkEvent): void;
  /** Refetches the rules (spaced) and the refused attempts: after a reconnect or an event gap. */
  refresh(): void;
}

export function useFaults(): Faults {
  const [rules, setRules] = useState<readonly FaultRule[]>([]);
  const [seed, setSeed] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);
  const rejections = useRejections();

  const load = useCallback(() => {
    timer.current = undefined;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    getFaults(controller.signal).then(
      (list) => {
        setRules(list.rules);
        setSeed(list.seed);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(errorText(failure));
      },
    );
  }, []);

  const refresh = useCallback(() => {
    if (timer.current === undefined) timer.current = setTimeout(load, REFETCH_SPACING_MS);
  }, [load]);

  useEffect(() => {
    load();
    return () => {
      clearTimeout(timer.current);
      timer.current = undefined;
      abort.current?.abort();
    };
  }, [load]);

  const onEvent = useCallback(
    (event: SinkEvent) => {
      if (event.type === 'faults.changed') {
        setRules(event.rules);
        setError(null);
      } else if (event.type === 'fault.triggered') {
        const lastFired = { time: new Date().toISOString(), code: event.code, disconnect: event.disconnect, remoteAddress: event.remoteAddress };
        setRules((previous) => previous.map((rule) => (rule.id === event.ruleId ? { ...rule, lastFired } : rule)));
        refresh();
      } else rejections.onEvent(event);
    },
    [refresh, rejections.onEvent],
  );
  const { reload } = rejections;
  const resync = useCallback(() => {
    refresh();
    reload();
  }, [refresh, reload]);

  return { rules, seed, error, rejections, onEvent, refresh: resync };
}
