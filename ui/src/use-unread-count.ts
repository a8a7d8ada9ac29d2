/**
 * Unread counts (the `total` of an `is:unread` search), refetched after list changes or a new search
 * at most every `SPACING_MS` (also during a long burst): `inbox` counts the whole store and is shown
 * in the tab title as `(3) mailsink` (the tab speaks for the whole inbox, whatever is searched);
 * `matching` counts the messages the current search matches (`is:unread` and the query's terms,
 * which must all hold), shown beside "N matching" in the top bar.
 */
import { useEffect, useRef, useState } from 'react';
import { countUnreadMessages, isAbortError } from './api.js';

const SPACING_MS = 300;

/** Unread counts; `null` until known (or after a failed request). */
export interface UnreadCounts {
  /** Unread messages in the store. */
  inbox: number | null;
  /** Unread messages among those `query` matches (equals `inbox` without a query). */
  matching: number | null;
}

/** Both counts for `query`; one request without a query, two with one. */
async function fetchCounts(query: string, signal: AbortSignal): Promise<UnreadCounts> {
  const [inbox, matching] = await Promise.all([
    countUnreadMessages(signal),
    query.trim() === '' ? null : countUnreadMessages(signal, query).catch((error: unknown) => (isAbortError(error) ? Promise.reject(error) : null)),
  ]);
  return { inbox, matching: query.trim() === '' ? inbox : matching };
}

/** `revision` should rise whenever the unread counts may have changed; `query` is the current search. */
export function useUnreadCount(revision: number, query = ''): UnreadCounts {
  const [counts, setCounts] = useState<UnreadCounts>({ inbox: null, matching: null });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastRun = useRef(-Infinity);
  const latestRequest = useRef(0);
  const abort = useRef(new AbortController());
  const latestQuery = useRef(query);
  latestQuery.current = query;

  useEffect(() => {
    if (timer.current !== undefined) return; // the pending run will see this change too
    const delay = Math.max(0, lastRun.current + SPACING_MS - performance.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      lastRun.current = performance.now();
      const request = ++latestRequest.current;
      fetchCounts(latestQuery.current, abort.current.signal).then(
        (next) => {
          if (request === latestRequest.current) setCounts(next);
        },
        (error: unknown) => {
          if (!isAbortError(error) && request === latestRequest.current) setCounts({ inbox: null, matching: null });
        },
      );
    }, delay);
  }, [revision, query]);

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
    document.title = counts.inbox ? `(${counts.inbox}) mailsink` : 'mailsink';
  }, [counts.inbox]);

  return counts;
}
