/** Time for the relay queue, injectable so unit tests drive retries without waiting. */

/** A clock and one-shot timers. */
export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `delayMs`; returns the function that cancels it. */
  setTimer(delayMs: number, fn: () => void): () => void;
}

/** Longest single `setTimeout` Node accepts (2^31 − 1 ms); longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Wall clock and `setTimeout`. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    let cancel: () => void = () => undefined;
    const arm = (left: number) => {
      const timer = setTimeout(() => (left > MAX_TIMEOUT_MS ? arm(left - MAX_TIMEOUT_MS) : fn()), Math.min(Math.max(0, left), MAX_TIMEOUT_MS));
      cancel = () => clearTimeout(timer);
    };
    arm(delayMs);
    return () => cancel();
  },
};
