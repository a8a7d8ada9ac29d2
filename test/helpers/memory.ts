/**
 * In-process memory measurement for tests that bound what the sink retains (the sink runs in the
 * test process). Samples after a full garbage collection, so transient garbage does not count.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Peak growth over the baseline, in bytes, and the growth left when sampling stopped. */
export interface RetainedMemory {
  /** Peak growth of `process.memoryUsage().arrayBuffers` (Buffers: socket chunks, message bytes). */
  arrayBuffers: number;
  /** Peak growth of the resident set size (coarse: the allocator keeps freed pages). */
  rss: number;
  /** Growth of `arrayBuffers` at `stop()`. */
  finalArrayBuffers: number;
  samples: number;
}

/** A running sampler; `stop()` takes a last sample and returns the figures. */
export interface MemorySampler {
  stop(): RetainedMemory;
}

/**
 * Takes a baseline after a full GC, then every `intervalMs` runs a full GC and records the retained
 * memory. Exposes V8's `gc` to this process for the purpose (`--expose-gc` at run time).
 */
export function sampleRetainedMemory(intervalMs: number): MemorySampler {
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as () => void;
  // One full GC may leave freshly freed Buffers' backing stores counted; a second one settles it.
  const gc = () => {
    collect();
    collect();
  };
  gc();
  const base = process.memoryUsage();
  const peak = { arrayBuffers: 0, rss: 0, samples: 0 };
  const sample = () => {
    gc();
    const now = process.memoryUsage();
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers - base.arrayBuffers);
    peak.rss = Math.max(peak.rss, now.rss - base.rss);
    peak.samples += 1;
    return now.arrayBuffers - base.arrayBuffers;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const finalArrayBuffers = sample();
      return { ...peak, finalArrayBuffers };
    },
  };
}
