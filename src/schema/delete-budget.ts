// How many rows a Mutation field may remove, declared next to the field in its `extensions`. The delete budget
// (src/plugins/use-delete-budget.ts) sums these over a request and refuses, at app creation, a schema with a
// Mutation field that declares nothing: a new delete field cannot slip past MAX_DELETE_IDS by forgetting it.
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

/** A class, checked with instanceof: a plain object that happens to sit in `extensions` is no declaration. */
export class DeleteBudget {
  constructor(readonly rowsAtMost: RowBound<Record<string, unknown>>) {}
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

export function deleteBudgetOf(field: GraphQLField<unknown, unknown>): DeleteBudget | undefined {
  const declared = field.extensions.deleteBudget;
  return declared instanceof DeleteBudget ? declared : undefined;
}
