/**
 * Runs a callback at most once per animation frame, however often it is scheduled: the way the
 * inbox coalesces bursts of events into one render.
 */

/** Fallback delay for when animation frames do not run (hidden tabs) or do not exist (Node). */
const FLUSH_FALLBACK_MS = 250;

export interface FrameFlusher {
  /** Runs `flush` on the next frame (or after the fallback delay); repeated calls before it runs do nothing. */
  schedule(): void;
  cancel(): void;
}

export function createFrameFlusher(flush: () => void): FrameFlusher {
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
