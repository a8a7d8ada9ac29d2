/**
 * A phone's sheet (Faults, "Test a server") as a history entry: opening one pushes an entry on the
 * same URL, so the browser's Back closes the sheet instead of leaving the app; closing it any
 * other way (its Close button, Escape, the top bar) steps back over that entry.
 */
import { useEffect, useRef } from 'react';

/** Marks the entry pushed for an open sheet; other keys of `history.state` (the message depth) are kept. */
const SHEET_KEY = 'mailsinkSheet';

function isSheetEntry(state: unknown): boolean {
  return (state as Record<string, unknown> | null)?.[SHEET_KEY] === true;
}

/**
 * Keeps the history in step with `open`: pushes an entry when a sheet opens while `push` holds
 * (the phone layout), goes back over it when the sheet closes, and calls `close` when Back
 * leaves that entry.
 */
export function useSheetHistory(open: boolean, push: boolean, close: () => void): void {
  const closeRef = useRef(close);
  useEffect(() => {
    closeRef.current = close;
  });

  useEffect(() => {
    const state: unknown = window.history.state;
    if (open && push && !isSheetEntry(state)) {
      const base = typeof state === 'object' && state !== null ? state : {};
      window.history.pushState({ ...base, [SHEET_KEY]: true }, '', window.location.href);
    } else if (!open && isSheetEntry(state)) {
      window.history.back();
    }
  }, [open, push]);

  useEffect(() => {
    if (!open) return;
    const onPop = () => {
      if (!isSheetEntry(window.history.state)) closeRef.current();
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [open]);
}
