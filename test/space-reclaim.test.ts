// Disk space over time on SQLite: the migration that switches an existing database to auto_vacuum = INCREMENTAL,
// and the background job (src/space-reclaim.ts) that gives the pages of deleted rows back in bounded steps, so the
// file shrinks after a mass delete. On PostgreSQL the job does nothing.
import { cpSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, sqliteFilePath } from "../src/db/migrations/index.ts";
import { createLogger } from "../src/logger.ts";
import { startSpaceReclaim } from "../src/space-reclaim.ts";
import { root } from "./support/processes.ts";
import { startTestServer, testProvider, type TestServer } from "./support/server.ts";

const AUTO_VACUUM_MIGRATION = "20261202053800_sqlite_auto_vacuum";
const INCREMENTAL = 2;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "space-reclaim-test-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function sqliteFile(file: string): BetterSqlite3.Database {
  return new BetterSqlite3(file, { timeout: 0 });
}

describe.runIf(testProvider === "sqlite")("the auto_vacuum migration", () => {
  it("switches a database made by the earlier migrations, with data, in WAL mode, to INCREMENTAL and keeps its rows", async () => {
    const committed = join(root, "prisma", "migrations");
    const earlier = join(scratch, "earlier-migrations");
    cpSync(committed, earlier, { recursive: true });
    rmSync(join(earlier, AUTO_VACUUM_MIGRATION), { recursive: true });
    const file = join(scratch, "existing.db");
    await migrateDatabase({ databaseUrl: `file:${file}`, migrationsDir: earlier });
    const before = sqliteFile(file);
    before.pragma("journal_mode = WAL");
    before.exec(`INSERT INTO "Thing" ("text") VALUES ('kept'), ('also kept')`);
    expect(before.pragma("auto_vacuum", { simple: true })).toBe(0);
    before.close();

    const { applied } = await migrateDatabase({ databaseUrl: `file:${file}`, migrationsDir: committed });

    expect(applied).toContain(AUTO_VACUUM_MIGRATION);
    const after = sqliteFile(file);
    try {
      expect(after.pragma("auto_vacuum", { simple: true })).toBe(INCREMENTAL);
      expect(after.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(after.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(after.prepare(`SELECT "text" FROM "Thing" ORDER BY "id"`).pluck().all()).toEqual(["kept", "also kept"]);
      const finished = after
        .prepare(`SELECT "finished_at" IS NOT NULL FROM "_prisma_migrations" WHERE "migration_name" = ?`)
        .pluck()
        .get(AUTO_VACUUM_MIGRATION);
      expect(finished).toBe(1);
    } finally {
      after.close();
    }
  });
});

describe("reclaiming free pages", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const reclaim = (pagesPerStep: number) =>
    startSpaceReclaim({
      database: server,
      logger: createLogger("silent"),
      intervalMs: 3_600_000,
      pagesPerStep,
      pauseMs: 0,
    });

  it.runIf(testProvider === "sqlite")(
    "shrinks the file after a mass delete, in steps of at most pagesPerStep pages",
    async () => {
      const file = sqliteFilePath(server.databaseUrl, process.cwd());
      /** The database and its write-ahead log: what the data takes on disk. */
      const bytesOnDisk = () => {
        const wal = statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
        return statSync(file).size + wal;
      };
      const pragma = async (name: string) => {
        const [row] = await server.prisma.$queryRawUnsafe<Record<string, bigint | number>[]>(`PRAGMA ${name}`);
        return Number(Object.values(row ?? {})[0]);
      };
      expect(await pragma("auto_vacuum")).toBe(INCREMENTAL);
      await server.seed(Array.from({ length: 20_000 }, (_, i) => `thing ${i} ${"x".repeat(200)}`));
      await server.raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      const full = bytesOnDisk();

      // Nine rows in ten, spread over the whole file: live pages must move into the holes.
      await server.prisma.$executeRawUnsafe(`DELETE FROM "Thing" WHERE "id" % 10 <> 0`);
      const freed = await pragma("freelist_count");
      expect(freed).toBeGreaterThan(500);
      expect(bytesOnDisk()).toBeGreaterThanOrEqual(full);
      server.sql.length = 0;

      const given = await reclaim(100).runOnce();

      expect(given).toBeGreaterThanOrEqual(freed);
      expect(await pragma("freelist_count")).toBe(0);
      const steps = server.sql.filter((statement) => statement.sql.startsWith("PRAGMA incremental_vacuum"));
      expect(steps.length).toBeGreaterThanOrEqual(Math.ceil(freed / 100));
      for (const step of steps) expect(step.sql).toBe("PRAGMA incremental_vacuum(100)");
      const pageSize = await pragma("page_size");
      expect(bytesOnDisk()).toBeLessThanOrEqual(full - (freed - 10) * pageSize);
      expect(await server.things()).toHaveLength(2000);
    },
  );

  it.runIf(testProvider === "postgresql")("does nothing on PostgreSQL", async () => {
    server.sql.length = 0;
    expect(await reclaim(100).runOnce()).toBe(0);
    expect(server.sql).toEqual([]);
  });
});
