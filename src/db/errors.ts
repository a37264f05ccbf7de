// The data layer's own failures: a write its guard refused, with what the guard saw. They carry no GraphQL (or
// other transport) detail; src/schema/client-errors.ts maps them to client errors.

/** deleteThingsWhere's guard: more rows match than the call allows, so nothing was deleted. */
export class TooManyRowsError extends Error {
  constructor(
    readonly matched: number,
    readonly atMost: number,
  ) {
    super(`${matched} Things match, more than atMost (${atMost}); nothing was deleted`);
    this.name = "TooManyRowsError";
  }
}

/** deleteAllThings' guard: the table does not hold the expected number of rows, so nothing was deleted. */
export class CountMismatchError extends Error {
  constructor(
    readonly actualCount: number,
    readonly expectedCount: number,
  ) {
    super(`There are ${actualCount} Things, not ${expectedCount}; nothing was deleted`);
    this.name = "CountMismatchError";
  }
}

/** A create needed an id past the largest the id column takes (`maxId`), so nothing was created. */
export class IdRangeExhaustedError extends Error {
  constructor(readonly maxId: number) {
    super(`Thing ids are used up to ${maxId}, the largest the id column takes, so nothing was created`);
    this.name = "IdRangeExhaustedError";
  }
}
