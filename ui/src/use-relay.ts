/**
 * Whether the sink can release mail: `GET /api/relay`, again whenever `revision` changes (each
 * `hello` of the event stream: a restarted sink may have other options). `undefined` until the first
 * answer; a sink that answers without an upstream (or has no relay API at all) counts as not configured.
 */
import { useEffect, useState } from 'react';
import type { RelayStatus } from '../../server/contract.js';
import { relay } from './api.js';

export type RelayUpstream = NonNullable<RelayStatus['upstream']>;

/** The upstream of the relay; `null` when not configured; `undefined` until known. */
export function useRelayUpstream(revision: number): RelayUpstream | null | undefined {
  const [upstream, setUpstream] = useState<RelayUpstream | null | undefined>(undefined);
  useEffect(() => {
    const abort = new AbortController();
    relay(abort.signal).then(
      (status) => setUpstream(status.upstream),
      () => {
        if (!abort.signal.aborted) setUpstream(null);
      },
    );
    return () => abort.abort();
  }, [revision]);
  return upstream;
}
