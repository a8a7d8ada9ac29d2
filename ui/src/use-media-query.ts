/** Media queries as React state, for layout that CSS alone cannot do (focus, `inert`, initial open state). */
import { useCallback, useSyncExternalStore } from 'react';

/**
 * The phone layout: one pane at a time (the list, or the open message full-screen), panels as
 * full-screen sheets. Keep in sync with the `@media (max-width: 900px)` rules in layout.css.
 */
export const PHONE_QUERY = '(max-width: 900px)';

/** Whether `query` (a CSS media query) matches now; re-renders when that changes. */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}

/** Whether the phone layout ({@link PHONE_QUERY}) is in effect. */
export function usePhoneLayout(): boolean {
  return useMediaQuery(PHONE_QUERY);
}

/**
 * Classes of the panes: `with-faults` while a side panel (faults, probe) is open, `has-message`
 * while a message is open (the phone layout then shows it instead of the list).
 */
export function panesClassName({ panel, message }: { panel: boolean; message: boolean }): string {
  return ['panes', panel ? 'with-faults' : '', message ? 'has-message' : ''].filter(Boolean).join(' ');
}
