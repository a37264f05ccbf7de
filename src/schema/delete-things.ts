// The batch-delete mutations and their payload: deleteThings (by ids), deleteThingsWhere (by filter, capped) and
// deleteAllThings (guarded by the expected count), each permanent or, with `undoable: true`, into the trash as one
// Deletion (src/schema/trash.ts takes it back). Each publishes one event after it commits: DELETED or TRASHED.
import { builder, QueryRoot } from "../builder.ts";
import type { AppContext } from "../context.ts";
import { badUserInput, ErrorCode, userError } from "../errors.ts";
import type { DeleteOutcome } from "../db/thing-deletes.ts";
import type { ThingFilter } from "../db/thing-filter.ts";
import type { DeletionOperation, TrashMove } from "../db/trash.ts";
import { uuidV7 } from "../db/uuid-v7.ts";
import { deletesAllThings, deletesThings } from "./delete-budget.ts";
import { throwAsClientError } from "./client-errors.ts";
import { parseThingIds } from "./ids.ts";
import { DeletionObject } from "./deletion.ts";
import { selectedIds, selectsAny } from "./selection.ts";
import { parseFilterFields, type ThingFilterArgs } from "./thing-filter.ts";

const ID_FIELDS = ["deletedIds", "notFoundIds"] as const;

const DeleteThingsPayload = builder.objectRef<DeleteOutcome>("DeleteThingsPayload").implement({
  description: "What a delete call removed, or would remove in a dry run.",
  fields: (t) => ({
    deletedCount: t.exposeInt("deletedCount", { description: "Rows removed by this call (0 for a dry run)." }),
    deletedIds: t.idList({
      description: "Exactly the rows this call removed (in a dry run: would remove), ascending.",
      resolve: (outcome) => selectedIds(outcome.deletedIds, "deletedIds"),
    }),
    notFoundIds: t.idList({
      description: "Requested ids that did not exist, ascending (deleteThings only; [] otherwise).",
      resolve: (outcome) => selectedIds(outcome.notFoundIds, "notFoundIds"),
    }),
    dryRun: t.exposeBoolean("dryRun", { description: "True when nothing was deleted because dryRun was asked." }),
    // A plain field, not prismaField: most payloads have no deletion, and a prismaField must spend its query.
    deletion: t.field({
      type: DeletionObject,
      nullable: true,
      description:
        "The Deletion to pass to undoDelete: null unless undoable, not a dry run, and at least one row was moved.",
      resolve: (outcome, _args, { prisma }) =>
        outcome.deletionId === null ? null : prisma.deletion.findUnique({ where: { id: outcome.deletionId } }),
    }),
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

/**
 * Publishes the event and counts the rows. `requestedIds` are the distinct ids the call asked for, which a
 * count-only delete's event may list (src/events.ts).
 */
function publishDeleted(
  context: AppContext,
  operation: DeletionOperation,
  requestedIds: readonly number[],
  outcome: DeleteOutcome,
): DeleteOutcome {
  if (!outcome.dryRun) {
    // The request's tally, which the delete rate limit settles with (src/plugins/use-delete-rate-limit.ts).
    context.thingsDeleted.count += outcome.deletedCount;
    const trashed = outcome.deletionId !== null;
    context.events.publish({
      kind: trashed ? "TRASHED" : "DELETED",
      ids: outcome.deletedIds,
      requestedIds,
      count: outcome.deletedCount,
      allThings: outcome.allThings,
    });
    context.metrics.rowsChanged(operation, trashed ? "trashed" : "deleted", outcome.deletedCount);
  }
  return outcome;
}

/**
 * The Deletion an undoable call will make, or null for a permanent one and for a dry run (nothing moves). Checked
 * before any SQL: with TRASH_RETENTION_MS=0 undoable deletes are off, and asking for one is an error rather than a
 * permanent delete the caller did not ask for.
 */
function trashMoveFor(context: AppContext, args: { undoable: boolean; dryRun: boolean }): TrashMove | null {
  if (!args.undoable) return null;
  if (context.trashRetentionMs === 0) {
    throw userError(ErrorCode.UNDO_DISABLED, "Undoable deletes are turned off on this server (TRASH_RETENTION_MS=0)");
  }
  if (args.dryRun) return null;
  const deletedAt = context.now();
  return {
    deletionId: uuidV7(deletedAt),
    deletedBy: subjectOf(context),
    deletedAt,
    restorableUntil: new Date(deletedAt.getTime() + context.trashRetentionMs),
  };
}

/**
 * At most one row per distinct id; the list's length bounds that too, and counting distinct ids costs a Set of
 * every id (7% of a 100000-id request, profiled), so the exact count is taken only when the budget asks for it.
 */
export function distinctIdCount(ids: readonly string[], exact: boolean): number {
  return exact ? new Set(ids).size : ids.length;
}

/** Scope checks ran first, so a delete always has an authenticated caller. */
export function subjectOf(context: AppContext): string {
  if (!context.auth) throw new Error("a delete resolver ran without an authenticated caller");
  return context.auth.subject;
}

/**
 * A row count the caller commits to (atMost, expectedCount) is never negative. How large it may be is the delete
 * budget's concern (src/plugins/use-delete-budget.ts), checked before any resolver runs.
 */
export function requireRowCount(value: number, argumentName: string): number {
  if (value < 0) throw badUserInput(`${argumentName} must not be negative, got ${value}`, { argumentName, value });
  return value;
}

builder.mutationFields((t) => {
  const dryRun = () =>
    t.arg.boolean({
      required: true,
      defaultValue: false,
      description: "Check everything and report what would be deleted, without deleting or publishing an event.",
    });
  const undoable = () =>
    t.arg.boolean({
      required: true,
      defaultValue: false,
      description:
        "Move the rows into the trash as one Deletion that undoDelete can take back until restorableUntil, instead of deleting them for good.",
    });

  return {
    deleteThings: t.field({
      type: DeleteThingsPayload,
      authScopes: { scope: "things:delete" },
      description:
        "Deletes the Things with these ids in ONE statement, atomically. Duplicates count once; ids that do not exist are listed in notFoundIds, not an error.",
      args: { ids: t.arg.idList({ required: true }), dryRun: dryRun(), undoable: undoable() },
      extensions: deletesThings<{ ids: readonly string[]; dryRun: boolean }>(({ ids, dryRun }, exact) =>
        dryRun ? 0 : distinctIdCount(ids, exact),
      ),
      resolve: async (_root, args, context, info) => {
        const ids = parseThingIds(args.ids, "ids");
        const options = {
          dryRun: args.dryRun,
          wantIds: selectsAny(info, ID_FIELDS),
          subject: subjectOf(context),
          trash: trashMoveFor(context, args),
        };
        const outcome = await context.deletes.byIds(ids, options).catch(throwAsClientError);
        return publishDeleted(context, "deleteThings", ids, outcome);
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
        undoable: undoable(),
      },
      // atMost bounds the call, so an atMost above MAX_DELETE_IDS is refused however few rows match.
      extensions: deletesThings<{ atMost: number; dryRun: boolean }>(({ atMost, dryRun }) =>
        dryRun ? 0 : Math.max(0, atMost),
      ),
      resolve: async (_root, args, context) => {
        const atMost = requireRowCount(args.atMost, "atMost");
        const filter = parseFilter(args.where, context);
        const trash = trashMoveFor(context, args);
        const outcome = await context.deletes
          .matching(filter, atMost, { dryRun: args.dryRun, subject: subjectOf(context), trash })
          .catch(throwAsClientError);
        return publishDeleted(context, "deleteThingsWhere", outcome.deletedIds ?? [], outcome);
      },
    }),

    deleteAllThings: t.field({
      type: DeleteThingsPayload,
      authScopes: { scope: "things:delete-all" },
      description:
        "Empties the table, only if it holds exactly `expectedCount` Things (checked in the same transaction; COUNT_MISMATCH otherwise).",
      args: { expectedCount: t.arg.int({ required: true }), dryRun: dryRun(), undoable: undoable() },
      // Emptying the table is what this field is for, whatever its size: the things:delete-all scope and the
      // expectedCount the caller must know bound it instead of MAX_DELETE_IDS. The rate limit counts expectedCount.
      extensions: deletesAllThings<{ expectedCount: number; dryRun: boolean }>(({ expectedCount, dryRun }) =>
        dryRun ? 0 : Math.max(0, expectedCount),
      ),
      resolve: async (_root, args, context, info) => {
        const expectedCount = requireRowCount(args.expectedCount, "expectedCount");
        const options = {
          dryRun: args.dryRun,
          wantIds: selectsAny(info, ID_FIELDS),
          subject: subjectOf(context),
          trash: trashMoveFor(context, args),
        };
        const outcome = await context.deletes.all(expectedCount, options).catch(throwAsClientError);
        return publishDeleted(context, "deleteAllThings", [], outcome);
      },
    }),
  };
});

/**
 * An empty filter would mean "everything": that is deleteAllThings' job, so it is refused here, and so is an empty
 * textContains, which matches every Thing. Fields are checked as ThingFilter's are (parseFilterFields), so a
 * filter can only match what it says.
 */
function parseFilter(where: ThingFilterArgs, limits: Pick<AppContext, "maxTextLength">): ThingFilter {
  if (where.textContains === "") {
    throw badUserInput("where.textContains must not be empty: it would match every Thing", {
      argumentName: "where.textContains",
    });
  }
  const filter = parseFilterFields(where, "where", limits.maxTextLength);
  if (Object.keys(filter).length === 0) {
    throw badUserInput("where needs at least one of textContains, textEquals, idIn", { argumentName: "where" });
  }
  return filter;
}
