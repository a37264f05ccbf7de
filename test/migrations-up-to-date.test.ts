// A start on a database that already has every committed migration reads _prisma_migrations and does not load the
// schema engine; any other history still goes to the engine, which reports what is wrong. On the configured
// provider (TEST_DATABASE).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../src/db/migrations/index.ts";
import {
  createScratchDatabase,
  openRawDatabase,
  servicesAvailable,
  testProvider,
  type ScratchDatabase,
} from "./support/databases.ts";
import { migrationError } from "./support/migration-errors.ts";
import { moduleLog } from "./support/module-log.ts";
import { startServerProcess } from "./support/processes.ts";

const available = await servicesAvailable(
  "up-to-date migration tests",
  testProvider === "postgresql" ? ["postgres"] : [],
);
const ENGINE_PACKAGE = "/node_modules/@prisma/schema-engine-wasm/";

let directory: string;
const databases: ScratchDatabase[] = [];
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "migrations-up-to-date-"));
});
afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  await Promise.all(databases.map((database) => database.drop()));
});

async function scratchDatabase(): Promise<string> {
  const database = await createScratchDatabase();
  databases.push(database);
  return database.url;
}

/** The modules a server process loaded while starting on `databaseUrl` and stopping again. */
async function modulesOfAStart(databaseUrl: string): Promise<string[]> {
  const modules = moduleLog(mkdtempSync(join(directory, "modules-")));
  const server = await startServerProcess({ DATABASE_URL: databaseUrl, NODE_OPTIONS: `--import ${modules.hook}` });
  expect(await server.stop()).toEqual({ code: 0, signal: null });
  return modules.urls();
}

/** A migrated database whose first migration's record was changed by `update` (SET … of _prisma_migrations). */
async function migratedWithTamperedRecord(update: string): Promise<{ databaseUrl: string; first: string }> {
  const databaseUrl = await scratchDatabase();
  const { applied } = await migrateDatabase({ databaseUrl });
  const first = applied[0]!;
  const raw = await openRawDatabase(databaseUrl);
  try {
    await raw.exec(`UPDATE "_prisma_migrations" SET ${update} WHERE "migration_name" = '${first}'`);
  } finally {
    await raw.close();
  }
  return { databaseUrl, first };
}

describe.runIf(available)("migrating at start", () => {
  it("loads the schema engine on a new database, and not on one that has every committed migration", async () => {
    const databaseUrl = await scratchDatabase();

    const first = await modulesOfAStart(databaseUrl);
    const second = await modulesOfAStart(databaseUrl);

    // The hook sees the engine when it is used, so its absence from the second start means it was not loaded.
    expect(first).toContainEqual(expect.stringContaining(ENGINE_PACKAGE));
    expect(second).toContainEqual(expect.stringContaining("/node_modules/graphql/"));
    expect(second.filter((url) => url.includes(ENGINE_PACKAGE))).toEqual([]);
  });

  it("an applied migration whose recorded checksum differs gets the engine's MIGRATION_EDITED", async () => {
    const { databaseUrl, first } = await migratedWithTamperedRecord(`"checksum" = 'not-the-checksum'`);

    const error = await migrationError(migrateDatabase({ databaseUrl }));

    expect(error.code).toBe("MIGRATION_EDITED");
    expect(error.message).toContain(`"${first}"`);
  });

  it("a migration recorded as failed gets the engine's MIGRATION_FAILED (P3009)", async () => {
    const { databaseUrl, first } = await migratedWithTamperedRecord(`"finished_at" = NULL`);

    const error = await migrationError(migrateDatabase({ databaseUrl }));

    expect(error.code).toBe("MIGRATION_FAILED");
    expect(error.prismaCode).toBe("P3009");
    expect(error.message).toContain(`"${first}"`);
  });
});
