/**
 * Runs an abortable async load when `deps` change and exposes its state. The previous load is
 * aborted on change and on unmount, so late responses never overwrite newer ones.
 */
import { useEffect, useState, type DependencyList } from 'react';
import { isAbortError } from './api.js';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; error: unknown };

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    setState({ status: 'loading' });
    load(abort.signal).then(
      (value) => {
        if (!abort.signal.aborted) setState({ status: 'ready', value });
      },
      (error: unknown) => {
        if (!abort.signal.aborted && !isAbortError(error)) setState({ status: 'error', error });
      },
    );
    return () => abort.abort();
    // `load` is a fresh closure on every render; `deps` says when it actually changes.
  }, deps);
  return state;
}
