// Gives the disk space of deleted rows back on SQLite. With auto_vacuum = INCREMENTAL (migration
// 20261202053800_sqlite_auto_vacuum) the pages a delete frees stay on SQLite's free list, and the file keeps its
// size, until `PRAGMA incremental_vacuum(N)` moves up to N of them off the end of the file. better-sqlite3 runs on
// the event loop, so each step is bounded: RECLAIM_PAGES_PER_STEP pages (4 MiB at the default 4 KiB page), measured
// at 1–25 ms on the benchmark machine (more when live pages must move into the holes), with the purge's pause
// between steps. Runs on the trash purge's interval (src/purge-runner.ts), so space freed by any delete, trash purge
// or audit purge comes back within one interval. PostgreSQL needs none of this: its autovacuum makes the space of
// deleted rows reusable.
import type { Database } from "./db/database.ts";
import type { Logger } from "./logger.ts";
import { inBatches, PURGE_PAUSE_MS, startPeriodicPurge, type PurgeJob } from "./purge-runner.ts";

/** Most free pages one incremental_vacuum step hands back. */
export const RECLAIM_PAGES_PER_STEP = 1000;

export interface SpaceReclaimOptions {
  database: Pick<Database, "prisma" | "provider">;
  logger: Logger;
  intervalMs: number;
  pagesPerStep?: number;
  pauseMs?: number;
}

/** runOnce resolves to the pages it gave back (0 on PostgreSQL, where there is no job). */
export type SpaceReclaim = PurgeJob;

const NOTHING_TO_RECLAIM: SpaceReclaim = { runOnce: () => Promise.resolve(0), stop: () => Promise.resolve() };

export function startSpaceReclaim({
  database: { prisma, provider },
  logger,
  intervalMs,
  pagesPerStep = RECLAIM_PAGES_PER_STEP,
  pauseMs = PURGE_PAUSE_MS,
}: SpaceReclaimOptions): SpaceReclaim {
  if (provider !== "sqlite") return NOTHING_TO_RECLAIM;
  if (!Number.isInteger(pagesPerStep) || pagesPerStep < 1) throw new Error(`pagesPerStep must be a positive integer`);
  const freePages = async () => {
    const [row] = await prisma.$queryRawUnsafe<{ freelist_count: bigint | number }[]>("PRAGMA freelist_count");
    return Number(row?.freelist_count ?? 0);
  };
  return startPeriodicPurge({
    intervalMs,
    logger,
    failureMessage: "reclaiming free SQLite pages failed; retrying at the next interval",
    reportRemoved: (log, pages) => log.info({ pages }, "gave free SQLite pages back to the file system"),
    run: async (isStopped) => {
      const { removed } = await inBatches({ batchSize: pagesPerStep, pauseMs, isStopped }, async () => {
        const before = await freePages();
        if (before === 0) return 0;
        // pagesPerStep is a checked integer: a PRAGMA takes no bound parameters.
        await prisma.$executeRawUnsafe(`PRAGMA incremental_vacuum(${pagesPerStep})`);
        // A delete between the two reads adds free pages; the step still counts as not full then.
        return Math.max(0, before - (await freePages()));
      });
      // In WAL mode the file shrinks when the moved pages are checkpointed; TRUNCATE also empties the -wal file,
      // which otherwise stays at the size of the largest transaction since the start (a mass delete's). It copies
      // only what the last automatic checkpoint (every 1000 pages) left, so it is as bounded as a step.
      if (removed > 0) await prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
      return removed;
    },
  });
}
