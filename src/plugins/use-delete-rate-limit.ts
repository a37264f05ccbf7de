// DELETE_RATE_LIMIT checked per request, before any SQL: the live Things a mutation's delete fields may remove (their
// declared bounds, src/schema/delete-budget.ts, summed over the fields that will run, as the delete budget finds them)
// are reserved at once, so a request fits whole or is refused with RATE_LIMITED. What it reserved but did not delete
// (fewer rows matched, a failure) is given back after it ran.
import type { ExecutionArgs, ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { AppContext } from "../context.ts";
import type { DeleteRateLimit } from "../delete-rate-limit.ts";
import { plannedDeleteCalls, type DeleteCall } from "./use-delete-budget.ts";

function thingsAtMost(calls: readonly DeleteCall[]): number {
  return calls.reduce((total, { budget, args }) => total + (budget.thingsAtMost?.(args) ?? 0), 0);
}

/**
 * After deleteBudgetPlugin, whose delete calls it reads (found once per request), so a request over MAX_DELETE_IDS
 * is refused without reserving anything.
 */
export function deleteRateLimitPlugin(rateLimit: DeleteRateLimit): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const { contextValue } = args as ExecutionArgs & { contextValue: AppContext };
      // Anonymous callers cannot delete (every delete field needs a scope); execution refuses them.
      const subject = contextValue.auth?.subject;
      if (subject === undefined) return;
      // Undefined: variables or arguments that do not coerce; execution reports that error itself, and deletes nothing.
      const calls = plannedDeleteCalls(contextValue);
      if (calls === undefined) return;
      const rows = thingsAtMost(calls);
      if (rows === 0) return;
      setExecuteFn(async (executionArgs) => {
        const reservation = await rateLimit.reserve(subject, rows);
        if (!reservation.granted) return { errors: [reservation.error] };
        try {
          // envelop types executeFn loosely; it is graphql-js' execute (or a plugin's wrapper of it).
          return (await executeFn(executionArgs)) as ExecutionResult;
        } finally {
          await reservation.settle(contextValue.thingsDeleted.count);
        }
      });
    },
  };
}
