// How much the benchmark does: the full run for numbers worth publishing, `--quick` to prove it works (CI).

export interface ThroughputPlan {
  idsPerRequest: number;
  concurrencies: readonly number[];
  seconds: number;
  /**
   * Seeded rows are sized for this many requests per second, because every request must delete fresh ids; if the
   * server is faster still, the run stops early and says so.
   */
  maxRequestsPerSecond: number;
}

export interface Plan {
  mode: "full" | "quick";
  /** N: rows in the table before every timed delete. */
  rows: number;
  /** K: ids per deleteThings call. */
  idCounts: readonly number[];
  /**
   * Untimed rounds before the recorded ones of each scenario, to let the database's caches settle (V8 is warmed up
   * once for the whole run, in latency.ts).
   */
  warmups: number;
  runs: number;
  throughput: ThroughputPlan;
  /** Rows (and ids) of the one big delete whose peak server memory is measured. */
  memoryRows: number;
  /** Rows deleted at once on SQLite for the disk-space measurement (bench/disk.ts); a multiple of 10. */
  diskRows: number;
}

const FULL: Plan = {
  mode: "full",
  rows: 100_000,
  idCounts: [1, 100, 1_000, 10_000, 100_000],
  warmups: 2,
  runs: 7,
  throughput: { idsPerRequest: 10, concurrencies: [1, 16], seconds: 10, maxRequestsPerSecond: 8_000 },
  memoryRows: 1_000_000,
  diskRows: 1_000_000,
};

const QUICK: Plan = {
  mode: "quick",
  rows: 20_000,
  idCounts: [1, 100, 1_000, 10_000],
  warmups: 1,
  runs: 3,
  throughput: { ...FULL.throughput, seconds: 2 },
  memoryRows: 200_000,
  diskRows: 20_000,
};

export const USAGE = "usage: npm run bench [-- --quick]";

export function parsePlan(args: readonly string[]): Plan {
  const unknown = args.filter((arg) => arg !== "--quick");
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(" ")}\n${USAGE}`);
  return args.includes("--quick") ? QUICK : FULL;
}
