// Applies the committed migrations (prisma/migrations) to a database, as `prisma migrate deploy` does, offline.

import { resolve } from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PRISMA_PATHS } from "../../config.ts";
import { databaseProvider, sqliteFilePath } from "../../../tools/prisma-offline/database-url.ts";
import { isUnreachable } from "../unreachable.ts";
import { errorCode, MigrationError, unreachableError } from "./errors.ts";
import { readMigrationList } from "./migration-list.ts";
import { isUpToDate, postgresMigrationRecords, sqliteMigrationRecords } from "./up-to-date.ts";

export interface MigrateOptions {
  /** `file:<path>` (a relative path resolves against process.cwd()) or `postgresql://…`. */
  databaseUrl: string;
  /** Defaults to the provider's committed history under process.cwd(): prisma/migrations or prisma/postgresql/migrations. */
  migrationsDir?: string;
}

/**
 * Applies pending migrations and records them in _prisma_migrations exactly as Prisma does, after refusing a
 * history that is unsafe to build on (see MigrationError's codes). Creates a missing SQLite file and its directory.
 * Every connection is closed when this returns or throws, so PrismaClient can open the same file right away.
 * A database that already has exactly the committed migrations is left alone without loading the schema engine
 * (up-to-date.ts); any other goes to the engine, which also reports what is wrong.
 */
export async function migrateDatabase(options: MigrateOptions): Promise<{ applied: string[] }> {
  const { databaseUrl } = options;
  const provider = databaseProvider(databaseUrl);
  const migrationsDir = resolve(options.migrationsDir ?? PRISMA_PATHS[provider].migrations);
  const migrationsList = await readMigrations(migrationsDir);
  if (provider === "sqlite") {
    const records = sqliteMigrationRecords(sqliteFilePath(databaseUrl, process.cwd()));
    if (isUpToDate(records, migrationsList, provider)) return { applied: [] };
    return withEngine(databaseUrl, migrationsDir, migrationsList);
  }
  // Only PostgreSQL needs pg, so a SQLite start does not load it.
  const [{ withAdvisoryLock }, { postgresSchema }] = await Promise.all([
    import("../postgres-admin.ts"),
    import("../postgres.ts"),
  ]);
  try {
    return await withAdvisoryLock(databaseUrl, MIGRATION_LOCK_KEY, async (client) => {
      const records = await postgresMigrationRecords(client, postgresSchema(databaseUrl));
      if (isUpToDate(records, migrationsList, provider)) return { applied: [] };
      return withEngine(databaseUrl, migrationsDir, migrationsList);
    });
  } catch (error) {
    throw !(error instanceof MigrationError) && isUnreachable(error) ? unreachableError(error) : error;
  }
}

/**
 * N instances starting together all migrate the same PostgreSQL database. The engine's own advisory lock covers
 * only applyMigrations, not the history check before it, so a second instance saw the first one's migration
 * half-way (started, not finished) and refused it as failed. One lock around check and apply (our own check of
 * _prisma_migrations included, so a waiting instance reads the history the first one finished); a key of our own,
 * because the engine takes Prisma's (72707369) on another connection and would wait for us forever.
 */
const MIGRATION_LOCK_KEY = 72707370;

async function withEngine(
  databaseUrl: string,
  migrationsDir: string,
  migrationsList: MigrationList,
): Promise<{ applied: string[] }> {
  const { migrateWithEngine } = await import("./apply-with-engine.ts");
  return migrateWithEngine(databaseUrl, migrationsDir, migrationsList);
}

/** Names of the committed migrations the code expects a database to have (for the /ready check). */
export async function committedMigrationNames(options: MigrateOptions): Promise<string[]> {
  const migrationsDir = resolve(
    options.migrationsDir ?? PRISMA_PATHS[databaseProvider(options.databaseUrl)].migrations,
  );
  const { migrationDirectories } = await readMigrations(migrationsDir);
  return migrationDirectories.map((directory) => directory.path);
}

async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  try {
    return await readMigrationList(migrationsDir);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
    throw new MigrationError(
      "MIGRATIONS_NOT_FOUND",
      `The migrations directory ${migrationsDir} does not exist. Run from the project root, or pass the ` +
        "directory that holds the committed migrations.",
    );
  }
}
