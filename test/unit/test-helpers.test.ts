/**
 * Test helpers that decide other tests' verdicts: `liveObjects` fails when the class it counts is
 * not in the heap at all (rather than counting 0 survivors), and the fuzzer's seed is fixed unless
 * `FUZZ_SEED` says otherwise, and replays the same sessions.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveObjects } from '../helpers/memory.js';
import { Prng, seedFromEnv } from '../helpers/prng.js';
import { generateSession } from '../helpers/smtp-fuzz.js';

class CountedProbe {
  constructor(readonly n: number) {}
}

describe('liveObjects', () => {
  it('counts the live instances of a class, and throws for a name no class in the heap has', { timeout: 30_000 }, async () => {
    const kept = [new CountedProbe(1), new CountedProbe(2), new CountedProbe(3)];
    expect(await liveObjects(['CountedProbe'])).toEqual({ CountedProbe: 3 });
    expect(kept).toHaveLength(3);
    await expect(liveObjects(['CountedProbe', 'NoSuchClassInThisHeap'])).rejects.toThrow(
      'no class or function named NoSuchClassInThisHeap is alive in this process: renamed or not loaded, so its survivors cannot be counted',
    );
  });
});

describe('fuzz seed', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is the fallback without FUZZ_SEED, the given integer with it, and an error naming the variable otherwise', () => {
    vi.stubEnv('FUZZ_SEED', '');
    expect(seedFromEnv('FUZZ_SEED', 42)).toBe(42);
    vi.stubEnv('FUZZ_SEED', '123456');
    expect(seedFromEnv('FUZZ_SEED', 42)).toBe(123456);
    vi.stubEnv('FUZZ_SEED', '0xffffffff');
    expect(seedFromEnv('FUZZ_SEED', 42)).toBe(4294967295);
    for (const bad of ['-1', '4294967296', '1.5', 'abc']) {
      vi.stubEnv('FUZZ_SEED', bad);
      expect(() => seedFromEnv('FUZZ_SEED', 42), bad).toThrow(`FUZZ_SEED must be an integer from 0 to 4294967295 (decimal or 0x hex), not "${bad}"`);
    }
  });

  it('replays: the same seed generates the same sessions, another seed others', () => {
    /** One line per session: its shape and a SHA-256 over its bytes. */
    const sessions = (seed: number) => {
      const rng = new Prng(seed);
      return Array.from({ length: 200 }, (_, i) => {
        const { chunks, ...shape } = generateSession(rng, i);
        const hash = createHash('sha256');
        for (const chunk of chunks) hash.update(chunk);
        return JSON.stringify({ ...shape, chunks: chunks.length, sha256: hash.digest('hex') });
      });
    };
    expect(sessions(7)).toEqual(sessions(7));
    expect(sessions(8)).not.toEqual(sessions(7));
  });
});
