// The performance targets (docs/benchmark.md), printed next to the results. Never asserted: timings depend on the machine, and a
// benchmark that fails CI on a slow runner would teach people to ignore it.

export interface GoalCheck {
  goal: string;
  met: boolean;
}

const DELETE_THINGS_RATIO = 1.5;
const SMALL_DELETE_OVERHEAD_MS = 1;
const DELETE_ALL_RATIO = 2;
const UNDOABLE_RATIO = 2;
const UNDOABLE_MEMORY_RATIO = 1.25;
const THROUGHPUT_CONCURRENCY = 16;
const THROUGHPUT_MIN_RPS = 1000;
const THROUGHPUT_MAX_P99_MS = 50;

/** Big requests within `ratio` times the baseline of the same K, small ones within 1 ms of it; none between. */
function scaledGoal(
  idCount: number,
  ms: number,
  baselineMs: number,
  ratio: number,
  baseline: string,
): GoalCheck | null {
  if (idCount >= 1000) return { goal: `≤ ${ratio}× ${baseline}`, met: ms <= ratio * baselineMs };
  if (idCount <= 100) {
    return { goal: `≤ ${baseline} + ${SMALL_DELETE_OVERHEAD_MS} ms`, met: ms <= baselineMs + SMALL_DELETE_OVERHEAD_MS };
  }
  return null;
}

/** Big deletes should be dominated by the database's own work; small ones by a fixed, small per-request cost. */
export function deleteThingsGoal(idCount: number, httpMs: number, limitMs: number): GoalCheck | null {
  return scaledGoal(idCount, httpMs, limitMs, DELETE_THINGS_RATIO, "raw");
}

/**
 * An undoable delete, and its undo, against the permanent deleteThings of the same K over HTTP: moving rows
 * writes them twice (the trash and the table), so it may cost up to twice as much, but no more.
 */
export function undoableGoal(idCount: number, httpMs: number, permanentMs: number): GoalCheck | null {
  return scaledGoal(idCount, httpMs, permanentMs, UNDOABLE_RATIO, "permanent");
}

/** The trash must not read the rows into the server: its memory grows with the request, as a permanent delete's. */
export function undoableMemoryGoal(increaseMiB: number, permanentIncreaseMiB: number): GoalCheck {
  return {
    goal: `increase ≤ ${UNDOABLE_MEMORY_RATIO}× permanent's`,
    met: increaseMiB <= UNDOABLE_MEMORY_RATIO * permanentIncreaseMiB,
  };
}

export function deleteAllThingsGoal(httpMs: number, limitMs: number): GoalCheck {
  return { goal: `≤ ${DELETE_ALL_RATIO}× raw`, met: httpMs <= DELETE_ALL_RATIO * limitMs };
}

/** The throughput goal as the report states it where it does not apply. */
export const THROUGHPUT_GOAL = `≥ ${THROUGHPUT_MIN_RPS} req/s at concurrency ${THROUGHPUT_CONCURRENCY}, p99 < ${THROUGHPUT_MAX_P99_MS} ms`;

/** Stated for the embedded database only; the caller leaves it out for a database server. */
export function throughputGoal(concurrency: number, requestsPerSecond: number, p99Ms: number): GoalCheck | null {
  if (concurrency !== THROUGHPUT_CONCURRENCY) return null;
  return {
    goal: `≥ ${THROUGHPUT_MIN_RPS} req/s, p99 < ${THROUGHPUT_MAX_P99_MS} ms`,
    met: requestsPerSecond >= THROUGHPUT_MIN_RPS && p99Ms < THROUGHPUT_MAX_P99_MS,
  };
}
