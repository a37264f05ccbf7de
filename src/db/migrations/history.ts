// The database's migration history (_prisma_migrations) against the migrations directory: diagnosis and refusal.

import type {
  DiagnoseMigrationHistoryInput,
  DiagnoseMigrationHistoryOutput,
  SchemaFilter,
} from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "../../../tools/prisma-offline/engine.ts";
import { MigrationError, errorCode } from "./errors.ts";

/** No prisma.config.ts `tables.external` / `enums.external` in this project. */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

/** The table as the engine's SQLite flavour creates it in applyMigrations (read back from a migrated file). */
export const SQLITE_MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/**
 * On SQLite the wasm engine throws P1014 instead of reporting `hasMigrationsTable: false` when _prisma_migrations
 * does not exist yet (diagnoseMigrationHistory, devDiagnostic, markMigrationApplied).
 * tools/prisma-offline/README.md W9.
 */
export function isMissingMigrationsTable(error: unknown): boolean {
  return errorCode(error) === "P1014" && error instanceof Error && error.message.includes("_prisma_migrations");
}

/** diagnoseMigrationHistory, answering for a database without a migrations table as the native engine does. */
export async function diagnoseHistory(
  engine: SchemaEngine,
  input: DiagnoseMigrationHistoryInput,
): Promise<DiagnoseMigrationHistoryOutput> {
  try {
    return await engine.diagnoseMigrationHistory(input);
  } catch (error) {
    if (!isMissingMigrationsTable(error)) throw error;
    const unappliedMigrationNames = input.migrationsList.migrationDirectories.map((directory) => directory.path);
    return {
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: false,
      history: unappliedMigrationNames.length > 0 ? { diagnostic: "databaseIsBehind", unappliedMigrationNames } : null,
    };
  }
}

/**
 * Why the pending migrations must not be applied, if they must not. `migrate deploy` would apply them anyway in the
 * edited/ahead cases; refusing keeps a database from silently drifting from the code that runs against it.
 */
export function historyProblem(
  diagnosis: DiagnoseMigrationHistoryOutput,
  migrationsDir: string,
): MigrationError | undefined {
  const [failed] = diagnosis.failedMigrationNames;
  if (failed !== undefined) {
    return new MigrationError(
      "MIGRATION_FAILED",
      `Migration "${failed}" is recorded as failed in the database (_prisma_migrations), so no further migrations ` +
        "are applied. Statements before the error may have been applied. Inspect the database and finish or undo " +
        "that migration's changes by hand, then run " +
        `\`npx prisma migrate resolve --rolled-back ${failed}\` (to run it again) or ` +
        `\`npx prisma migrate resolve --applied ${failed}\` (if you completed it by hand), and migrate again.`,
      "P3009",
    );
  }
  const edited = diagnosis.editedMigrationNames;
  if (edited.length > 0) {
    return new MigrationError(
      "MIGRATION_EDITED",
      `The ${quoteList(edited)} in ${migrationsDir} ${edited.length === 1 ? "was" : "were"} edited after ` +
        "being applied to this database: the checksum of migration.sql no longer matches the one recorded in _prisma_migrations, " +
        "so nothing was applied. Applied migrations must not change: restore the original migration.sql " +
        "(e.g. `git checkout -- <file>`) and put the change in a new migration " +
        "(`npm run db:migration -- --name <name>`). For a disposable development database, " +
        "`npx prisma migrate reset` recreates it from the current files instead.",
    );
  }
  const history = diagnosis.history;
  if (history?.diagnostic === "migrationsDirectoryIsBehind" || history?.diagnostic === "historiesDiverge") {
    return new MigrationError(
      "DATABASE_AHEAD",
      `The database has ${quoteList(history.unpersistedMigrationNames)} applied, which ` +
        `${history.unpersistedMigrationNames.length === 1 ? "is" : "are"} not in ${migrationsDir}, so nothing was ` +
        "applied: the database was migrated by other (probably newer) code. Run the code that has these migrations " +
        "(pull or check out the latest version), or, for a disposable development database, recreate it with " +
        "`npx prisma migrate reset`.",
    );
  }
  return undefined;
}

function quoteList(names: string[]): string {
  const quoted = names.map((name) => `"${name}"`).join(", ");
  return `${names.length === 1 ? "migration" : "migrations"} ${quoted}`;
}
