// The range of Thing ids and its end: the database refuses an INSERT past it (migration
// 20261201204000_thing_id_range), and withinIdRange turns that refusal into IdRangeExhaustedError.
import { IdRangeExhaustedError } from "./errors.ts";

/**
 * Prisma's `Int` is a signed 32-bit integer on every provider, so this is the largest id the column can hold; the
 * database refuses to assign a larger one (SQLite has a 64-bit INTEGER, but a trigger stops it here too).
 */
export const MAX_THING_ID = 2_147_483_647;

/**
 * Runs `create` (one statement or a transaction of inserts into "Thing") and throws IdRangeExhaustedError when the
 * database refused a row because its id would pass MAX_THING_ID. The failed statement is undone by the database, so
 * nothing of it is inserted; any other error is rethrown as it is.
 */
export async function withinIdRange<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!isIdRangeExhausted(error)) throw error;
    throw new IdRangeExhaustedError(MAX_THING_ID);
  }
}

/** The driver's error behind a Prisma error, whichever of the two generated clients threw it (hence no instanceof). */
interface DriverCause {
  originalCode?: unknown;
  originalMessage?: unknown;
}

/**
 * SQLite: the trigger's RAISE(ABORT, 'THING_ID_RANGE_EXHAUSTED') (which Prisma reports as P2003, a foreign key
 * violation, with the message kept in the cause). PostgreSQL: SQLSTATE 2200H, nextval past the sequence's MAXVALUE;
 * only the Thing sequence is drawn from in the calls this wraps.
 */
function isIdRangeExhausted(error: unknown): boolean {
  const cause = driverCause(error);
  return cause?.originalMessage === "THING_ID_RANGE_EXHAUSTED" || cause?.originalCode === "2200H";
}

function driverCause(error: unknown): DriverCause | undefined {
  if (typeof error !== "object" || error === null || !("meta" in error)) return undefined;
  const meta = error.meta as { driverAdapterError?: { cause?: DriverCause } } | undefined;
  return meta?.driverAdapterError?.cause;
}
