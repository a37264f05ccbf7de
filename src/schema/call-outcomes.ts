// Counts every call of a row-changing Mutation field (src/metrics.ts ROW_MUTATIONS) by its outcome: `ok`, or the
// code of the error it failed with. A Pothos plugin, first in src/builder.ts so it wraps the scope checks too: a
// refused call (FORBIDDEN, UNAUTHENTICATED) counts like any other, and fields that change no rows are not wrapped.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";
import type { GraphQLFieldResolver } from "graphql";
import type { AppContext } from "../context.ts";
import { outcomeOf, ROW_MUTATIONS, type RowMutation } from "../metrics.ts";

const isRowMutation = (name: string): name is RowMutation => ROW_MUTATIONS.some((mutation) => mutation === name);

class CallOutcomesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> {
    const { name } = fieldConfig;
    if (fieldConfig.parentType !== "Mutation" || !isRowMutation(name)) return resolver;
    return async (parent, args, context, info) => {
      const { metrics } = context as AppContext;
      try {
        const result: unknown = await resolver(parent, args, context, info);
        metrics.callFinished(name, "ok");
        return result;
      } catch (error) {
        metrics.callFinished(name, outcomeOf(error));
        throw error;
      }
    };
  }
}

declare global {
  // Pothos declares its plugin registry as a global namespace; a plugin can only extend it the same way.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      callOutcomes: CallOutcomesPlugin<Types>;
    }
  }
}

export const callOutcomesPlugin = "callOutcomes";
SchemaBuilder.registerPlugin(callOutcomesPlugin, CallOutcomesPlugin);
