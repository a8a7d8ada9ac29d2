/**
 * The delivery of the open message: loaded from `GET /api/messages/:id/delivery` (`null` when it
 * was never queued), then kept live by the {@link DeliveryFeed} (`message.delivery` events) and
 * refetched after a resync. `apply` takes the answer of a release. Mount once per message.
 */
import { useEffect, useRef, useState } from 'react';
import type { Delivery } from '../../server/contract.js';
import { delivery as getDelivery, errorText, isAbortError } from './api.js';
import { isNewerDelivery, type DeliveryFeed } from './delivery.js';

export interface DeliveryView {
  /** `null`: never queued (or not loaded yet, see `loaded`). */
  delivery: Delivery | null;
  loaded: boolean;
  error: string | null;
  apply(delivery: Delivery): void;
}

/** `enabled`: whether to ask the server (a sink without a relay upstream has no deliveries; it would only answer 404). */
export function useDelivery(id: string, feed: DeliveryFeed, enabled: boolean): DeliveryView {
  const [delivery, setDelivery] = useState<Delivery | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = useRef<Delivery | null>(null);

  const apply = (next: Delivery) => {
    if (next.messageId !== id || !isNewerDelivery(next, current.current)) return;
    current.current = next;
    setDelivery(next);
  };
  const applyRef = useRef(apply);
  applyRef.current = apply;

  useEffect(() => {
    let abort = new AbortController();
    const load = () => {
      abort.abort();
      if (!enabled) return;
      abort = new AbortController();
      const { signal } = abort;
      getDelivery(id, signal).then(
        (value) => {
          if (signal.aborted) return;
          if (value !== null) applyRef.current(value);
          setLoaded(true);
          setError(null);
        },
        (failure: unknown) => {
          if (!signal.aborted && !isAbortError(failure)) setError(errorText(failure));
        },
      );
    };
    load();
    const unsubscribe = feed.subscribe((update) => (update === 'resync' ? load() : applyRef.current(update)));
    return () => {
      unsubscribe();
      abort.abort();
    };
  }, [id, feed, enabled]);

  return { delivery, loaded, error, apply };
}
