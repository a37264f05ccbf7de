// The data layer's refusals (src/db/errors.ts) as the client errors the API documents, in one place for every
// resolver; any other failure stays as it was thrown, and the masking plugin hides it.
import { CountMismatchError, IdRangeExhaustedError, TooManyRowsError } from "../db/errors.ts";
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
  throw error;
}
