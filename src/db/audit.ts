// The DeleteAudit row every committed delete, trash move, restore and purge writes in its own transaction, so a
// row exists exactly when the change happened.
import { Prisma } from "../generated/prisma/client.ts";

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
  const deletion =
    deletionId === undefined ? Prisma.sql`NULL` : Prisma.sql`(SELECT "id" FROM "Deletion" WHERE "id" = ${deletionId})`;
  return client.$executeRaw`INSERT INTO "DeleteAudit" ("at", "subject", "operation", "idCount", "dryRun", "deletionId") VALUES (${new Date()}, ${subject}, ${operation}, ${idCount}, ${dryRun}, ${deletion})`;
}
