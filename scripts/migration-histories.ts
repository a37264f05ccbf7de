// The two committed migration histories (SQLite's and PostgreSQL's), which must hold the same migrations under the
// same directory names, and the SQL that takes a history to its schema. Used by `npm run db:migration`.

import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRISMA_PATHS, type DatabaseProvider } from "../src/config.ts";
import { isUnreachable } from "../src/db/unreachable.ts";
import { cleanEngineMessage } from "../src/db/migrations/errors.ts";
import { NO_FILTERS } from "../src/db/migrations/history.ts";
import { LOCKFILE_NAME, readMigrationList } from "../src/db/migrations/migration-list.ts";
import { openEngine } from "../tools/prisma-offline/engine.ts";

/** A refusal: its message is the whole story, printed as is. */
export class MigrationAuthoringError extends Error {
  override name = "MigrationAuthoringError";
}

/** The migration directory names of a history, in the order Prisma applies them. */
export function migrationNames(root: string, provider: DatabaseProvider): string[] {
  const dir = join(root, PRISMA_PATHS[provider].migrations);
  if (!existsSync(join(dir, LOCKFILE_NAME))) {
    throw new MigrationAuthoringError(
      `${PRISMA_PATHS[provider].migrations}/${LOCKFILE_NAME} is missing; the history cannot be replayed without it.`,
    );
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

export interface HistoryComparison {
  sqlite: string[];
  onlyInSqlite: string[];
  onlyInPostgresql: string[];
}

export function compareHistories(root: string): HistoryComparison {
  const sqlite = migrationNames(root, "sqlite");
  const postgresql = migrationNames(root, "postgresql");
  return {
    sqlite,
    onlyInSqlite: sqlite.filter((name) => !postgresql.includes(name)),
    onlyInPostgresql: postgresql.filter((name) => !sqlite.includes(name)),
  };
}

/** Where the two histories differ, as one sentence naming the directories. */
export function describeDivergence({ onlyInSqlite, onlyInPostgresql }: HistoryComparison): string {
  const parts = [
    onlyInSqlite.length > 0 && `only in ${PRISMA_PATHS.sqlite.migrations}: ${onlyInSqlite.join(", ")}`,
    onlyInPostgresql.length > 0 && `only in ${PRISMA_PATHS.postgresql.migrations}: ${onlyInPostgresql.join(", ")}`,
  ].filter((part) => part !== false);
  return `The two migration histories differ (${parts.join("; ")}).`;
}

/** Thrown when PostgreSQL's SQL cannot be computed because no server is reachable (its shadow database lives there). */
export class PostgresUnreachableError extends Error {
  override name = "PostgresUnreachableError";
}

/**
 * The SQL that takes `provider`'s committed history to `schema`, or undefined when there is nothing to change.
 * The history is replayed on a shadow database: in memory for SQLite, a temporary database on `postgresUrl`'s
 * server for PostgreSQL (tools/prisma-offline/README.md W6), which is why PostgreSQL needs a reachable server.
 */
export async function pendingMigrationSql(options: {
  root: string;
  provider: DatabaseProvider;
  schema: string;
  postgresUrl?: string;
}): Promise<string | undefined> {
  const { root, provider } = options;
  // SQLite's engine opens a main database besides the in-memory shadow; a throwaway file keeps the project's alone.
  const scratch = provider === "sqlite" ? mkdtempSync(join(tmpdir(), "db-migration-")) : undefined;
  const databaseUrl = scratch === undefined ? options.postgresUrl : `file:${join(scratch, "unused.db")}`;
  if (databaseUrl === undefined) throw new PostgresUnreachableError("no PostgreSQL server was given");
  try {
    const opened = await openEngine({ databaseUrl, baseDir: root }).catch((error: unknown) => {
      if (provider === "postgresql" && isUnreachable(error)) {
        throw new PostgresUnreachableError(cleanEngineMessage(error).split("\n")[0]);
      }
      throw error;
    });
    try {
      const migrationsList = await readMigrationList(join(root, PRISMA_PATHS[provider].migrations));
      const { exitCode, stdout } = await opened.engine.diff({
        from: { tag: "migrations", ...migrationsList },
        to: { tag: "schemaDatamodel", files: [{ path: PRISMA_PATHS[provider].schema, content: options.schema }] },
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      });
      // exitCode 2: there are changes; 0: none (stdout is then "-- This is an empty migration.").
      return exitCode === 2 && stdout !== null ? stdout : undefined;
    } catch (error) {
      throw new MigrationAuthoringError(
        `Could not diff ${PRISMA_PATHS[provider].migrations} against ${PRISMA_PATHS[provider].schema}: ` +
          cleanEngineMessage(error, opened.errorRegistry),
      );
    } finally {
      await opened.close();
    }
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}
