// The offline migrations on PostgreSQL: migrateDatabase, `npm run db:migrate` and the unmodified prisma CLI
// against real databases on the test server (each test its own database, dropped afterwards).
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, test } from "vitest";
import { createPrismaClient } from "../src/db/database.ts";
import { migrateDatabase } from "../src/db/migrations/index.ts";
import { databaseName, quoteIdentifier } from "../src/db/postgres.ts";
import { withDatabaseName, withPostgresClient } from "../src/db/postgres-admin.ts";
import { postgresDialect } from "../src/db/dialect.ts";
import { ThingDeletes } from "../src/db/thing-deletes.ts";
import { createScratchDatabase, servicesAvailable, type ScratchDatabase } from "./support/databases.ts";
import { expectReadable, migrationError } from "./support/migration-errors.ts";
import { expectPrismaDeployThenUpToDate, migrateCli, prisma, root, startServerProcess } from "./support/processes.ts";

const available = await servicesAvailable("PostgreSQL migration tests", ["postgres"]);
const committedMigrations = join(root, "prisma", "postgresql", "migrations");
const committedNames = readdirSync(committedMigrations, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort((a, b) => a.localeCompare(b));
const UNREACHABLE_URL = "postgresql://postgres:secret@127.0.0.1:1/test";

const scratch = mkdtempSync(join(tmpdir(), "migrations-pg-"));
// Dropped after the file: onTestFinished cannot tell concurrent tests apart.
const databases: ScratchDatabase[] = [];
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await Promise.all(databases.map((database) => database.drop()));
});

/** A new, empty database. */
async function freshDatabase(): Promise<string> {
  const database = await createScratchDatabase("postgresql");
  databases.push(database);
  return database.url;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  applied_steps_count: number;
}

const query = <T>(url: string, sql: string) =>
  withPostgresClient(url, async (client) => (await client.query(sql)).rows as T[]);
const migrationRows = (url: string) =>
  query<MigrationRow>(url, `SELECT * FROM "_prisma_migrations" ORDER BY "migration_name"`);
const tableNames = async (url: string) =>
  (await query<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).map(
    (row) => row.tablename,
  );
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

// Several tests run the Prisma CLI, concurrently: a hang guard sized for a loaded 2-core machine, not a speed check.
describe.skipIf(!available).concurrent("migrations on PostgreSQL", { timeout: 120_000 }, () => {
  test("a fresh database gets the PostgreSQL history, recorded exactly as Prisma records it", async ({ expect }) => {
    const url = await freshDatabase();

    const { applied } = await migrateDatabase({ databaseUrl: url });

    expect(applied).toEqual(committedNames);
    expect(await tableNames(url)).toContain("Thing");
    const rows = await migrationRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(committedNames);
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(join(committedMigrations, row.migration_name, "migration.sql")));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  test("an up-to-date database is left alone, its rows kept", async ({ expect }) => {
    const url = await freshDatabase();
    await migrateDatabase({ databaseUrl: url });
    await query(url, `INSERT INTO "Thing" ("text") VALUES ('kept')`);

    expect(await migrateDatabase({ databaseUrl: url })).toEqual({ applied: [] });

    expect(await query(url, `SELECT "text" FROM "Thing"`)).toEqual([{ text: "kept" }]);
    expect(await migrationRows(url)).toHaveLength(committedNames.length);
  });

  test("a migration edited after it was applied is refused with MIGRATION_EDITED, and nothing is applied", async ({
    expect,
  }) => {
    const url = await freshDatabase();
    const migrationsDir = join(mkdtempSync(join(scratch, "case-")), "migrations");
    cpSync(committedMigrations, migrationsDir, { recursive: true });
    await migrateDatabase({ databaseUrl: url, migrationsDir });
    const [first] = committedNames;
    appendFileSync(join(migrationsDir, `${first}`, "migration.sql"), `\nCREATE TABLE "Sneaky" ("id" INTEGER);\n`);

    const error = await migrationError(migrateDatabase({ databaseUrl: url, migrationsDir }));

    expect(error.code).toBe("MIGRATION_EDITED");
    expect(error.message).toContain(`"${first}"`);
    expectReadable(error.message);
    expect(await tableNames(url)).not.toContain("Sneaky");
  });

  test("an unreachable server is refused with DATABASE_UNREACHABLE, naming no password", async ({ expect }) => {
    const error = await migrationError(migrateDatabase({ databaseUrl: UNREACHABLE_URL }));

    expect(error.code).toBe("DATABASE_UNREACHABLE");
    expect(error.message).toContain("Cannot connect to the database");
    expect(error.message).not.toContain("secret");
    expectReadable(error.message);
  });

  test("the server refuses to start on an unreachable database with one line and exit code 1", async ({ expect }) => {
    const failing = startServerProcess({ DATABASE_URL: UNREACHABLE_URL });
    await expect(failing).rejects.toThrow(/exited with 1/);
    const message = await failing.then(
      () => "",
      (error: Error) => error.message,
    );
    expect(message).toMatch(/Cannot start: Cannot connect to the database in DATABASE_URL/);
    expect(message).not.toMatch(/^\s+at /m);
  });

  // Without the explicit exit, the wasm engine's timer keeps a PostgreSQL run alive for 10 s (tools/prisma-offline/README.md W8). A pending timer
  // far longer than the test stands in for it, so that waiting for the event loop to empty fails by the test's
  // timeout instead of by a duration measured on a machine that may be busy.
  test("npm run db:migrate applies, then reports up to date, and exits with a timer still pending", async ({
    expect,
  }) => {
    const url = await freshDatabase();
    const pendingTimer = ["--import", "data:text/javascript,setTimeout(() => {}, 120000)"];

    const first = await migrateCli(url, pendingTimer);
    expect(first.stdout.trim().split("\n")).toEqual(committedNames.map((name) => `Applied migration ${name}`));
    expect(first.code).toBe(0);
    const second = await migrateCli(url, pendingTimer);
    expect(second.stdout.trim()).toBe("Database is up to date");
    expect(second.code).toBe(0);
  });

  test("prisma migrate deploy creates a missing database, migrate status agrees, and migrateDatabase takes over", async ({
    expect,
  }) => {
    const existing = await freshDatabase();
    await withPostgresClient(withDatabaseName(existing, "postgres"), (client) =>
      client.query(`DROP DATABASE ${quoteIdentifier(databaseName(existing))}`),
    );
    const env = { DATABASE_URL: existing };

    await expectPrismaDeployThenUpToDate(expect, env);
    expect(await migrateDatabase({ databaseUrl: existing })).toEqual({ applied: [] });
  });

  test("a ?schema= URL keeps the tables and the history in that schema, and the app's raw SQL finds them", async ({
    expect,
  }) => {
    const url = `${await freshDatabase()}?schema=tenant_a`;
    await migrateDatabase({ databaseUrl: url });
    const tables = await query<{ table_schema: string; table_name: string }>(
      url,
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_name",
    );
    expect(tables).toEqual([
      { table_schema: "tenant_a", table_name: "DeleteAudit" },
      { table_schema: "tenant_a", table_name: "Deletion" },
      { table_schema: "tenant_a", table_name: "Thing" },
      { table_schema: "tenant_a", table_name: "TrashedThing" },
      { table_schema: "tenant_a", table_name: "_prisma_migrations" },
    ]);
    const prisma = await createPrismaClient({ databaseUrl: url, sqliteSynchronous: "NORMAL" });
    try {
      const created = await prisma.thing.createManyAndReturn({ data: [{ text: "a" }, { text: "b" }] });
      const deletes = new ThingDeletes(prisma, postgresDialect);
      const [first, second] = created.map((thing) => thing.id);
      const options = { dryRun: false, wantIds: true, subject: "test" };
      const outcome = await deletes.byIds([first!], { ...options, trash: null });
      expect(outcome.deletedIds).toEqual([first]);
      // The trash's statements are raw SQL too: they find their tables in the schema.
      const at = new Date();
      const trash = {
        deletionId: "d1",
        deletedBy: "test",
        deletedAt: at,
        restorableUntil: new Date(at.getTime() + 1000),
      };
      const trashed = await deletes.byIds([second!], { ...options, trash });
      expect(trashed).toMatchObject({ deletedIds: [second], deletionId: "d1" });
    } finally {
      await prisma.$disconnect();
    }
  });

  // Doubles as the CI check that prisma/postgresql/schema.prisma and its committed migrations agree.
  test("migrate diff finds no drift between the PostgreSQL migrations and the PostgreSQL schema", async ({
    expect,
  }) => {
    const args = [
      "--from-migrations",
      "prisma/postgresql/migrations",
      "--to-schema",
      "prisma/postgresql/schema.prisma",
      "--exit-code",
    ];
    const diff = await prisma(["migrate", "diff", ...args], { env: { DATABASE_URL: await freshDatabase() } });

    expect(diff.stdout).toContain("No difference detected.");
    expect(diff.code).toBe(0);
  });
});
