// How many rows a Mutation field may remove, declared next to the field in its `extensions`. The delete budget
// (src/plugins/use-delete-budget.ts) sums these over a request and refuses, at app creation, a schema with a
// Mutation field that declares nothing: a new delete field cannot slip past MAX_DELETE_IDS by forgetting it. Fields
// that remove live Things also declare how many, which DELETE_RATE_LIMIT reserves (src/plugins/use-delete-rate-limit.ts).
import type { GraphQLField } from "graphql";

/**
 * The field is bounded by its own scope and a count the caller commits to, not by MAX_DELETE_IDS: emptying the
 * table (deleteAllThings) must stay possible whatever its size.
 */
export const BOUNDED_BY_SCOPE = "bounded-by-scope";

/**
 * The most rows one call may remove, from its coerced arguments. With `exact` false a cheaper upper bound will do
 * (an id list's length rather than its distinct count); the budget asks for the exact one only when the cheap
 * bounds together exceed MAX_DELETE_IDS.
 */
export type RowBound<TArgs> = (args: TArgs, exact: boolean) => number | typeof BOUNDED_BY_SCOPE;

/** The most live Things one call may remove, exactly (no cheaper bound), from its coerced arguments. */
export type ThingBound<TArgs> = (args: TArgs) => number;

/** A class, checked with instanceof: a plain object that happens to sit in `extensions` is no declaration. */
export class DeleteBudget {
  constructor(
    readonly rowsAtMost: RowBound<Record<string, unknown>>,
    /**
     * Counted against DELETE_RATE_LIMIT; null for fields that remove no live Thing. Purging the trash is not counted:
     * its rows were counted when they were deleted into it, and restoring removes nothing.
     */
    readonly thingsAtMost: ThingBound<Record<string, unknown>> | null = null,
  ) {}
}

/** `extensions` of a Mutation field that removes no rows (creating, updating). */
export const DELETES_NOTHING = { deleteBudget: new DeleteBudget(() => 0) } as const;

/**
 * `extensions` of a Mutation field that removes rows. `TArgs` is the field's coerced arguments, as its resolver
 * receives them: graphql-js coerced them against the very argument definitions this field declares.
 */
export function deletesRows<TArgs>(rowsAtMost: RowBound<TArgs>) {
  return { deleteBudget: new DeleteBudget((args, exact) => rowsAtMost(args as TArgs, exact)) } as const;
}

/**
 * `extensions` of a Mutation field that removes live Things, for good or into the trash: `rowsAtMost` bounds it
 * per request (MAX_DELETE_IDS) and, taken exactly, per subject and window (DELETE_RATE_LIMIT).
 */
export function deletesThings<TArgs>(rowsAtMost: (args: TArgs, exact: boolean) => number) {
  const bound = (args: Record<string, unknown>, exact: boolean) => rowsAtMost(args as TArgs, exact);
  return { deleteBudget: new DeleteBudget(bound, (args) => bound(args, true)) } as const;
}

/**
 * `extensions` of deleteAllThings: bounded by its scope per request (BOUNDED_BY_SCOPE), and by the count the caller
 * commits to (`thingsAtMost`) against DELETE_RATE_LIMIT.
 */
export function deletesAllThings<TArgs>(thingsAtMost: ThingBound<TArgs>) {
  return {
    deleteBudget: new DeleteBudget(
      () => BOUNDED_BY_SCOPE,
      (args) => thingsAtMost(args as TArgs),
    ),
  } as const;
}

export function deleteBudgetOf(field: GraphQLField<unknown, unknown>): DeleteBudget | undefined {
  const declared = field.extensions.deleteBudget;
  return declared instanceof DeleteBudget ? declared : undefined;
}
