/**
 * Memory measurement for tests that bound what the sink retains. In process (the sink runs in the
 * test process): samples after a full garbage collection, so transient garbage does not count, and
 * counts live objects by constructor from a heap snapshot. For a sink in a child process (the CLI):
 * its resident set size from /proc.
 */
import { readFileSync } from 'node:fs';
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

/** Memory of this process after two full garbage collections, in bytes (see {@link settledMemory}). */
export interface SettledMemory {
  heapUsed: number;
  /** Buffers and other ArrayBuffers (socket chunks, message bytes), outside the V8 heap. */
  arrayBuffers: number;
  rss: number;
}

/**
 * Runs two full garbage collections and returns what is still retained. The first collection may
 * leave freshly freed Buffers' backing stores counted; the second settles them.
 */
export function settledMemory(): SettledMemory {
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as () => void;
  collect();
  collect();
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, arrayBuffers, rss };
}

/** Current (`VmRSS`) and peak (`VmHWM`) resident set size of another process, in bytes (Linux `/proc`). */
export function processRss(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/**
 * How many objects of each given constructor name are alive in this process, from a heap snapshot
 * (which runs a full garbage collection first). Takes a second or so for a ~50 MB heap; use it for
 * exact "nothing of this kind survives" assertions, e.g. `SMTPConnection` after every client left.
 * @throws Error when the heap holds no function (class) of one of the names: a renamed or never
 *   loaded class would otherwise count 0 survivors and let the assertion pass without looking.
 */
export async function liveObjects(names: readonly string[]): Promise<Record<string, number>> {
  let json = '';
  for await (const chunk of v8.getHeapSnapshot()) json += chunk;
  const snapshot = JSON.parse(json) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const fields = snapshot.snapshot.meta.node_fields;
  const [typeAt, nameAt, stride] = [fields.indexOf('type'), fields.indexOf('name'), fields.length];
  const [objectType, closureType] = ['object', 'closure'].map((type) => snapshot.snapshot.meta.node_types[0].indexOf(type));
  const wanted = new Map(names.map((name) => [snapshot.strings.indexOf(name), name]));
  const counts = Object.fromEntries(names.map((name) => [name, 0]));
  const constructors = new Set<string>();
  for (let i = 0; i < snapshot.nodes.length; i += stride) {
    const type = snapshot.nodes[i + typeAt];
    if (type !== objectType && type !== closureType) continue;
    const name = wanted.get(snapshot.nodes[i + nameAt]!);
    if (name === undefined) continue;
    if (type === closureType) constructors.add(name);
    else counts[name] = counts[name]! + 1;
  }
  const missing = names.filter((name) => !constructors.has(name));
  if (missing.length > 0) throw new Error(`no class or function named ${missing.join(', ')} is alive in this process: renamed or not loaded, so its survivors cannot be counted`);
  return counts;
}
