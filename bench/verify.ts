// Checks, in the database itself, that a delete removed exactly the rows it was asked to (into the trash, for an
// undoable one) and that an undo put them back. A failed check makes the benchmark exit non-zero: a fast delete of
// the wrong rows is a bug, not a result.
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

export interface TrashExpectation extends DeleteExpectation {
  ids: readonly number[];
  /** The Deletion the undoable delete reported. */
  deletionId: string;
}

/** An undoable delete: gone from "Thing" as a permanent one would be, and exactly those rows in its Deletion. */
export async function verifyTrashed(db: BenchDatabase, what: string, expectation: TrashExpectation): Promise<void> {
  await verifyDeleted(db, what, expectation);
  const { ids, deletionId } = expectation;
  const trashed = await db.countTrashed(deletionId, ids);
  if (trashed.rows !== ids.length || trashed.ofIds !== ids.length) {
    throw new VerificationError(
      `${what}: deletion ${deletionId} holds ${trashed.rows} trashed rows, ${trashed.ofIds} of them requested; ` +
        `expected the ${ids.length} requested ids`,
    );
  }
}

export interface RestoreExpectation {
  /** Rows the table held before the undoable delete (ids 1..rows), and must hold again. */
  rows: number;
  /** The ids that delete moved. */
  ids: readonly number[];
  deletionId: string;
  /** What the undo reported. */
  restoredCount: number;
}

/** An undo: every moved row live again, the table as it was, and nothing of that Deletion left in the trash. */
export async function verifyRestored(
  db: BenchDatabase,
  what: string,
  { rows, ids, deletionId, restoredCount }: RestoreExpectation,
): Promise<void> {
  const count = await db.count();
  const present = await db.countPresent(ids);
  const trashed = await db.countTrashed(deletionId, ids);
  if (restoredCount !== ids.length || count !== rows || present !== ids.length || trashed.rows !== 0) {
    throw new VerificationError(
      `${what}: reported ${restoredCount} restored, expected ${ids.length}; ${count} rows live, expected ${rows}; ` +
        `${present} of the ${ids.length} ids live; ${trashed.rows} rows of deletion ${deletionId} still in the trash`,
    );
  }
}
