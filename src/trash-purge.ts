// The background purge: removes the rows of expired deletions from the trash for good, in bounded batches with a
// pause between them, so that purging a million expired rows never holds the database for more than one small
// statement at a time, and a live delete waits at most for one batch. What is expired is read from the data
// (restorableUntil), so a restart loses nothing: the next run picks up where the last one stopped. On PostgreSQL
// one instance purges at a time (an advisory lock, src/db/dialect.ts); the others skip that run.
import type { TrashSettings } from "./config.ts";
import type { ThingTrash } from "./db/trash.ts";
import type { Events } from "./events.ts";
import type { Logger } from "./logger.ts";
import { NO_METRICS, type RowMetrics } from "./metrics.ts";

/** Most rows one purge statement removes. */
export const PURGE_BATCH_SIZE = 1000;

/** The pause between two batches, in which other transactions get the database. */
const PURGE_PAUSE_MS = 20;

export interface TrashPurgeOptions {
  trash: ThingTrash;
  events: Events;
  logger: Logger;
  settings: TrashSettings;
  now: () => Date;
  /** Counts the purged rows (operation purgeExpired); nothing by default. */
  metrics?: RowMetrics;
  batchSize?: number;
  pauseMs?: number;
}

export interface TrashPurge {
  /** One full run now: every expired row, batch after batch. Resolves to the rows it purged. */
  runOnce(): Promise<number>;
  /** No more runs; waits for the current one to finish its batch. */
  stop(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startTrashPurge({
  trash,
  events,
  logger,
  settings,
  now,
  metrics = NO_METRICS,
  batchSize = PURGE_BATCH_SIZE,
  pauseMs = PURGE_PAUSE_MS,
}: TrashPurgeOptions): TrashPurge {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function purgeAll(): Promise<number> {
    let purged = 0;
    while (!stopped) {
      const ids = await trash.purgeExpired(batchSize);
      // Another instance holds the lock and is purging: this run has nothing to do.
      if (ids === null) return purged;
      if (ids.length > 0) {
        events.publish({ kind: "PURGED", ids, count: ids.length, allThings: false });
        metrics.rowsChanged("purgeExpired", "purged", ids.length);
      }
      purged += ids.length;
      if (ids.length < batchSize) break;
      await pause(pauseMs);
    }
    // Deletions one more retention period past their end, with nothing left to restore: an undo of them is
    // answered UNDO_EXPIRED until then, NOT_FOUND afterwards.
    const cutoff = new Date(now().getTime() - settings.retentionMs);
    while (!stopped && (await trash.dropSpentDeletions(cutoff, batchSize)) === batchSize) await pause(pauseMs);
    return purged;
  }

  function runOnce(): Promise<number> {
    running ??= purgeAll().finally(() => (running = undefined));
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .then((purged) => purged > 0 && logger.info({ purged }, "purged expired Things from the trash"))
        .catch((error: unknown) => logger.error({ err: error }, "trash purge failed; retrying at the next interval"))
        .finally(schedule);
    }, settings.purgeIntervalMs);
    // The purge never keeps the process alive: shutdown stops it, and a run cut short resumes at the next start.
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
