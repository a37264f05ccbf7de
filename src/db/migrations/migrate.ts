// Applies the committed migrations (prisma/migrations) to a database, as `prisma migrate deploy` does, offline.

import { resolve } from "node:path";
import type { DiagnoseMigrationHistoryInput, MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { isUnreachable, withAdvisoryLock } from "../postgres-admin.ts";
import { PRISMA_PATHS } from "../../config.ts";
import { databaseProvider } from "../../../tools/prisma-offline/adapters.ts";
import { openEngine, type OpenEngine } from "../../../tools/prisma-offline/engine.ts";
import { cleanEngineMessage, errorCode, isDatabaseBusy, MigrationError } from "./errors.ts";
import { diagnoseHistory, historyProblem, NO_FILTERS } from "./history.ts";
import { readMigrationList } from "./migration-list.ts";

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
 */
export async function migrateDatabase(options: MigrateOptions): Promise<{ applied: string[] }> {
  const provider = databaseProvider(options.databaseUrl);
  const migrationsDir = resolve(options.migrationsDir ?? PRISMA_PATHS[provider].migrations);
  const migrationsList = await readMigrations(migrationsDir);
  if (provider === "sqlite") return migrate(options.databaseUrl, migrationsDir, migrationsList);
  try {
    return await withAdvisoryLock(options.databaseUrl, MIGRATION_LOCK_KEY, () =>
      migrate(options.databaseUrl, migrationsDir, migrationsList),
    );
  } catch (error) {
    throw !(error instanceof MigrationError) && isUnreachable(error) ? unreachable(error) : error;
  }
}

/**
 * N instances starting together all migrate the same PostgreSQL database. The engine's own advisory lock covers
 * only applyMigrations, not the history check before it, so a second instance saw the first one's migration
 * half-way (started, not finished) and refused it as failed. One lock around check and apply; a key of our own,
 * because the engine takes Prisma's (72707369) on another connection and would wait for us forever.
 */
const MIGRATION_LOCK_KEY = 72707370;

async function migrate(
  databaseUrl: string,
  migrationsDir: string,
  migrationsList: MigrationList,
): Promise<{ applied: string[] }> {
  const opened = await openEngine({ databaseUrl, baseDir: process.cwd() }).catch((error: unknown) => {
    throw isUnreachable(error) ? unreachable(error) : error;
  });
  try {
    const problem = historyProblem(await diagnoseHistory(opened.engine, diagnoseInput(migrationsList)), migrationsDir);
    if (problem) throw problem;
    return { applied: await apply(opened, migrationsList) };
  } catch (error) {
    throw engineError(opened, error);
  } finally {
    await opened.close();
  }
}

/** Names of the committed migrations the code expects a database to have (for the /ready check). */
export async function committedMigrationNames(options: MigrateOptions): Promise<string[]> {
  const migrationsDir = resolve(
    options.migrationsDir ?? PRISMA_PATHS[databaseProvider(options.databaseUrl)].migrations,
  );
  const { migrationDirectories } = await readMigrations(migrationsDir);
  return migrationDirectories.map((directory) => directory.path);
}

/** Without a shadow database: migrating at start must not need more than the database it migrates. */
function diagnoseInput(migrationsList: MigrationList): DiagnoseMigrationHistoryInput {
  return { migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS };
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

async function apply(opened: OpenEngine, migrationsList: MigrationList): Promise<string[]> {
  try {
    const { appliedMigrationNames } = await opened.engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return appliedMigrationNames;
  } catch (error) {
    if (errorCode(error) === "P3005") {
      throw new MigrationError(
        "DATABASE_NOT_EMPTY",
        "The database already has tables but no migration history (_prisma_migrations), so the migrations cannot " +
          "be applied safely; nothing was applied. Point DATABASE_URL at a new database file, or, if this database " +
          "already has exactly the schema of the migrations, baseline it with " +
          "`npx prisma migrate resolve --applied <migration name>` for each migration, then migrate again.",
        "P3005",
      );
    }
    // On SQLite a failing script surfaces as the driver's error (e.g. P1014), not P3018; the migration is then
    // recorded as failed, which the history tells us.
    const reason = sentence(cleanEngineMessage(error, opened.errorRegistry));
    const diagnosis = await diagnoseHistory(opened.engine, diagnoseInput(migrationsList)).catch(() => undefined);
    const [failed] = diagnosis?.failedMigrationNames ?? [];
    if (failed === undefined) throw engineError(opened, error, reason);
    throw new MigrationError(
      "MIGRATION_FAILED",
      `Migration "${failed}" failed: ${reason} It is recorded as failed and later migrations were not applied; ` +
        "statements before the error may have been applied (Prisma does not wrap a migration in a transaction). " +
        "Fix the migration and the database, " +
        `then run \`npx prisma migrate resolve --rolled-back ${failed}\` and migrate again.`,
      errorCode(error),
    );
  }
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function engineError(opened: OpenEngine, error: unknown, reason?: string): MigrationError {
  if (error instanceof MigrationError) return error;
  // Read once: the message consumes the driver error it refers to from the registry.
  const message = reason ?? cleanEngineMessage(error, opened.errorRegistry);
  if (isUnreachable(error) || isUnreachable(message)) return unreachable(message);
  if (isDatabaseBusy(error)) {
    return new MigrationError(
      "DATABASE_LOCKED",
      "The database is locked by another connection (SQLITE_BUSY), so nothing could be migrated. Stop the process " +
        "that has it open (e.g. a running server or a prisma command) and migrate again.",
    );
  }
  const code = errorCode(error);
  return new MigrationError(
    "ENGINE_ERROR",
    `The schema engine could not migrate the database: ${message}` + (code ? ` (Prisma ${code})` : ""),
    code,
  );
}

function unreachable(cause: unknown): MigrationError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new MigrationError(
    "DATABASE_UNREACHABLE",
    `Cannot connect to the database in DATABASE_URL (${detail.split("\n")[0]?.trim()}), so nothing was migrated. ` +
      "Check that the server is running and reachable, and the host, port, database name and credentials.",
  );
}
