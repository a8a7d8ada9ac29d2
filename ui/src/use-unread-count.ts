/**
 * Unread messages in the whole store (the `total` of the `is:unread` search), refetched after list
 * changes at most every `SPACING_MS` (also during a long burst), and shown in the tab title as
 * `(3) mailsink`.
 */
import { useEffect, useRef, useState } from 'react';
import { countUnreadMessages, isAbortError } from './api.js';

const SPACING_MS = 300;

/** `revision` should rise whenever the unread count may have changed; `null` until known. */
export function useUnreadCount(revision: number): number | null {
  const [unread, setUnread] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastRun = useRef(-Infinity);
  const latestRequest = useRef(0);
  const abort = useRef(new AbortController());

  useEffect(() => {
    if (timer.current !== undefined) return; // the pending run will see this change too
    const delay = Math.max(0, lastRun.current + SPACING_MS - performance.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      lastRun.current = performance.now();
      const request = ++latestRequest.current;
      countUnreadMessages(abort.current.signal).then(
        (count) => {
          if (request === latestRequest.current) setUnread(count);
        },
        (error: unknown) => {
          if (!isAbortError(error) && request === latestRequest.current) setUnread(null);
        },
      );
    }, delay);
  }, [revision]);

  useEffect(() => {
    const controller = new AbortController();
    abort.current = controller;
    return () => {
      clearTimeout(timer.current);
      timer.current = undefined;
      controller.abort();
    };
  }, []);

  useEffect(() => {
    document.title = unread ? `(${unread}) mailsink` : 'mailsink';
  }, [unread]);

  return unread;
}
