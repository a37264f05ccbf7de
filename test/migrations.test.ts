// The offline migration machinery: migrateDatabase on real SQLite files, and the unmodified prisma CLI through the
// schema-engine shim that prisma.config.ts selects.
import { createHash } from "node:crypto";
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateDatabase } from "../src/db/migrations/index.ts";
import { expectReadable, migrationError } from "./support/migration-errors.ts";
import { expectPrismaDeployThenUpToDate, prisma, root, run } from "./support/processes.ts";

const committedMigrations = join(root, "prisma", "migrations");
const committedNames = migrationNames(committedMigrations);

function migrationNames(migrationsDir: string): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

// One parent for the file: onTestFinished cannot tell concurrent tests apart.
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "migrations-test-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tempDir(): string {
  return mkdtempSync(join(scratch, "case-"));
}

/** A copy of the committed migrations that a test may change. */
function copyOfMigrations(dir: string): string {
  const copy = join(dir, "migrations");
  cpSync(committedMigrations, copy, { recursive: true });
  return copy;
}

function addMigration(migrationsDir: string, name: string, sql: string): void {
  mkdirSync(join(migrationsDir, name));
  writeFileSync(join(migrationsDir, name, "migration.sql"), sql);
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** A raw connection that fails at once (timeout 0) instead of waiting if another connection holds the lock. */
function withDatabase<T>(file: string, use: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(file, { timeout: 0, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function tableNames(file: string): string[] {
  return withDatabase(file, (db) =>
    db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name),
  );
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
  rolled_back_at: string | null;
  applied_steps_count: number;
}

function migrationRows(file: string): MigrationRow[] {
  return withDatabase(file, (db) =>
    db
      .prepare<[], MigrationRow>(
        "SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count " +
          "FROM _prisma_migrations ORDER BY migration_name",
      )
      .all(),
  );
}

describe("migrateDatabase", () => {
  test("a fresh database gets every committed migration, recorded exactly as Prisma records them", async () => {
    const file = join(tempDir(), "not", "yet", "there.db");

    const { applied } = await migrateDatabase({ databaseUrl: `file:${file}` });

    expect(applied).toEqual(committedNames);
    expect(tableNames(file)).toContain("Thing");
    const rows = migrationRows(file);
    expect(rows.map((row) => row.migration_name)).toEqual(committedNames);
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(join(committedMigrations, row.migration_name, "migration.sql")));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  test("an up-to-date database is left alone, and the file is unlocked when migrateDatabase returns", async () => {
    const file = join(tempDir(), "app.db");
    await migrateDatabase({ databaseUrl: `file:${file}` });
    withDatabase(file, (db) => db.prepare(`INSERT INTO "Thing" ("text") VALUES ('kept')`).run());

    const { applied } = await migrateDatabase({ databaseUrl: `file:${file}` });

    expect(applied).toEqual([]);
    // A write needs the lock the engine takes (locking_mode=EXCLUSIVE); timeout 0 makes a held lock fail here.
    withDatabase(file, (db) => db.prepare(`INSERT INTO "Thing" ("text") VALUES ('after')`).run());
    const texts = withDatabase(file, (db) => db.prepare(`SELECT "text" FROM "Thing" ORDER BY "id"`).pluck().all());
    expect(texts).toEqual(["kept", "after"]);
    expect(migrationRows(file)).toHaveLength(committedNames.length);
  });

  test("a relative file: URL resolves against the working directory", async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await migrateDatabase({ databaseUrl: "file:./data/relative.db", migrationsDir: committedMigrations });
    } finally {
      process.chdir(cwd);
    }
    expect(tableNames(join(dir, "data", "relative.db"))).toContain("Thing");
  });

  test("a migration edited after it was applied is refused with MIGRATION_EDITED, and nothing is applied", async () => {
    const dir = tempDir();
    const file = join(dir, "app.db");
    const migrationsDir = copyOfMigrations(dir);
    await migrateDatabase({ databaseUrl: `file:${file}`, migrationsDir });
    const [first] = committedNames;
    appendFileSync(join(migrationsDir, `${first}`, "migration.sql"), `\nCREATE TABLE "Sneaky" ("id" INTEGER);\n`);
    addMigration(migrationsDir, "99990101000000_later", `CREATE TABLE "Later" ("id" INTEGER);\n`);

    const error = await migrationError(migrateDatabase({ databaseUrl: `file:${file}`, migrationsDir }));

    expect(error.code).toBe("MIGRATION_EDITED");
    expect(error.message).toContain(`"${first}"`);
    expect(error.message).toContain("edited after being applied");
    expect(error.message).toContain("new migration");
    expectReadable(error.message);
    expect(tableNames(file)).not.toContain("Later");
    expect(tableNames(file)).not.toContain("Sneaky");
    expect(migrationRows(file).map((row) => row.migration_name)).toEqual(committedNames);
  });

  test("a database migrated by newer code is refused with DATABASE_AHEAD", async () => {
    const dir = tempDir();
    const file = join(dir, "app.db");
    const newerMigrations = copyOfMigrations(dir);
    addMigration(newerMigrations, "99990101000000_from_the_future", `CREATE TABLE "Future" ("id" INTEGER);\n`);
    const newer = await migrateDatabase({ databaseUrl: `file:${file}`, migrationsDir: newerMigrations });
    expect(newer.applied).toEqual([...committedNames, "99990101000000_from_the_future"]);

    const error = await migrationError(migrateDatabase({ databaseUrl: `file:${file}` }));

    expect(error.code).toBe("DATABASE_AHEAD");
    expect(error.message).toContain(`"99990101000000_from_the_future"`);
    expect(error.message).toContain("not in");
    expectReadable(error.message);
    expect(migrationRows(file)).toHaveLength(committedNames.length + 1);
  });

  test("a failing migration is reported with MIGRATION_FAILED, and blocks later runs until resolved", async () => {
    const dir = tempDir();
    const file = join(dir, "app.db");
    const migrationsDir = copyOfMigrations(dir);
    const brokenSql = `CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "Nope" VALUES (1);\n`;
    addMigration(migrationsDir, "99990101000000_broken", brokenSql);

    const failing = await migrationError(migrateDatabase({ databaseUrl: `file:${file}`, migrationsDir }));
    expect(failing.code).toBe("MIGRATION_FAILED");
    expect(failing.message).toContain(`"99990101000000_broken" failed`);
    expect(failing.message).toContain("Nope");
    expectReadable(failing.message);

    const blocked = await migrationError(migrateDatabase({ databaseUrl: `file:${file}`, migrationsDir }));
    expect(blocked.code).toBe("MIGRATION_FAILED");
    expect(blocked.prismaCode).toBe("P3009");
    expect(blocked.message).toContain("prisma migrate resolve --rolled-back 99990101000000_broken");
    expectReadable(blocked.message);
    const broken = migrationRows(file).find((row) => row.migration_name === "99990101000000_broken");
    expect(broken?.finished_at).toBeNull();
  });

  test("a database with tables but no migration history is refused with DATABASE_NOT_EMPTY", async () => {
    const file = join(tempDir(), "legacy.db");
    new BetterSqlite3(file).exec(`CREATE TABLE "Legacy" ("id" INTEGER)`).close();

    const error = await migrationError(migrateDatabase({ databaseUrl: `file:${file}` }));

    expect(error.code).toBe("DATABASE_NOT_EMPTY");
    expect(error.message).toContain("baseline");
    expectReadable(error.message);
    expect(tableNames(file)).not.toContain("Thing");
  });

  test("URLs other than file: and postgresql: are refused with UNSUPPORTED_DATABASE before anything is opened", async () => {
    for (const databaseUrl of ["mysql://user:secret@localhost/things", "sqlserver://localhost/things"]) {
      const error = await migrationError(migrateDatabase({ databaseUrl }));
      expect(error.code).toBe("UNSUPPORTED_DATABASE");
      expect(error.message).not.toContain("secret");
      expectReadable(error.message);
    }
  });

  test("a missing migrations directory is refused with MIGRATIONS_NOT_FOUND instead of migrating nothing", async () => {
    const dir = tempDir();
    const error = await migrationError(
      migrateDatabase({ databaseUrl: `file:${join(dir, "app.db")}`, migrationsDir: join(dir, "nowhere") }),
    );
    expect(error.code).toBe("MIGRATIONS_NOT_FOUND");
  });
});

// Each test runs several Prisma CLI commands, concurrently with the others: a hang guard sized for a loaded 2-core
// machine (stress-ng in CI), not a speed check.
describe.concurrent("the prisma CLI, offline through the schema-engine shim", { timeout: 120_000 }, () => {
  test("migrate deploy creates and migrates a new database, and migrate status then finds it up to date", async ({
    expect,
  }) => {
    const file = join(tempDir(), "deployed", "app.db");
    const env = { DATABASE_URL: `file:${file}` };

    await expectPrismaDeployThenUpToDate(expect, env);

    // Same records as migrateDatabase writes, so either tool can take over from the other.
    for (const row of migrationRows(file)) {
      expect(row.checksum).toBe(sha256(join(committedMigrations, row.migration_name, "migration.sql")));
    }
    expect(await migrateDatabase({ databaseUrl: `file:${file}` })).toEqual({ applied: [] });
  });

  test("migrate status lists the pending migrations of an empty database and exits 1", async ({ expect }) => {
    const file = join(tempDir(), "empty.db");
    writeFileSync(file, "");

    const status = await prisma(["migrate", "status"], { env: { DATABASE_URL: `file:${file}` } });

    expect(status.stdout).toContain("have not yet been applied");
    for (const name of committedNames) expect(status.stdout).toContain(name);
    expect(status.code).toBe(1);
  });

  // Doubles as the CI check that prisma/schema.prisma and the committed migrations agree.
  test("migrate diff finds no drift between the committed migrations and schema.prisma", async ({ expect }) => {
    const args = ["--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"];
    const diff = await prisma(["migrate", "diff", ...args], {
      env: { DATABASE_URL: `file:${join(tempDir(), "unused.db")}` },
    });

    expect(diff.stdout).toContain("No difference detected.");
    expect(diff.code).toBe(0);
  });

  test("migrate dev --create-only writes a migration for a changed schema, without applying it", async ({ expect }) => {
    const project = tempDir();
    cpSync(join(root, "prisma", "schema.prisma"), join(project, "prisma", "schema.prisma"));
    const migrationsDir = join(project, "prisma", "migrations");
    cpSync(committedMigrations, migrationsDir, { recursive: true });
    const schema = readFileSync(join(project, "prisma", "schema.prisma"), "utf-8");
    writeFileSync(
      join(project, "prisma", "schema.prisma"),
      schema.replace(/(model Thing \{[^}]*)\}/, "$1  note String?\n}") +
        "\nmodel Tag {\n  id   Int    @id @default(autoincrement())\n  name String @unique\n}\n",
    );
    // A config without imports: node_modules is not reachable from the temp dir, so the shim is set explicitly.
    writeFileSync(
      join(project, "prisma.config.ts"),
      `export default { schema: "prisma/schema.prisma", migrations: { path: "prisma/migrations" }, ` +
        `datasource: { url: process.env.DATABASE_URL } };\n`,
    );
    const shim = join(root, "tools", "prisma-offline", "schema-engine-shim");
    const env = { DATABASE_URL: "file:./dev.db", PRISMA_SCHEMA_ENGINE_BINARY: shim };

    const dev = await prisma(["migrate", "dev", "--create-only", "--name", "tags"], { cwd: project, env });

    expect(dev.stdout).toContain("created the following migration without applying it");
    expect(dev.code).toBe(0);
    const created = migrationNames(migrationsDir).filter((name) => !committedNames.includes(name));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^\d{14}_tags$/);
    const sql = readFileSync(join(migrationsDir, `${created[0]}`, "migration.sql"), "utf-8");
    expect(sql).toContain(`CREATE TABLE "Tag" (`);
    expect(sql).toContain(`CREATE UNIQUE INDEX "Tag_name_key" ON "Tag"("name");`);
    expect(sql).toContain(`ALTER TABLE "Thing" ADD COLUMN "note" TEXT;`);
    expect(readFileSync(join(migrationsDir, "migration_lock.toml"), "utf-8")).toContain(`provider = "sqlite"`);
    // Created, not applied: the dev database has the committed migrations only.
    expect(tableNames(join(project, "dev.db"))).not.toContain("Tag");
  });
});

describe("npm run db:migrate", () => {
  const migrateCli = (databaseUrl: string) =>
    run(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "db-migrate.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });

  test("prints each applied migration, then that the database is up to date, and exits 0", async () => {
    const databaseUrl = `file:${join(tempDir(), "cli.db")}`;

    const first = await migrateCli(databaseUrl);
    expect(first.stdout.trim().split("\n")).toEqual(committedNames.map((name) => `Applied migration ${name}`));
    expect(first.code).toBe(0);

    const second = await migrateCli(databaseUrl);
    expect(second.stdout.trim()).toBe("Database is up to date");
    expect(second.code).toBe(0);
  });

  test("prints a refused migration's message without a stack trace and exits 1", async () => {
    const file = join(tempDir(), "legacy.db");
    new BetterSqlite3(file).exec(`CREATE TABLE "Legacy" ("id" INTEGER)`).close();

    const result = await migrateCli(`file:${file}`);

    expect(result.stderr.trim()).toMatch(/^Migration failed: The database already has tables but no migration history/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(1);
  });
});
