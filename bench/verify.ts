// Checks, in the database itself, that a delete removed exactly the rows it was asked to. A failed check makes the
// benchmark exit non-zero: a fast delete of the wrong rows is a bug, not a result.
import type { BenchDatabase } from "./target.ts";

export class VerificationError extends Error {
  override name = "VerificationError";
}

export interface DeleteExpectation {
  /** Rows the table held before the delete (ids 1..rowsBefore). */
  rowsBefore: number;
  /** The ids the delete was given, all of which existed; "all" for deleteAllThings. */
  ids: readonly number[] | "all";
  /** What the delete reported. */
  deletedCount: number;
}

export async function verifyDeleted(
  db: BenchDatabase,
  what: string,
  { rowsBefore, ids, deletedCount }: DeleteExpectation,
): Promise<void> {
  const expected = ids === "all" ? rowsBefore : ids.length;
  const remaining = await db.count();
  // Only the requested ids gone, and all of them: the count says how many went, the lookup says which.
  const stillPresent = ids === "all" ? remaining : await db.countPresent(ids);
  if (deletedCount !== expected || remaining !== rowsBefore - expected || stillPresent !== 0) {
    throw new VerificationError(
      `${what}: reported ${deletedCount} deleted, expected ${expected}; ${remaining} rows remain, expected ` +
        `${rowsBefore - expected}; ${stillPresent} of the requested ids still exist`,
    );
  }
}
