/**
 * Keeps the inbox list in step with the server: queues live events and applies them once per
 * animation frame (so bursts of hundreds of messages a second cost one render per frame), and
 * refetches the list on request (hello, seq gap, queue overflow, user retry), replaying the events
 * that arrived while the fetch was in flight.
 */
import type { MessageList, SinkEvent } from '../../server/contract.js';
import { errorText, isAbortError } from './api.js';
import { FIRST_PAGE_LIMIT, removedIds, type InboxAction } from './inbox-state.js';

/** More queued events than this (e.g. in a background tab) are dropped in favour of a refetch. */
export const MAX_QUEUED_EVENTS = 5000;

/** Fallback flush delay for when animation frames do not run (hidden tabs). */
const FLUSH_FALLBACK_MS = 250;

export interface InboxSyncDeps {
  dispatch(action: InboxAction): void;
  fetchList(limit: number, signal: AbortSignal): Promise<MessageList>;
  /** Called once per flushed batch that removes messages. */
  onRemoved(ids: readonly string[] | 'all'): void;
}

export interface InboxSync {
  /** Queue one live event (flushed on the next frame). */
  pushEvent(event: SinkEvent): void;
  /** Refetch the first page; aborts a fetch in flight. */
  resync(): void;
  /** Abort the fetch and cancel the pending flush; `resync()` starts again. */
  stop(): void;
}

export function createInboxSync(deps: InboxSyncDeps): InboxSync {
  let queue: SinkEvent[] = [];
  /** Non-null while a list fetch is in flight: flushed events wait here to be replayed. */
  let buffer: SinkEvent[] | null = null;
  let fetchAbort: AbortController | null = null;
  const flusher = createFrameFlusher(() => flush());

  function flush(): void {
    if (queue.length === 0) return;
    const events = queue;
    queue = [];
    const removed = removedIds(events);
    if (removed === 'all' || removed.length > 0) deps.onRemoved(removed);
    if (buffer) buffer.push(...events);
    else deps.dispatch({ type: 'events', events });
  }

  function resync(): void {
    fetchAbort?.abort();
    const abort = new AbortController();
    fetchAbort = abort;
    buffer = [];
    deps.fetchList(FIRST_PAGE_LIMIT, abort.signal).then(
      (list) => {
        if (abort.signal.aborted) return;
        flush(); // moves still-queued events into the buffer
        const replay = buffer ?? [];
        buffer = null;
        fetchAbort = null;
        deps.dispatch({ type: 'loaded', list, replay });
      },
      (error: unknown) => {
        if (abort.signal.aborted || isAbortError(error)) return;
        buffer = null;
        fetchAbort = null;
        deps.dispatch({ type: 'load-failed', error: errorText(error) });
      },
    );
  }

  function pushEvent(event: SinkEvent): void {
    queue.push(event);
    if (queue.length <= MAX_QUEUED_EVENTS) {
      flusher.schedule();
      return;
    }
    queue = [];
    flusher.cancel();
    resync();
  }

  function stop(): void {
    fetchAbort?.abort();
    fetchAbort = null;
    buffer = null;
    queue = [];
    flusher.cancel();
  }

  return { pushEvent, resync, stop };
}

/**
 * Runs `flush` once on the next animation frame, or after a short timeout if frames are paused
 * (hidden tab) or do not exist (Node, in unit tests).
 */
function createFrameFlusher(flush: () => void): { schedule(): void; cancel(): void } {
  const hasFrames = typeof requestAnimationFrame === 'function';
  let scheduled = false;
  let frame: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const cancel = (): void => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = undefined;
    timer = undefined;
    scheduled = false;
  };
  const run = (): void => {
    cancel();
    flush();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    if (hasFrames) frame = requestAnimationFrame(run);
    timer = setTimeout(run, hasFrames ? FLUSH_FALLBACK_MS : 0);
  };
  return { schedule, cancel };
}
