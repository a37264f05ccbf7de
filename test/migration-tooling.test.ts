// The contributor's migration commands: `npm run db:migration` (one command for both providers' migrations and the
// regenerated code) on temporary copies of the project, `npm run db:reset` and `npm run db:status`.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import { withPostgresClient } from "../src/db/postgres-admin.ts";
import {
  createScratchDatabase,
  servicesAvailable,
  TEST_POSTGRES_URL,
  type ScratchDatabase,
} from "./support/databases.ts";
import { root, run } from "./support/processes.ts";

const postgresAvailable = await servicesAvailable("db:migration and db:reset on PostgreSQL", ["postgres"]);
const UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/test";
const SQLITE_HISTORY = join("prisma", "migrations");
const POSTGRES_HISTORY = join("prisma", "postgresql", "migrations");
const committedNames = migrationNames(root, SQLITE_HISTORY);

const scratch = mkdtempSync(join(tmpdir(), "migration-tooling-"));
const databases: ScratchDatabase[] = [];
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await Promise.all(databases.map((database) => database.drop()));
});

function migrationNames(project: string, history: string): string[] {
  return readdirSync(join(project, history), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

/**
 * A temporary copy of the project's schema and histories; `withSources` adds what regenerating needs (sources, the
 * configs, the documents codegen reads, node_modules as a link) but not src/generated, which must be generated anew.
 */
function copyOfProject({ withSources }: { withSources: boolean }): string {
  const project = mkdtempSync(join(scratch, "project-"));
  cpSync(join(root, "prisma"), join(project, "prisma"), { recursive: true });
  if (!withSources) return project;
  for (const path of [
    "package.json",
    "prisma.config.ts",
    "codegen.ts",
    "tsconfig.json",
    "src",
    "tools",
    "test/operations",
  ]) {
    cpSync(join(root, path), join(project, path), {
      recursive: true,
      filter: (from) => !from.includes("src/generated"),
    });
  }
  for (const example of ["apollo", "web"]) {
    mkdirSync(join(project, "examples", example), { recursive: true });
    cpSync(
      join(root, "examples", example, "operations.graphql"),
      join(project, "examples", example, "operations.graphql"),
    );
  }
  symlinkSync(join(root, "node_modules"), join(project, "node_modules"));
  return project;
}

/** A new optional column on Thing, in the copy's prisma/schema.prisma. */
function addThingNote(project: string): void {
  const file = join(project, "prisma", "schema.prisma");
  const schema = readFileSync(file, "utf-8");
  const changed = schema.replace(/(model Thing \{[^}]*)\}/, "$1  note String?\n}");
  if (changed === schema) throw new Error("model Thing not found in prisma/schema.prisma");
  writeFileSync(file, changed);
}

function dbMigration(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return run(process.execPath, ["--import", "tsx", join(root, "scripts", "db-migration.ts"), ...args], {
    cwd: root,
    env: { ...inherited, ...env },
  });
}

const newNames = (project: string, history: string) =>
  migrationNames(project, history).filter((name) => !committedNames.includes(name));
const migrationSql = (project: string, history: string, name: string) =>
  readFileSync(join(project, history, name, "migration.sql"), "utf-8");

/** On a full copy with Thing.note added: `db:migration --name thing_note`, and the one directory SQLite gained. */
async function createThingNoteMigration(postgresUrl: string) {
  const project = copyOfProject({ withSources: true });
  addThingNote(project);
  const result = await dbMigration(["--root", project, "--name", "thing_note", "--postgres-url", postgresUrl]);
  const created = newNames(project, SQLITE_HISTORY);
  expect(created).toHaveLength(1);
  expect(created[0]).toMatch(/^\d{14}_thing_note$/);
  return { project, result, created: created[0]! };
}

// Each test runs the schema engine, concurrently: a hang guard sized for a loaded 2-core machine, not a speed check.
// The two that regenerate run two `prisma generate` and codegen besides (~60 s under load), so they get a longer one.
const REGENERATING = { timeout: 300_000 };
describe.concurrent("npm run db:migration on a copy of the project", { timeout: 120_000 }, () => {
  test.skipIf(!postgresAvailable)(
    "writes one directory name into both histories with each provider's SQL, and regenerates both clients and the GraphQL schema",
    async ({ expect }) => {
      const { project, result, created } = await createThingNoteMigration(TEST_POSTGRES_URL);

      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.code).toBe(0);
      expect(newNames(project, POSTGRES_HISTORY)).toEqual([created]);
      expect(migrationSql(project, SQLITE_HISTORY, created)).toContain(`ALTER TABLE "Thing" ADD COLUMN "note" TEXT;`);
      expect(migrationSql(project, POSTGRES_HISTORY, created)).toMatch(/ALTER TABLE "Thing" ADD COLUMN\s+"note" TEXT;/);
      // The PostgreSQL schema is derived again, so it has the field too.
      expect(readFileSync(join(project, "prisma", "postgresql", "schema.prisma"), "utf-8")).toContain("note String?");
      // Both clients, generated into the copy (it had none), know the new field; codegen printed the schema.
      for (const client of ["prisma", "prisma-postgresql"]) {
        expect(readFileSync(join(project, "src", "generated", client, "models", "Thing.ts"), "utf-8")).toContain(
          "note",
        );
      }
      expect(existsSync(join(project, "schema.graphql"))).toBe(true);
      expect(result.stdout).toContain("Regenerated both Prisma clients and the GraphQL schema");
    },
    REGENERATING.timeout,
  );

  test(
    "without a reachable PostgreSQL writes SQLite's migration and prints the command that writes PostgreSQL's under the same name",
    async ({ expect }) => {
      const { project, result: first, created } = await createThingNoteMigration(UNREACHABLE_POSTGRES);

      expect(first.code).toBe(0);
      expect(newNames(project, POSTGRES_HISTORY)).toEqual([]);
      const command = `npm run db:migration -- --postgres-only ${created} --postgres-url ${UNREACHABLE_POSTGRES}`;
      expect(first.stdout).toContain(`PostgreSQL: not written (Can't reach database server at \`127.0.0.1:1\`)`);
      expect(first.stdout).toContain(command);
      if (!postgresAvailable) return;

      const later = await dbMigration([
        "--root",
        project,
        "--postgres-only",
        created,
        "--postgres-url",
        TEST_POSTGRES_URL,
      ]);

      expect(later.code).toBe(0);
      expect(newNames(project, POSTGRES_HISTORY)).toEqual([created]);
      expect(migrationSql(project, POSTGRES_HISTORY, created)).toMatch(/ALTER TABLE "Thing" ADD COLUMN\s+"note" TEXT;/);
    },
    REGENERATING.timeout,
  );

  test("refuses, writing nothing, when a migration is in one history only", async ({ expect }) => {
    const project = copyOfProject({ withSources: false });
    const latest = committedNames.at(-1)!;
    rmSync(join(project, POSTGRES_HISTORY, latest), { recursive: true });
    addThingNote(project);

    const result = await dbMigration([
      "--root",
      project,
      "--name",
      "thing_note",
      "--postgres-url",
      UNREACHABLE_POSTGRES,
    ]);

    expect(result.stderr.trim()).toBe(
      `The two migration histories differ (only in prisma/migrations: ${latest}). Add PostgreSQL's half first: ` +
        `npm run db:migration -- --postgres-only ${latest}. Nothing written.`,
    );
    expect(result.code).toBe(1);
    expect(migrationNames(project, SQLITE_HISTORY)).toEqual(committedNames);
  });

  test("refuses, writing nothing, when a migration has different directory names in the two histories", async ({
    expect,
  }) => {
    const project = copyOfProject({ withSources: false });
    const [first] = committedNames;
    renameSync(join(project, POSTGRES_HISTORY, first!), join(project, POSTGRES_HISTORY, `${first}_renamed`));
    addThingNote(project);

    const result = await dbMigration(["--root", project, "--name", "thing_note"]);

    expect(result.stderr.trim()).toBe(
      `The two migration histories differ (only in prisma/migrations: ${first}; only in prisma/postgresql/migrations: ` +
        `${first}_renamed). Give every migration the same directory name in both histories first. Nothing written.`,
    );
    expect(result.code).toBe(1);
    expect(migrationNames(project, SQLITE_HISTORY)).toEqual(committedNames);
  });

  test("--postgres-only refuses a migration that is not SQLite's latest one missing from PostgreSQL", async ({
    expect,
  }) => {
    const project = copyOfProject({ withSources: false });

    const result = await dbMigration(["--root", project, "--postgres-only", committedNames[0]!]);

    expect(result.stderr).toContain("The two migration histories are the same. Nothing written.");
    expect(result.code).toBe(1);
  });

  test("says there are no schema changes, and writes nothing, when the schema matches its migrations", async ({
    expect,
  }) => {
    const project = copyOfProject({ withSources: false });

    const result = await dbMigration(["--root", project, "--name", "nothing"]);

    expect(result.stdout.trim()).toBe(
      "No schema changes: prisma/schema.prisma matches its migrations; nothing written.",
    );
    expect(result.code).toBe(0);
    expect(migrationNames(project, SQLITE_HISTORY)).toEqual(committedNames);
    expect(migrationNames(project, POSTGRES_HISTORY)).toEqual(committedNames);
  });

  test("refuses a name that is not letters, digits and underscores", async ({ expect }) => {
    const result = await dbMigration(["--root", copyOfProject({ withSources: false }), "--name", "../escape"]);

    expect(result.stderr.trim()).toBe(
      `--name must be 1 to 64 letters, digits or underscores (e.g. add_thing_note), got "../escape".`,
    );
    expect(result.code).toBe(1);
  });
});

function script(name: string, args: string[], databaseUrl: string) {
  return run(process.execPath, ["--import", "tsx", join(root, "scripts", name), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

const thingCount = (file: string) => {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    return db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM "Thing"`).get()!.n;
  } finally {
    db.close();
  }
};

describe.concurrent("npm run db:reset", { timeout: 120_000 }, () => {
  test("deletes the SQLite file of DATABASE_URL and migrates a new one", async ({ expect }) => {
    const file = join(mkdtempSync(join(scratch, "reset-")), "dev.db");
    expect((await script("db-migrate.ts", [], `file:${file}`)).code).toBe(0);
    new BetterSqlite3(file).exec(`INSERT INTO "Thing" ("text") VALUES ('kept?')`).close();

    const result = await script("db-reset.ts", [], `file:${file}`);

    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      `Deleted ${file}`,
      ...committedNames.map((name) => `Applied migration ${name}`),
    ]);
    expect(thingCount(file)).toBe(0);
  });

  test.skipIf(!postgresAvailable)(
    "drops and recreates a PostgreSQL database with --force, and refuses without it when there is no terminal",
    async ({ expect }) => {
      const database = await createScratchDatabase("postgresql");
      databases.push(database);
      expect((await script("db-migrate.ts", [], database.url)).code).toBe(0);
      const countThings = () =>
        withPostgresClient(
          database.url,
          async (client) => (await client.query(`SELECT COUNT(*)::int AS n FROM "Thing"`)).rows[0].n as number,
        );
      await withPostgresClient(database.url, (client) => client.query(`INSERT INTO "Thing" ("text") VALUES ('kept?')`));

      // Vitest runs the child with stdin not a terminal, as CI would.
      const refused = await script("db-reset.ts", [], database.url);
      expect(refused.stderr.trim()).toMatch(
        /^Reset failed: Refusing to drop .* without confirmation: no terminal to ask on\. Pass --force to drop it anyway\.$/,
      );
      expect(refused.code).toBe(1);
      expect(await countThings()).toBe(1);

      const forced = await script("db-reset.ts", ["--force"], database.url);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain("Dropped and created database");
      expect(await countThings()).toBe(0);
    },
  );
});

describe.concurrent("npm run db:status", { timeout: 120_000 }, () => {
  test("names the folder it read: prisma/migrations for SQLite", async ({ expect }) => {
    const file = join(mkdtempSync(join(scratch, "status-")), "empty.db");
    writeFileSync(file, "");

    const result = await script("db-status.ts", [], `file:${file}`);

    expect(result.stdout).toContain(`${committedNames.length} migrations found in prisma/migrations\n`);
  });

  test.skipIf(!postgresAvailable)(
    "names the folder it read: prisma/postgresql/migrations for PostgreSQL",
    async ({ expect }) => {
      const database = await createScratchDatabase("postgresql");
      databases.push(database);

      const result = await script("db-status.ts", [], database.url);

      expect(result.stdout).toContain(`${committedNames.length} migrations found in prisma/postgresql/migrations\n`);
      expect(result.code).toBe(1); // nothing applied yet
    },
  );
});
