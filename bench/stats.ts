// Order statistics of a few timed runs: the median says how fast, min/max and the quartiles how steady.

export interface Summary {
  runs: number;
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
  /** Every measurement, in run order, so the JSON keeps what the summary hides. */
  samples: number[];
}

/** Linear interpolation between the closest ranks, so 5 runs still give distinct quartiles. */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("summarize: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: samples.length,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    samples: [...samples],
  };
}

/** The faster of several summaries by median (e.g. the physical limit over journal modes and SQL shapes). */
export function fastest<T extends { summary: Summary }>(candidates: readonly T[]): T | undefined {
  return candidates.reduce<T | undefined>(
    (best, candidate) => (best === undefined || candidate.summary.median < best.summary.median ? candidate : best),
    undefined,
  );
}

/** `count` distinct values drawn at random from 1..max (partial Fisher-Yates). */
export function randomIds(count: number, max: number): number[] {
  if (count > max) throw new Error(`cannot draw ${count} distinct ids from 1..${max}`);
  const pool = Array.from({ length: max }, (_, index) => index + 1);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (max - i));
    const picked = pool[j] ?? 0;
    pool[j] = pool[i] ?? 0;
    pool[i] = picked;
  }
  return pool.slice(0, count);
}
