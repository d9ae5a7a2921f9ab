/**
 * Seeded pseudo-random numbers for benchmark and test inputs (mulberry32): the same seed gives the
 * same input in every run, so a bench and its test measure and check the same data.
 */

/** A generator of uniform 32-bit unsigned integers from `seed` (mulberry32). */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The same generator as fractions in [0, 1). */
export function rngFraction(seed: number): () => number {
  const next = rng(seed);
  return () => next() / 4294967296;
}
