// Migration failures as one error type with stable codes, and the cleanup of the engine's raw errors.

import type { ErrorRegistry } from "@prisma/driver-adapter-utils";

/**
 * Stable codes callers can branch on (the messages may change):
 * - MIGRATION_EDITED      a committed migration.sql changed after it was applied (checksum mismatch)
 * - DATABASE_AHEAD        the database has applied migrations that are missing from the migrations directory
 * - MIGRATION_FAILED      a migration failed, now or in an earlier run (Prisma P3009 / P3018)
 * - DATABASE_NOT_EMPTY    the database has tables but no migration history (Prisma P3005)
 * - DATABASE_LOCKED       another connection (e.g. a running server) holds the SQLite lock
 * - DATABASE_UNREACHABLE  the database server cannot be reached, or refuses the credentials or database name
 * - UNSUPPORTED_DATABASE  the URL scheme has no migration adapter here
 * - MIGRATIONS_NOT_FOUND  the migrations directory does not exist (a wrong cwd or path would otherwise migrate nothing)
 * - ENGINE_ERROR          any other error reported by the schema engine
 */
export type MigrationErrorCode =
  | "MIGRATION_EDITED"
  | "DATABASE_AHEAD"
  | "MIGRATION_FAILED"
  | "DATABASE_NOT_EMPTY"
  | "DATABASE_LOCKED"
  | "DATABASE_UNREACHABLE"
  | "UNSUPPORTED_DATABASE"
  | "MIGRATIONS_NOT_FOUND"
  | "ENGINE_ERROR";

export class MigrationError extends Error {
  override readonly name = "MigrationError";

  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    /** The Prisma error code behind it (P3009, …), when there is one. */
    readonly prismaCode?: string,
  ) {
    super(message);
  }
}

/** The `code` of an error: Prisma's (`P3005`, …) on engine errors, Node's (`ENOENT`, …) on fs errors. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/**
 * The engine's message without the traces it can carry (JS "    at …" frames, then a Rust span trace
 * "   0: module::Span"), and with "External error id#N" replaced by the driver adapter's own message (the engine
 * only keeps an id into the bound factory's error registry).
 */
export function cleanEngineMessage(error: unknown, registry?: ErrorRegistry): string {
  const raw = error instanceof Error ? error.message : String(error);
  const lines = raw.split("\n");
  const spanTrace = lines.findIndex((line) => /^\s+\d+: \S+::/.test(line));
  return lines
    .slice(0, spanTrace === -1 ? undefined : spanTrace)
    .filter((line) => !/^\s+at /.test(line))
    .join("\n")
    .replace(/External error id#(\d+)/g, (text, id: string) => externalErrorMessage(registry, Number(id)) ?? text)
    .trim();
}

/**
 * SQLITE_BUSY: another connection holds the lock past better-sqlite3's 5 s busy timeout. Adapter 7.10.0 reports it
 * as kind SocketTimeout, which engine 561d7b cannot even deserialize ("unknown variant `SocketTimeout`"), so the
 * message is all there is to go by (tools/prisma-offline/README.md W12).
 */
export function isDatabaseBusy(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /SocketTimeout|SQLITE_BUSY|database is locked/.test(message);
}

/** The database cannot be reached (see src/db/unreachable.ts), as the error callers get. */
export function unreachableError(cause: unknown): MigrationError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new MigrationError(
    "DATABASE_UNREACHABLE",
    `Cannot connect to the database in DATABASE_URL (${detail.split("\n")[0]?.trim()}), so nothing was migrated. ` +
      "Check that the server is running and reachable, and the host, port, database name and credentials.",
  );
}

function externalErrorMessage(registry: ErrorRegistry | undefined, id: number): string | undefined {
  const record = registry?.consumeError(id);
  if (record === undefined) return undefined;
  const { error } = record;
  if (typeof error !== "object" || error === null) return String(error);
  // Adapter errors are DriverAdapterError-shaped ({kind, originalMessage | message, …}); plain JS errors have message.
  const fields = error as Record<string, unknown>;
  for (const key of ["originalMessage", "message"]) {
    const text = fields[key];
    if (typeof text === "string") return text;
  }
  return JSON.stringify(error);
}
