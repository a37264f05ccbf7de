// Transactions for writes whose check must see the same rows as the write itself (deletes, trash moves, restores,
// purges): serializable ones, run again when the database aborted them for a conflict, and the count-checked one.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

/**
 * Longest a transaction that moves or deletes many rows may stay open, instead of Prisma's default 5 s: a trash
 * move writes every row twice (the trash and its indexes, then the table) and builds the Deletion's id list, and a
 * MAX_DELETE_IDS-sized move, a restore of it, or emptying a large table outlasted 5 s on a loaded 2-core machine
 * (docs/benchmark.md), which rolled the whole call back. The statement timeout (DATABASE_STATEMENT_TIMEOUT_MS) still
 * bounds each statement on PostgreSQL.
 */
export const LARGE_WRITE_TIMEOUT_MS = 60_000;

/** Attempts of one serializable transaction before a serialization failure is given up on (see serializable()). */
const SERIALIZATION_ATTEMPTS = 5;

/**
 * The database rolled the transaction back because of a concurrent one, so running it again is safe. Seen as:
 * Prisma's P2034; a raw statement's P2010 or a failed COMMIT carrying the adapter error of kind
 * TransactionWriteConflict (PostgreSQL 40001); SQLITE_BUSY when two connections to one SQLite file both try to
 * turn a read transaction into a write one (the busy timeout does not apply: one of them must give up). Checked by
 * fields, not instanceof: the SQLite and PostgreSQL clients are two generated modules.
 */
function isSerializationFailure(error: unknown): boolean {
  if (field(error, "code") === "P2034") return true;
  const cause = field(field(field(error, "meta"), "driverAdapterError"), "cause") ?? field(error, "cause");
  const kind = field(cause, "kind");
  const originalCode = field(cause, "originalCode");
  // SQLITE_BUSY_SNAPSHOT: in WAL mode, another connection committed after this transaction's first read.
  const sqliteBusy = typeof originalCode === "string" && originalCode.startsWith("SQLITE_BUSY");
  return kind === "TransactionWriteConflict" || originalCode === "40001" || sqliteBusy;
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * One serializable transaction, run again when the database aborted it for a conflict with a concurrent one
 * (see isSerializationFailure). An aborted attempt was rolled back entirely, so a retry can never make a partial
 * write; after SERIALIZATION_ATTEMPTS the failure surfaces as an unexpected error with nothing written.
 */
export async function serializable<T>(
  prisma: PrismaClient,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(work, {
        isolationLevel: "Serializable",
        timeout: LARGE_WRITE_TIMEOUT_MS,
      });
    } catch (error) {
      if (attempt >= SERIALIZATION_ATTEMPTS || !isSerializationFailure(error)) throw error;
      // Random back-off, so that the transactions that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

/**
 * A transaction whose only check is the row count of its one write (the count-only deleteAllThings: DELETE, then
 * roll back unless it removed exactly the expected rows). A statement sees one snapshot and removes exactly the rows
 * it counts in any isolation level, and rows another transaction deletes or adds meanwhile change that count as
 * they would in a serial order, so the database's default level (PostgreSQL's READ COMMITTED) keeps the check
 * exact; SERIALIZABLE's per-row conflict checks made a 100,000-row DELETE 20–75% slower (docs/benchmark.md). Nothing
 * to retry: READ COMMITTED aborts nothing for a conflict. SQLite's transactions are serializable either way.
 */
export function countChecked<T>(prisma: PrismaClient, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return prisma.$transaction(work, { timeout: LARGE_WRITE_TIMEOUT_MS });
}
