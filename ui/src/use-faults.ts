/**
 * Fault rules of the sink, live: loaded from `GET /api/faults`, replaced by every `faults.changed`
 * event, and refetched (at most every `REFETCH_SPACING_MS`) after `fault.triggered` so hit counts
 * and descriptions stay current. Also remembers when each rule last fired.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FaultRule, SinkEvent } from '../../server/contract.js';
import { errorText, getFaults, isAbortError } from './api.js';

const REFETCH_SPACING_MS = 200;

/** The last `fault.triggered` of a rule. */
export interface FaultFiring {
  /** `Date.now()` when the event arrived. */
  at: number;
  code: number | null;
  disconnect: boolean;
  remoteAddress: string;
}

export interface Faults {
  rules: readonly FaultRule[];
  /** `null` until the first load. */
  seed: number | null;
  error: string | null;
  lastFired: ReadonlyMap<string, FaultFiring>;
  onEvent(event: SinkEvent): void;
  refresh(): void;
}

export function useFaults(): Faults {
  const [rules, setRules] = useState<readonly FaultRule[]>([]);
  const [seed, setSeed] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lastFired, setLastFired] = useState<ReadonlyMap<string, FaultFiring>>(new Map());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);

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
        const firing: FaultFiring = { at: Date.now(), code: event.code, disconnect: event.disconnect, remoteAddress: event.remoteAddress };
        setLastFired((previous) => new Map(previous).set(event.ruleId, firing));
        refresh();
      }
    },
    [refresh],
  );

  return { rules, seed, error, lastFired, onEvent, refresh };
}
