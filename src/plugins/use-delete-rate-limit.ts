// DELETE_RATE_LIMIT per subject: before a mutation runs, the live Things its delete fields may remove (their declared
// bounds, src/schema/delete-budget.ts, summed over the fields that will run, as the delete budget finds them) are
// reserved at once, so a request either fits whole or is refused with RATE_LIMITED before any SQL. After it ran,
// what it reserved but did not delete (a partial match, a failure) is given back.
import type { ExecutionArgs, GraphQLSchema } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { AppContext } from "../context.ts";
import type { DeleteRateLimit } from "../delete-rate-limit.ts";
import { declaredBudgets, deleteCalls, type DeleteCall } from "./use-delete-budget.ts";

function thingsAtMost(calls: readonly DeleteCall[]): number {
  return calls.reduce((total, { budget, args }) => total + (budget.thingsAtMost?.(args) ?? 0), 0);
}

/** After deleteBudgetPlugin, so a request over MAX_DELETE_IDS is refused without reserving anything. */
export function deleteRateLimitPlugin(schema: GraphQLSchema, rateLimit: DeleteRateLimit): Plugin {
  const declared = declaredBudgets(schema);
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const { document, operationName, variableValues, contextValue } = args as ExecutionArgs & {
        contextValue: AppContext;
      };
      // Anonymous callers cannot delete (every delete field needs a scope); execution refuses them.
      const subject = contextValue.auth?.subject;
      if (subject === undefined) return;
      let rows: number;
      try {
        rows = thingsAtMost(deleteCalls(schema, declared, document, operationName, variableValues ?? {}));
      } catch {
        // Variables or arguments that do not coerce: execution reports that error itself, and deletes nothing.
        return;
      }
      if (rows === 0) return;
      setExecuteFn(async (executionArgs) => {
        const reservation = await rateLimit.reserve(subject, rows);
        if (!reservation.granted) return { errors: [reservation.error] };
        try {
          return await executeFn(executionArgs);
        } finally {
          await reservation.settle(contextValue.thingsDeleted.count);
        }
      });
    },
  };
}
