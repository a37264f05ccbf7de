// The batch-delete mutations and their payload: deleteThings (by ids), deleteThingsWhere (by filter, capped) and
// deleteAllThings (guarded by the expected count). Each publishes one thingsDeleted event after it commits.
import { builder, QueryRoot } from "../builder.ts";
import type { AppContext } from "../context.ts";
import { badUserInput, ErrorCode, userError } from "../errors.ts";
import type { DeleteOutcome, ThingFilter } from "../db/thing-deletes.ts";
import { parseThingIds } from "./ids.ts";
import { selectsAny } from "./selection.ts";
import { parseText } from "./text.ts";

const ID_FIELDS = ["deletedIds", "notFoundIds"] as const;

function computedIds(outcome: DeleteOutcome, field: (typeof ID_FIELDS)[number]): number[] {
  const ids = outcome[field];
  // The mutation computes ids whenever the selection contains this field; reaching this is a bug, so it stays masked.
  if (ids === null) throw new Error(`${field} was selected but not computed`);
  return ids;
}

const DeleteThingsPayload = builder.objectRef<DeleteOutcome>("DeleteThingsPayload").implement({
  description: "What a delete call removed, or would remove in a dry run.",
  fields: (t) => ({
    deletedCount: t.exposeInt("deletedCount", { description: "Rows removed by this call (0 for a dry run)." }),
    deletedIds: t.idList({
      description: "Exactly the rows this call removed (in a dry run: would remove), ascending.",
      resolve: (outcome) => computedIds(outcome, "deletedIds"),
    }),
    notFoundIds: t.idList({
      description: "Requested ids that did not exist, ascending (deleteThings only; [] otherwise).",
      resolve: (outcome) => computedIds(outcome, "notFoundIds"),
    }),
    dryRun: t.exposeBoolean("dryRun", { description: "True when nothing was deleted because dryRun was asked." }),
    query: t.field({
      type: QueryRoot,
      description: "The Query root, to refetch lists and counts in the same round trip.",
      resolve: () => ({}),
    }),
  }),
});

const ThingWhere = builder.inputType("ThingWhere", {
  description: "Which Things to delete; every field given must match. At least one field is required.",
  fields: (t) => ({
    textContains: t.string({ description: "Text contains this substring (case-sensitive, not empty)." }),
    textEquals: t.string({ description: "Text equals this exactly." }),
    idIn: t.idList({ description: "Id is one of these." }),
  }),
});

function publishDeleted(context: AppContext, ids: readonly number[], outcome: DeleteOutcome): DeleteOutcome {
  if (!outcome.dryRun && outcome.deletedCount > 0) {
    context.events.publish("thingsDeleted", {
      ids: [...ids],
      count: outcome.deletedCount,
      allThings: outcome.allThings,
      at: new Date(),
    });
  }
  return outcome;
}

/** Scope checks ran first, so a delete always has an authenticated caller. */
function subjectOf(context: AppContext): string {
  if (!context.auth) throw new Error("a delete resolver ran without an authenticated caller");
  return context.auth.subject;
}

/**
 * A row count the caller commits to (atMost, expectedCount): never negative, and never above MAX_DELETE_IDS, since
 * the call may delete that many rows.
 */
function requireRowCount(value: number, argumentName: string, max: number): number {
  if (value < 0) throw badUserInput(`${argumentName} must not be negative, got ${value}`, { argumentName, value });
  if (value > max) {
    throw userError(
      ErrorCode.TOO_MANY_IDS,
      `${argumentName} must not exceed MAX_DELETE_IDS (${max}): one call may delete at most that many rows`,
      { argumentName, max },
    );
  }
  return value;
}

builder.mutationFields((t) => {
  const dryRun = () =>
    t.arg.boolean({
      required: true,
      defaultValue: false,
      description: "Check everything and report what would be deleted, without deleting or publishing an event.",
    });

  return {
    deleteThings: t.field({
      type: DeleteThingsPayload,
      authScopes: { scope: "things:delete" },
      description:
        "Deletes the Things with these ids in ONE statement, atomically. Duplicates count once; ids that do not exist are listed in notFoundIds, not an error.",
      args: { ids: t.arg.idList({ required: true }), dryRun: dryRun() },
      resolve: async (_root, args, context, info) => {
        const ids = parseThingIds(args.ids, "ids", context.maxDeleteIds);
        const outcome = await context.deletes.byIds(ids, {
          dryRun: args.dryRun,
          wantIds: selectsAny(info, ID_FIELDS),
          subject: subjectOf(context),
        });
        return publishDeleted(context, ids, outcome);
      },
    }),

    deleteThingsWhere: t.field({
      type: DeleteThingsPayload,
      authScopes: { scope: "things:delete" },
      description:
        "Deletes the Things matching `where`, unless more than `atMost` match: then nothing is deleted (TOO_MANY_ROWS).",
      args: {
        where: t.arg({ type: ThingWhere, required: true }),
        atMost: t.arg.int({ required: true, description: "Most rows this call may delete." }),
        dryRun: dryRun(),
      },
      resolve: async (_root, args, context) => {
        const atMost = requireRowCount(args.atMost, "atMost", context.maxDeleteIds);
        const filter = parseFilter(args.where, context);
        const outcome = await context.deletes.matching(filter, atMost, {
          dryRun: args.dryRun,
          subject: subjectOf(context),
        });
        return publishDeleted(context, outcome.deletedIds ?? [], outcome);
      },
    }),

    deleteAllThings: t.field({
      type: DeleteThingsPayload,
      authScopes: { scope: "things:delete-all" },
      description:
        "Empties the table, only if it holds exactly `expectedCount` Things (checked in the same transaction; COUNT_MISMATCH otherwise).",
      args: { expectedCount: t.arg.int({ required: true }), dryRun: dryRun() },
      resolve: async (_root, args, context, info) => {
        const expectedCount = requireRowCount(args.expectedCount, "expectedCount", context.maxDeleteIds);
        const outcome = await context.deletes.all(expectedCount, {
          dryRun: args.dryRun,
          wantIds: selectsAny(info, ID_FIELDS),
          subject: subjectOf(context),
        });
        return publishDeleted(context, [], outcome);
      },
    }),
  };
});

interface ThingWhereArgs {
  textContains?: string | null;
  textEquals?: string | null;
  idIn?: readonly (string | number | bigint)[] | null;
}

/**
 * An empty filter would mean "everything": that is deleteAllThings' job, so it is refused here. Strings get the
 * same checks as the texts they are compared with (parseText), so a filter can only match what it says.
 */
function parseFilter(where: ThingWhereArgs, limits: Pick<AppContext, "maxDeleteIds" | "maxTextLength">): ThingFilter {
  const filter: ThingFilter = {};
  if (where.textContains != null) {
    if (where.textContains === "") {
      throw badUserInput("where.textContains must not be empty: it would match every Thing", {
        argumentName: "where.textContains",
      });
    }
    filter.textContains = parseText(where.textContains, "where.textContains", limits.maxTextLength);
  }
  if (where.textEquals != null) {
    filter.textEquals = parseText(where.textEquals, "where.textEquals", limits.maxTextLength);
  }
  if (where.idIn != null) filter.idIn = parseThingIds(where.idIn, "where.idIn", limits.maxDeleteIds);
  if (Object.keys(filter).length === 0) {
    throw badUserInput("where needs at least one of textContains, textEquals, idIn", { argumentName: "where" });
  }
  return filter;
}
