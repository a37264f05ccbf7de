// Disk space after a mass delete on SQLite: the file (and its -wal) after seeding, after deleting N rows, and after
// one run of the server's space reclaim job (src/space-reclaim.ts), once on a database with auto_vacuum =
// INCREMENTAL (what the migrations make) and once on one without (the history before that migration), so the
// report shows what the job gives back and that without it nothing comes back. In process, on the server's Prisma
// client and SQLite settings; the longest event-loop stall while the job ran shows how bounded its steps are.
import { cpSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createPrismaClient } from "../src/db/database.ts";
import { migrateDatabase } from "../src/db/migrations/index.ts";
import { createLogger } from "../src/logger.ts";
import { startSpaceReclaim } from "../src/space-reclaim.ts";
import type { Cleanup } from "./cleanup.ts";
import { progress } from "./progress.ts";
import { VerificationError } from "./verify.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/migrations/", import.meta.url));
const AUTO_VACUUM_MIGRATION = "20261202053800_sqlite_auto_vacuum";
const MIB = 2 ** 20;
/** One row in this many is kept, spread over the whole file, so the job must move live pages into the holes. */
const KEEP_EVERY = 11;

export interface DiskResult {
  autoVacuum: "INCREMENTAL" | "NONE";
  rowsDeleted: number;
  rowsKept: number;
  /** Database plus -wal file, MiB: after seeding (checkpointed), after the delete, after one reclaim run. */
  seededMiB: number;
  afterDeleteMiB: number;
  afterReclaimMiB: number;
  deleteMs: number;
  /** Free pages the reclaim run gave back, and how long the run took. */
  pagesReclaimed: number;
  reclaimMs: number;
  /** Longest event-loop stall during the reclaim run: its longest step or checkpoint. */
  longestStallMs: number;
}

function mibOnDisk(file: string): number {
  const wal = statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  return (statSync(file).size + wal) / MIB;
}

async function measure(dir: string, incremental: boolean, rowsDeleted: number): Promise<DiskResult> {
  const file = join(dir, incremental ? "incremental.db" : "none.db");
  const databaseUrl = `file:${file}`;
  let migrationsDir = MIGRATIONS_DIR;
  if (!incremental) {
    migrationsDir = join(dir, "migrations-without-auto-vacuum");
    cpSync(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    rmSync(join(migrationsDir, AUTO_VACUUM_MIGRATION), { recursive: true });
  }
  await migrateDatabase({ databaseUrl, migrationsDir });
  const prisma = await createPrismaClient({ databaseUrl, sqliteSynchronous: "NORMAL" });
  try {
    const rows = (rowsDeleted * KEEP_EVERY) / (KEEP_EVERY - 1);
    await prisma.$executeRaw`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${rows}) INSERT INTO "Thing" ("id", "text") SELECT i, 'thing ' || i FROM seq`;
    await prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    const seededMiB = mibOnDisk(file);

    const deleteStart = performance.now();
    const deleted = await prisma.$executeRaw`DELETE FROM "Thing" WHERE "id" % ${KEEP_EVERY} <> 0`;
    const deleteMs = performance.now() - deleteStart;
    if (deleted !== rowsDeleted) throw new VerificationError(`disk: deleted ${deleted} rows, expected ${rowsDeleted}`);
    const afterDeleteMiB = mibOnDisk(file);

    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    const job = startSpaceReclaim({
      database: { prisma, provider: "sqlite" },
      logger: createLogger("silent"),
      intervalMs: 3_600_000,
    });
    const reclaimStart = performance.now();
    const pagesReclaimed = await job.runOnce();
    const reclaimMs = performance.now() - reclaimStart;
    await job.stop();
    stalls.disable();

    const kept = await prisma.thing.count();
    if (kept !== rows - rowsDeleted)
      throw new VerificationError(`disk: ${kept} rows left, expected ${rows - rowsDeleted}`);
    return {
      autoVacuum: incremental ? "INCREMENTAL" : "NONE",
      rowsDeleted,
      rowsKept: kept,
      seededMiB,
      afterDeleteMiB,
      afterReclaimMiB: mibOnDisk(file),
      deleteMs,
      pagesReclaimed,
      reclaimMs,
      longestStallMs: stalls.max / 1e6,
    };
  } finally {
    await prisma.$disconnect();
  }
}

/** `rowsDeleted` must be a multiple of KEEP_EVERY - 1 (10), so exactly that many rows are deleted. */
export async function measureDiskSpace(rowsDeleted: number, cleanup: Cleanup): Promise<DiskResult[]> {
  const dir = cleanup.tempDir("things-bench-disk-");
  const results: DiskResult[] = [];
  for (const incremental of [true, false]) {
    progress(`SQLite disk space: deleting ${rowsDeleted} rows, auto_vacuum ${incremental ? "INCREMENTAL" : "NONE"}`);
    results.push(await measure(dir, incremental, rowsDeleted));
  }
  return results;
}
