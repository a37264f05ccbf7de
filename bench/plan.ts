// How much the benchmark does: the full run for numbers worth publishing, `--quick` for rough numbers in a minute,
// `--smoke` (CI) only to prove that every scenario runs and removes exactly the rows it should.

export interface ThroughputPlan {
  idsPerRequest: number;
  concurrencies: readonly number[];
  /** Length of one round. */
  seconds: number;
  /**
   * Rounds per target and concurrency, the server's and its peers' taking turns; the median round (by req/s) is
   * reported. On a VM whose speed drifts from minute to minute, one burst then moves one round of each, not the
   * result, and the ratio of two targets compares rounds that ran next to each other.
   */
  rounds: number;
  /**
   * Seeded rows are sized for this many requests per second, because every request must delete fresh ids; if the
   * server is faster still, the run stops early and says so.
   */
  maxRequestsPerSecond: number;
}

export interface Plan {
  mode: "full" | "quick" | "smoke";
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
  /** At most this many untimed requests per shape when warming the server's JIT up (latency.ts). */
  maxWarmUpRequests: number;
  throughput: ThroughputPlan;
  /** Rows (and ids) of the one big delete whose peak server memory is measured. */
  memoryRows: number;
  /** Rows deleted at once on SQLite for the disk-space measurement (bench/disk.ts); a multiple of 10. */
  diskRows: number;
  /** Timed starts of the compiled server on an already-migrated database (bench/start-time.ts). */
  startRuns: number;
  /** Mixed requests after which the server's RSS is read, and the connections sending them (bench/mixed-load.ts). */
  mixedRequests: number;
  mixedConnections: number;
}

const FULL: Plan = {
  mode: "full",
  rows: 100_000,
  idCounts: [1, 100, 1_000, 10_000, 100_000],
  warmups: 2,
  runs: 7,
  maxWarmUpRequests: 500,
  throughput: { idsPerRequest: 10, concurrencies: [1, 16], seconds: 6, rounds: 3, maxRequestsPerSecond: 8_000 },
  memoryRows: 1_000_000,
  diskRows: 1_000_000,
  startRuns: 5,
  mixedRequests: 10_000,
  mixedConnections: 8,
};

const QUICK: Plan = {
  mode: "quick",
  rows: 20_000,
  idCounts: [1, 100, 1_000, 10_000],
  warmups: 1,
  runs: 3,
  maxWarmUpRequests: 500,
  throughput: { ...FULL.throughput, seconds: 2, rounds: 1 },
  memoryRows: 200_000,
  diskRows: 20_000,
  startRuns: 5,
  mixedRequests: 2_000,
  mixedConnections: 8,
};

/**
 * Every scenario and both SQL shapes (K=1000 takes the one-parameter path, K=10 the deleteMany one), each delete
 * still verified, on small tables, without the rounds that only make timings steadier.
 */
const SMOKE: Plan = {
  mode: "smoke",
  rows: 2_000,
  idCounts: [10, 1_000],
  warmups: 0,
  runs: 2,
  maxWarmUpRequests: 5,
  // Two rounds, so that taking turns and picking the median round run too.
  throughput: { ...FULL.throughput, seconds: 1, rounds: 2, maxRequestsPerSecond: 1_000 },
  memoryRows: 20_000,
  diskRows: 5_000,
  startRuns: 2,
  mixedRequests: 300,
  mixedConnections: 8,
};

const MODES: Record<string, Plan> = { "--quick": QUICK, "--smoke": SMOKE };

export const USAGE = "usage: npm run bench [-- --quick | --smoke]";

export function parsePlan(args: readonly string[]): Plan {
  if (args.length > 1 || (args.length === 1 && !(args[0]! in MODES))) {
    throw new Error(`unknown arguments ${args.join(" ")}\n${USAGE}`);
  }
  return args.length === 1 ? MODES[args[0]!]! : FULL;
}
