// The data layer's refusals (src/db/errors.ts) as the client errors the API documents, in one place for every
// resolver; any other failure stays as it was thrown, and the masking plugin hides it.
import {
  CountMismatchError,
  DeletionNotFoundError,
  IdRangeExhaustedError,
  NotYourDeletionError,
  TooManyRowsError,
  UndoExpiredError,
} from "../db/errors.ts";
import { ErrorCode, userError } from "../errors.ts";

export function throwAsClientError(error: unknown): never {
  if (error instanceof TooManyRowsError) {
    throw userError(ErrorCode.TOO_MANY_ROWS, error.message, { matched: error.matched, atMost: error.atMost });
  }
  if (error instanceof CountMismatchError) {
    throw userError(ErrorCode.COUNT_MISMATCH, error.message, {
      actualCount: error.actualCount,
      expectedCount: error.expectedCount,
    });
  }
  if (error instanceof IdRangeExhaustedError) {
    throw userError(ErrorCode.ID_RANGE_EXHAUSTED, error.message, { maxId: error.maxId });
  }
  if (error instanceof DeletionNotFoundError) {
    throw userError(ErrorCode.NOT_FOUND, error.message, { deletionId: error.deletionId });
  }
  if (error instanceof NotYourDeletionError) {
    throw userError(ErrorCode.FORBIDDEN, error.message, { deletionId: error.deletionId, scope: "things:restore-any" });
  }
  if (error instanceof UndoExpiredError) {
    throw userError(ErrorCode.UNDO_EXPIRED, error.message, {
      deletionId: error.deletionId,
      restorableUntil: error.restorableUntil.toISOString(),
    });
  }
  throw error;
}
