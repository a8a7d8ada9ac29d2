/** A relay {@link Scheduler} whose clock moves only when a test says so: no sleeps, exact delays. */
import type { Scheduler } from '../../server/relay/scheduler.js';

export class ManualScheduler implements Scheduler {
  /** Now, in ms since the epoch; starts at 2026-01-01T00:00:00Z. */
  time = Date.parse('2026-01-01T00:00:00.000Z');
  timers: { at: number; fn: () => void }[] = [];
  now = () => this.time;
  setTimer(delayMs: number, fn: () => void) {
    const timer = { at: this.time + delayMs, fn };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((t) => t !== timer));
  }
  /**
   * Moves the clock to the earliest timer and runs it; returns the delay it waited (ms).
   * @throws Error when no timer is set.
   */
  next(): number {
    const timer = this.timers.sort((a, b) => a.at - b.at).shift();
    if (!timer) throw new Error('no timer');
    const waited = timer.at - this.time;
    this.time = timer.at;
    timer.fn();
    return waited;
  }
}
