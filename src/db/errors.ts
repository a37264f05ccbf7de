// The data layer's own failures: a write its guard refused, with what the guard saw. They carry no GraphQL (or
// other transport) detail; src/schema/client-errors.ts maps them to client errors.

import { pluralize } from "../plural.ts";

/** deleteThingsWhere's guard: more rows match than the call allows, so nothing was deleted. */
export class TooManyRowsError extends Error {
  constructor(
    readonly matched: number,
    readonly atMost: number,
  ) {
    super(
      `${pluralize(matched, "Thing")} ${matched === 1 ? "matches" : "match"}, more than atMost (${atMost}); nothing was deleted`,
    );
    this.name = "TooManyRowsError";
  }
}

/**
 * deleteAllThings' or emptyTrash's guard: the table (or the trash) does not hold the expected number of rows, so
 * nothing was deleted.
 */
export class CountMismatchError extends Error {
  constructor(
    readonly actualCount: number,
    readonly expectedCount: number,
    place: "table" | "trash" = "table",
  ) {
    const holds = place === "trash" ? "The trash holds" : actualCount === 1 ? "There is" : "There are";
    super(`${holds} ${pluralize(actualCount, "Thing")}, not ${expectedCount}; nothing was deleted`);
    this.name = "CountMismatchError";
  }
}

/** undoDelete of a deletion id that does not exist (or no longer does: the purge dropped it). */
export class DeletionNotFoundError extends Error {
  constructor(readonly deletionId: string) {
    super(`There is no deletion ${deletionId}`);
    this.name = "DeletionNotFoundError";
  }
}

/** undoDelete of another subject's deletion, by a caller without things:restore-any. */
export class NotYourDeletionError extends Error {
  constructor(readonly deletionId: string) {
    super(`Deletion ${deletionId} was made by another subject; undoing it needs the scope things:restore-any`);
    this.name = "NotYourDeletionError";
  }
}

/** undoDelete after the deletion's restorableUntil: nothing was restored, whether or not the purge has run. */
export class UndoExpiredError extends Error {
  constructor(
    readonly deletionId: string,
    readonly restorableUntil: Date,
  ) {
    super(`Deletion ${deletionId} could be undone until ${restorableUntil.toISOString()}; nothing was restored`);
    this.name = "UndoExpiredError";
  }
}

/** A create needed an id past the largest the id column takes (`maxId`), so nothing was created. */
export class IdRangeExhaustedError extends Error {
  constructor(readonly maxId: number) {
    super(`Thing ids are used up to ${maxId}, the largest the id column takes, so nothing was created`);
    this.name = "IdRangeExhaustedError";
  }
}
