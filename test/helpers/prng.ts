/**
 * A seeded pseudo-random generator for tests whose failures must replay from a printed seed.
 */

/** mulberry32: a small, fast 32-bit PRNG; good enough to pick fuzz cases, and replayable. */
export class Prng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}

/**
 * The seed of a seeded test: the environment variable `name` when set (a decimal or `0x` hex
 * integer in 0 … 2³²−1), else `fallback`, so every run is the same unless asked otherwise.
 * @throws Error naming the variable when its value is not such an integer.
 */
export function seedFromEnv(name: string, fallback: number): number {
  const value = process.env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  const seed = /^(0x[0-9a-f]+|\d+)$/i.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > 0xffffffff) throw new Error(`${name} must be an integer from 0 to 4294967295 (decimal or 0x hex), not ${JSON.stringify(value)}`);
  return seed;
}
