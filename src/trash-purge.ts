// The background purge of the trash: removes the rows of expired deletions for good, in bounded batches
// (src/purge-runner.ts). What is expired is read from the data (restorableUntil). On PostgreSQL one instance purges
// at a time (an advisory lock, src/db/dialect.ts); the others skip that run.
import type { TrashSettings } from "./config.ts";
import type { ThingTrash } from "./db/trash.ts";
import type { Events } from "./events.ts";
import type { Logger } from "./logger.ts";
import { NO_METRICS, type RowMetrics } from "./metrics.ts";
import { inBatches, PURGE_BATCH_SIZE, PURGE_PAUSE_MS, startPeriodicPurge, type PurgeJob } from "./purge-runner.ts";

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

/** runOnce resolves to the trashed rows it purged. */
export type TrashPurge = PurgeJob;

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
  return startPeriodicPurge({
    intervalMs: settings.purgeIntervalMs,
    logger,
    failureMessage: "trash purge failed; retrying at the next interval",
    reportRemoved: (log, purged) => log.info({ purged }, "purged expired Things from the trash"),
    run: async (isStopped) => {
      const pacing = { batchSize, pauseMs, isStopped };
      const purged = await inBatches(pacing, async () => {
        const ids = await trash.purgeExpired(batchSize);
        if (ids && ids.length > 0) {
          events.publish({ kind: "PURGED", ids, count: ids.length, allThings: false });
          metrics.rowsChanged("purgeExpired", "purged", ids.length);
        }
        return ids?.length ?? null;
      });
      // Another instance holds the lock and is purging: this run has nothing more to do.
      if (purged.lockedOut) return purged.removed;
      // Deletions one more retention period past their end, with nothing left to restore: an undo of them is
      // answered UNDO_EXPIRED until then, NOT_FOUND afterwards.
      const cutoff = new Date(now().getTime() - settings.retentionMs);
      await inBatches(pacing, () => trash.dropSpentDeletions(cutoff, batchSize));
      return purged.removed;
    },
  });
}
