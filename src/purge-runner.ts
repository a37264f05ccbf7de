// The loop every background job that removes data shares: src/trash-purge.ts, src/audit-purge.ts and
// src/space-reclaim.ts each get a timer that runs the job every interval, one run at a time, and a loop of bounded
// batches with a pause between them, so that removing a million rows never holds the database for more than one
// small statement at a time, and a live request waits at most for one batch. What to remove is read from the data, so a
// restart loses nothing: the next run picks up where the last one stopped.
import type { Logger } from "./logger.ts";

/** Most rows one purge statement removes. */
export const PURGE_BATCH_SIZE = 1000;

/** The pause between two batches, in which other transactions get the database. */
export const PURGE_PAUSE_MS = 20;

export interface PurgeJob {
  /** One full run now, batch after batch; resolves to how much it removed. A run under way is joined, not doubled. */
  runOnce(): Promise<number>;
  /** No more runs; waits for the current one to finish its batch. */
  stop(): Promise<void>;
}

/** How a run's batches are sized and paced, and whether the job was stopped (checked before every batch). */
export interface BatchPacing {
  batchSize: number;
  pauseMs: number;
  isStopped(): boolean;
}

export interface BatchesOutcome {
  /** What the batches removed in all. */
  removed: number;
  /** A batch found another instance running this purge (its lock held), so this run stopped there. */
  lockedOut: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `batch` (which removes at most `pacing.batchSize` and says how many, or null when another instance holds the
 * purge's lock) until a batch is not full, the job stops, or the lock is held elsewhere.
 */
export async function inBatches(pacing: BatchPacing, batch: () => Promise<number | null>): Promise<BatchesOutcome> {
  let removed = 0;
  while (!pacing.isStopped()) {
    const count = await batch();
    if (count === null) return { removed, lockedOut: true };
    removed += count;
    if (count < pacing.batchSize) break;
    await pause(pacing.pauseMs);
  }
  return { removed, lockedOut: false };
}

export interface PeriodicPurgeOptions {
  intervalMs: number;
  logger: Logger;
  /** One run; `isStopped` turns true when stop() is called, for the run to check between batches. */
  run(isStopped: () => boolean): Promise<number>;
  /** Logs a run that removed something (`removed` > 0). */
  reportRemoved(logger: Logger, removed: number): void;
  /** The log message of a failed run; the job retries at the next interval. */
  failureMessage: string;
}

export function startPeriodicPurge({
  intervalMs,
  logger,
  run,
  reportRemoved,
  failureMessage,
}: PeriodicPurgeOptions): PurgeJob {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  const isStopped = () => stopped;

  function runOnce(): Promise<number> {
    running ??= run(isStopped).finally(() => (running = undefined));
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .then((removed) => removed > 0 && reportRemoved(logger, removed))
        .catch((error: unknown) => logger.error({ err: error }, failureMessage))
        .finally(schedule);
    }, intervalMs);
    // A purge never keeps the process alive: shutdown stops it, and a run cut short resumes at the next start.
    timer.unref();
  }

  schedule();
  return {
    runOnce,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}
