// The retention of the delete audit: DeleteAudit rows older than AUDIT_RETENTION_MS are removed for good, oldest
// first, in bounded batches on the trash purge's interval (src/purge-runner.ts). On PostgreSQL one instance purges
// at a time (its own advisory lock, src/db/dialect.ts). AUDIT_RETENTION_MS=0 keeps every row: the job never runs.
import { purgeAuditBefore } from "./db/audit.ts";
import type { SqlDialect } from "./db/dialect.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Logger } from "./logger.ts";
import { inBatches, PURGE_BATCH_SIZE, PURGE_PAUSE_MS, startPeriodicPurge, type PurgeJob } from "./purge-runner.ts";

export interface AuditPurgeOptions {
  prisma: PrismaClient;
  dialect: SqlDialect;
  logger: Logger;
  /** AUDIT_RETENTION_MS; 0 keeps every row. */
  retentionMs: number;
  intervalMs: number;
  now: () => Date;
  batchSize?: number;
  pauseMs?: number;
}

/** runOnce resolves to the audit rows it removed. */
export type AuditPurge = PurgeJob;

const KEEP_FOREVER: AuditPurge = { runOnce: () => Promise.resolve(0), stop: () => Promise.resolve() };

export function startAuditPurge({
  prisma,
  dialect,
  logger,
  retentionMs,
  intervalMs,
  now,
  batchSize = PURGE_BATCH_SIZE,
  pauseMs = PURGE_PAUSE_MS,
}: AuditPurgeOptions): AuditPurge {
  if (retentionMs === 0) return KEEP_FOREVER;
  return startPeriodicPurge({
    intervalMs,
    logger,
    failureMessage: "audit purge failed; retrying at the next interval",
    reportRemoved: (log, purged) => log.info({ purged, retentionMs }, "purged delete audit rows past their retention"),
    run: async (isStopped) => {
      // One cutoff per run: rows that age past it during the run wait for the next one.
      const cutoff = new Date(now().getTime() - retentionMs);
      const { removed } = await inBatches({ batchSize, pauseMs, isStopped }, () =>
        purgeAuditBefore(prisma, dialect, cutoff, batchSize),
      );
      return removed;
    },
  });
}
