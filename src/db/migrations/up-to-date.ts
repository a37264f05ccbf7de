// Whether a database already has exactly the committed migrations, read from _prisma_migrations without the schema
// engine: a start with nothing to migrate (the usual one) then costs one query instead of loading megabytes of wasm.

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { DatabaseProvider } from "../../config.ts";
import { betterSqlite3 } from "../../lazy-require.ts";
import { lockfileContent } from "./migration-list.ts";

/** The columns of a _prisma_migrations row that decide whether it is applied (same names on every provider). */
export interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

const RECORD_COLUMNS = `"migration_name", "checksum", "finished_at", "rolled_back_at"`;

/**
 * True only when every committed migration is recorded exactly once, finished, not rolled back, with the checksum
 * the engine stores (sha256 hex of migration.sql as read, checked against databases the engine migrated), nothing
 * else is in the table, and the lockfile names this provider (applyMigrations refuses another). Everything else goes
 * to the engine, even histories it accepts (a rolled-back row next to its re-run, a checksum of the file with CRLF
 * line ends): the engine reports every problem, and a wrong "no" here costs only the time to load it.
 */
export function isUpToDate(
  records: readonly MigrationRecord[] | undefined,
  migrationsList: MigrationList,
  provider: DatabaseProvider,
): boolean {
  const directories = migrationsList.migrationDirectories;
  if (records?.length !== directories.length) return false;
  if (migrationsList.lockfile.content !== lockfileContent(provider)) return false;
  // As many records as directories, each directory matched by a distinct name: no record is left unexplained.
  const byName = new Map(records.map((record) => [record.migration_name, record]));
  return directories.every(({ path, migrationFile }) => {
    const record = byName.get(path);
    return (
      record !== undefined &&
      record.finished_at !== null &&
      record.rolled_back_at === null &&
      migrationFile.content.tag === "ok" &&
      record.checksum === createHash("sha256").update(migrationFile.content.value).digest("hex")
    );
  });
}

/**
 * The records of a SQLite file, or undefined when they cannot be read here (no file yet, no table, locked): the
 * engine then decides. No busy timeout: a lock held by another migration is the engine's to wait for and report.
 */
export function sqliteMigrationRecords(path: string): MigrationRecord[] | undefined {
  if (!existsSync(path)) return undefined;
  let database: BetterSqlite3.Database | undefined;
  try {
    const Sqlite = betterSqlite3();
    database = new Sqlite(path, { fileMustExist: true, timeout: 0 });
    return database.prepare(`SELECT ${RECORD_COLUMNS} FROM "_prisma_migrations"`).all() as MigrationRecord[];
  } catch {
    return undefined;
  } finally {
    database?.close();
  }
}

/**
 * The records in the URL's schema (Prisma's default: public), read on the connection that holds the migration lock,
 * or undefined when they cannot be read (no table yet).
 */
export async function postgresMigrationRecords(
  client: pg.Client,
  schema: string | undefined,
): Promise<MigrationRecord[] | undefined> {
  const table = `${client.escapeIdentifier(schema ?? "public")}."_prisma_migrations"`;
  try {
    return (await client.query<MigrationRecord>(`SELECT ${RECORD_COLUMNS} FROM ${table}`)).rows;
  } catch {
    return undefined;
  }
}
