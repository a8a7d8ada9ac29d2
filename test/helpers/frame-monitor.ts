/**
 * Measures responsiveness inside the page: the longest gap between animation frames and the long
 * tasks (> 50 ms main-thread blocks) the browser reports. Installed through the DevTools protocol
 * (page.evaluate), not through the page's own scripts. (The scripts are strings: the test
 * TypeScript project has no DOM types.)
 */
import type { Page } from 'playwright-core';

export interface FrameStats {
  /** Longest time between two animation frames, in ms. */
  maxFrameGapMs: number;
  /** Frames seen. */
  frames: number;
  /** Durations of long tasks, in ms. */
  longTasksMs: number[];
}

const START = `(() => {
  const stats = { maxFrameGapMs: 0, frames: 0, longTasksMs: [] };
  window.__frameStats = stats;
  const token = (window.__frameMonitor || 0) + 1;
  window.__frameMonitor = token;
  let last = performance.now();
  const tick = (now) => {
    if (window.__frameMonitor !== token) return;
    stats.maxFrameGapMs = Math.max(stats.maxFrameGapMs, now - last);
    stats.frames += 1;
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    if (window.__frameMonitor === token) for (const entry of list.getEntries()) stats.longTasksMs.push(Math.round(entry.duration));
  }).observe({ type: 'longtask' });
})()`;

const READ = `(() => {
  const stats = window.__frameStats;
  return { frames: stats.frames, maxFrameGapMs: Math.round(stats.maxFrameGapMs), longTasksMs: [...stats.longTasksMs] };
})()`;

/** Starts (or restarts) measuring. */
export async function startFrameMonitor(page: Page): Promise<void> {
  await page.evaluate(START);
}

/** What was measured since {@link startFrameMonitor}. */
export async function readFrameStats(page: Page): Promise<FrameStats> {
  return (await page.evaluate(READ)) as FrameStats;
}
