// Parsing of Thing ids from the GraphQL ID type (always a string on input) into database keys.
import { badUserInput, ErrorCode, userError } from "../errors.ts";

/** Prisma's `Int` is a signed 32-bit integer on every provider, so this is the largest id the column can hold. */
export const MAX_THING_ID = 2_147_483_647;

const POSITIVE_INTEGER = /^[1-9][0-9]*$/;

/** Throws BAD_USER_INPUT naming the value unless it is a positive integer within the column's range. */
export function parseThingId(raw: string | number | bigint, argumentName = "id"): number {
  const text = String(raw);
  const id = POSITIVE_INTEGER.test(text) ? Number(text) : Number.NaN;
  if (!(id <= MAX_THING_ID)) {
    throw badUserInput(
      `${argumentName}: "${text}" is not a valid Thing id (a positive integer up to ${MAX_THING_ID})`,
      { argumentName, value: text },
    );
  }
  return id;
}

/**
 * Parses and de-duplicates a list of ids, stopping with TOO_MANY_IDS as soon as more than `max` distinct ids are
 * seen, so an oversized list costs no SQL and no more parsing than needed.
 */
export function parseThingIds(raw: readonly (string | number | bigint)[], argumentName: string, max: number): number[] {
  const ids = new Set<number>();
  for (const value of raw) {
    ids.add(parseThingId(value, argumentName));
    if (ids.size > max) {
      throw userError(ErrorCode.TOO_MANY_IDS, `${argumentName}: more than ${max} distinct ids in one call`, {
        argumentName,
        max,
      });
    }
  }
  return [...ids];
}
