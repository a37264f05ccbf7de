// The DeleteAudit table: the row every committed delete, trash move, restore and purge writes in its own
// transaction, so a row exists exactly when the change happened, and the retention purge that removes old rows
// (src/audit-purge.ts).
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { sql } from "./sql.ts";
import { holdsPurgeLock, type SqlDialect } from "./dialect.ts";

export type AuditedOperation =
  | "deleteThings"
  | "deleteThingsWhere"
  | "deleteAllThings"
  | "undoDelete"
  | "restoreThings"
  | "purgeThings"
  | "emptyTrash"
  | "purgeExpired";

/** The row a committed call writes; `at` is the time it is written. */
export interface AuditRow {
  subject: string;
  operation: AuditedOperation;
  idCount: number;
  dryRun: boolean;
  /** The Deletion the call made or took back; it is recorded only if that Deletion exists when the row is written. */
  deletionId?: string;
}

/**
 * The audit row as raw SQL, for batches of raw statements (Prisma runs those without compiling anything) and for
 * interactive transactions (each statement runs on its own). `deleteAudit.create` would cost more than the delete
 * it records there (0.9 vs 0.4 ms per call, measured), and the row needs nothing Prisma adds. A deletion id is
 * looked up rather than written as given: an undoable delete that moved nothing drops its Deletion in the same
 * batch, and its audit row then says so with a null.
 */
export function auditStatement(
  client: Prisma.TransactionClient,
  { subject, operation, idCount, dryRun, deletionId }: AuditRow,
): Prisma.PrismaPromise<number> {
  const deletion = deletionId === undefined ? sql`NULL` : sql`(SELECT "id" FROM "Deletion" WHERE "id" = ${deletionId})`;
  return client.$executeRaw`INSERT INTO "DeleteAudit" ("at", "subject", "operation", "idCount", "dryRun", "deletionId") VALUES (${new Date()}, ${subject}, ${operation}, ${idCount}, ${dryRun}, ${deletion})`;
}

/**
 * One batch of the audit retention purge: the oldest rows written before `cutoff`, at most `batchSize`, in one
 * DELETE (the unique index on ("at", "id") makes finding them a range scan). Null when another instance holds the
 * audit purge's lock (PostgreSQL); otherwise how many rows it removed.
 */
export function purgeAuditBefore(
  prisma: PrismaClient,
  dialect: SqlDialect,
  cutoff: Date,
  batchSize: number,
): Promise<number | null> {
  return prisma.$transaction(async (tx) => {
    if (!(await holdsPurgeLock(tx, dialect, "audit"))) return null;
    const oldest = sql`SELECT "id" FROM "DeleteAudit" WHERE "at" < ${cutoff} ORDER BY "at", "id" LIMIT ${batchSize}`;
    return tx.$executeRaw`DELETE FROM "DeleteAudit" WHERE "id" IN (${oldest})`;
  });
}
