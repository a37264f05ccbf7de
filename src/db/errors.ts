// The data layer's own failures: a delete its guard refused, with what the guard saw. They carry no GraphQL (or
// other transport) detail; src/schema/delete-things.ts maps them to client errors.

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
