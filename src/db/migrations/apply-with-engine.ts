// Applies the pending migrations with Prisma's wasm schema engine, after refusing a history that is unsafe to build
// on. Imported only when the database is not already up to date (up-to-date.ts): the engine is megabytes of wasm.

import type { DiagnoseMigrationHistoryInput, MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { isUnreachable } from "../unreachable.ts";
import { openEngine, type OpenEngine } from "../../../tools/prisma-offline/engine.ts";
import { cleanEngineMessage, errorCode, isDatabaseBusy, MigrationError, unreachableError } from "./errors.ts";
import { diagnoseHistory, historyProblem, NO_FILTERS } from "./history.ts";

/** What migrateDatabase does when the database is not already up to date; the engine is freed when this returns. */
export async function migrateWithEngine(
  databaseUrl: string,
  migrationsDir: string,
  migrationsList: MigrationList,
): Promise<{ applied: string[] }> {
  const opened = await openEngine({ databaseUrl, baseDir: process.cwd() }).catch((error: unknown) => {
    throw isUnreachable(error) ? unreachableError(error) : error;
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

/** Without a shadow database: migrating at start must not need more than the database it migrates. */
function diagnoseInput(migrationsList: MigrationList): DiagnoseMigrationHistoryInput {
  return { migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS };
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
  if (isUnreachable(error) || isUnreachable(message)) return unreachableError(message);
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
