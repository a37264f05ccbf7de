// The trash, as the API shows it: Deletion (one undoable delete call) and TrashedThing, the trash and deletions
// lists, and the mutations that take rows back (undoDelete, restoreThings) or remove them for good (purgeThings,
// emptyTrash). Each mutation is one transaction (src/db/trash.ts) and publishes one thingsChanged event after it
// commits. Everything here needs things:delete and shows the caller's own deletions only, unless the caller has
// things:restore-any; emptyTrash needs things:delete-all.
import { builder, QueryRoot } from "../builder.ts";
import type { AppContext } from "../context.ts";
import type { PurgeOutcome, RestoreOutcome, TrashViewer } from "../db/trash.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { throwAsClientError } from "./client-errors.ts";
import { BOUNDED_BY_SCOPE, deletesRows } from "./delete-budget.ts";
import { distinctIdCount, requireRowCount, subjectOf } from "./delete-things.ts";
import { isThingId, parseThingIds } from "./ids.ts";
import { CURSOR_VALUE_EXTENSION, isTimeAndIdCursor } from "./cursors.ts";
import { DeletionObject } from "./deletion.ts";
import { selectedIds, selectsAny } from "./selection.ts";
import { MAX_PAGE_SIZE, requirePageSize } from "./thing.ts";

builder.prismaObject("TrashedThing", {
  description: "A Thing in the trash, with the id and text it had (and gets back when restored).",
  fields: (t) => ({
    id: t.exposeID("id"),
    text: t.exposeString("text"),
    deletion: t.relation("deletion"),
  }),
});

const RESTORE_ID_FIELDS = ["restoredIds", "notRestoredIds"] as const;
const PURGE_ID_FIELDS = ["purgedIds", "notPurgedIds"] as const;

const RestoreThingsPayload = builder.objectRef<RestoreOutcome>("RestoreThingsPayload").implement({
  description: "What a restore (undoDelete, restoreThings) brought back from the trash.",
  fields: (t) => ({
    restoredCount: t.exposeInt("restoredCount", { description: "Rows now live again." }),
    restoredIds: t.idList({
      description: "Exactly the rows this call restored, ascending, with the ids and texts they had.",
      resolve: (outcome) => selectedIds(outcome.restoredIds, "restoredIds"),
    }),
    notRestoredIds: t.idList({
      description:
        "Asked-for ids (undoDelete: the deletion's ids) not restored: unknown, no longer in the trash, expired, or another subject's.",
      resolve: (outcome) => selectedIds(outcome.notRestoredIds, "notRestoredIds"),
    }),
    query: t.field({
      type: QueryRoot,
      description: "The Query root, to refetch in the same round trip.",
      resolve: () => ({}),
    }),
  }),
});

const PurgeThingsPayload = builder.objectRef<PurgeOutcome>("PurgeThingsPayload").implement({
  description: "What a purge (purgeThings, emptyTrash) removed from the trash for good, or would in a dry run.",
  fields: (t) => ({
    purgedCount: t.exposeInt("purgedCount", { description: "Rows removed for good (0 for a dry run)." }),
    purgedIds: t.idList({
      description: "Exactly the rows this call purged (in a dry run: would purge), ascending.",
      resolve: (outcome) => selectedIds(outcome.purgedIds, "purgedIds"),
    }),
    notPurgedIds: t.idList({
      description: "Asked-for ids not purged: not in the trash, or another subject's (purgeThings; [] for emptyTrash).",
      resolve: (outcome) => selectedIds(outcome.notPurgedIds, "notPurgedIds"),
    }),
    dryRun: t.exposeBoolean("dryRun"),
    query: t.field({
      type: QueryRoot,
      description: "The Query root, to refetch in the same round trip.",
      resolve: () => ({}),
    }),
  }),
});

function viewerOf(context: AppContext): TrashViewer {
  return { subject: subjectOf(context), anySubject: context.auth?.scopes.has("things:restore-any") ?? false };
}

/** The Deletions the caller may see: their own, or everyone's with things:restore-any. */
function visibleDeletions(context: AppContext): Prisma.DeletionWhereInput {
  const { subject, anySubject } = viewerOf(context);
  return anySubject ? {} : { deletedBy: subject };
}

/** A cursor of the deletions list: [deletedAt, id]. */
const isDeletionCursor = isTimeAndIdCursor((id) => typeof id === "string" && id.length <= 64);

/**
 * The trash list's order, newest deletion first: deletion ids are UUIDv7 (src/db/uuid-v7.ts), which sort by time,
 * so the one index on (deletionId, id) serves it, and the Thing id (unique) is the cursor.
 */
const NEWEST_DELETION_FIRST = [{ deletionId: "desc" }, { id: "desc" }] as const;

builder.queryFields((t) => ({
  trash: t.prismaConnection({
    type: "TrashedThing",
    authScopes: { scope: "things:delete" },
    cursor: "id",
    maxSize: MAX_PAGE_SIZE,
    extensions: { [CURSOR_VALUE_EXTENSION]: isThingId },
    description: `The caller's trash (everyone's with things:restore-any), newest deletion first; \`first\`/\`last\` at most ${MAX_PAGE_SIZE}.`,
    resolve: (query, _root, args, context) => {
      requirePageSize(args);
      return context.prisma.trashedThing.findMany({
        ...query,
        where: { deletion: visibleDeletions(context) },
        orderBy: [...NEWEST_DELETION_FIRST],
      });
    },
    totalCount: (_root, _args, context) =>
      context.prisma.trashedThing.count({ where: { deletion: visibleDeletions(context) } }),
  }),
  deletions: t.prismaConnection({
    type: "Deletion",
    authScopes: { scope: "things:delete" },
    cursor: "deletedAt_id",
    maxSize: MAX_PAGE_SIZE,
    extensions: { [CURSOR_VALUE_EXTENSION]: isDeletionCursor },
    description: `The caller's undoable deletions (everyone's with things:restore-any), newest first, including those fully restored or purged, until the purge drops them.`,
    resolve: (query, _root, args, context) => {
      requirePageSize(args);
      return context.prisma.deletion.findMany({
        ...query,
        where: visibleDeletions(context),
        orderBy: [{ deletedAt: "desc" }, { id: "desc" }],
      });
    },
    totalCount: (_root, _args, context) => context.prisma.deletion.count({ where: visibleDeletions(context) }),
  }),
  deletion: t.prismaField({
    type: DeletionObject,
    nullable: true,
    authScopes: { scope: "things:delete" },
    description: "The deletion with this id, or null when there is none the caller may see.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.prisma.deletion.findFirst({ ...query, where: { ...visibleDeletions(context), id: String(args.id) } }),
  }),
}));

/**
 * One RESTORED event after a restore that brought something back (the bus publishes nothing for a count of 0),
 * and the rows counted.
 */
function publishRestored(
  context: AppContext,
  operation: "undoDelete" | "restoreThings",
  outcome: RestoreOutcome,
): RestoreOutcome {
  context.events.publish({
    kind: "RESTORED",
    ids: outcome.restoredIds,
    count: outcome.restoredCount,
    allThings: false,
  });
  context.metrics.rowsChanged(operation, "restored", outcome.restoredCount);
  return outcome;
}

/** One PURGED event after a purge that removed something, and the rows counted; `requestedIds` as for deletes. */
function publishPurged(
  context: AppContext,
  operation: "purgeThings" | "emptyTrash",
  requestedIds: readonly number[],
  outcome: PurgeOutcome,
): PurgeOutcome {
  if (outcome.dryRun) return outcome;
  context.events.publish({
    kind: "PURGED",
    ids: outcome.purgedIds,
    requestedIds,
    count: outcome.purgedCount,
    allThings: outcome.allThings,
  });
  context.metrics.rowsChanged(operation, "purged", outcome.purgedCount);
  return outcome;
}

builder.mutationFields((t) => ({
  undoDelete: t.field({
    type: RestoreThingsPayload,
    authScopes: { scope: "things:delete" },
    description:
      "Restores the rows of this deletion still in the trash, with their ids and texts, atomically. Another subject's deletion is FORBIDDEN without things:restore-any; an unknown id is NOT_FOUND; past restorableUntil, UNDO_EXPIRED.",
    args: { deletionId: t.arg.id({ required: true }) },
    // At most the deletion's count, which its own delete call was bounded by when it ran.
    extensions: deletesRows(() => BOUNDED_BY_SCOPE),
    resolve: async (_root, args, context, info) => {
      const wantIds = selectsAny(info, RESTORE_ID_FIELDS);
      const outcome = await context.trash
        .undo(String(args.deletionId), viewerOf(context), wantIds)
        .catch(throwAsClientError);
      return publishRestored(context, "undoDelete", outcome);
    },
  }),
  restoreThings: t.field({
    type: RestoreThingsPayload,
    authScopes: { scope: "things:delete" },
    description:
      "Restores these trashed Things, from any deletion, atomically. Ids that are not restorable go to notRestoredIds, not an error.",
    args: { ids: t.arg.idList({ required: true }) },
    extensions: deletesRows<{ ids: readonly string[] }>(({ ids }, exact) => distinctIdCount(ids, exact)),
    resolve: async (_root, args, context, info) => {
      const ids = parseThingIds(args.ids, "ids");
      const outcome = await context.trash.restore(ids, viewerOf(context), selectsAny(info, RESTORE_ID_FIELDS));
      return publishRestored(context, "restoreThings", outcome);
    },
  }),
  purgeThings: t.field({
    type: PurgeThingsPayload,
    authScopes: { scope: "things:delete" },
    description:
      '"Delete forever": removes these trashed Things for good in ONE DELETE. Ids not in the caller\'s trash go to notPurgedIds.',
    args: {
      ids: t.arg.idList({ required: true }),
      dryRun: t.arg.boolean({
        required: true,
        defaultValue: false,
        description: "Report what would be purged, purge nothing.",
      }),
    },
    extensions: deletesRows<{ ids: readonly string[]; dryRun: boolean }>(({ ids, dryRun }, exact) =>
      dryRun ? 0 : distinctIdCount(ids, exact),
    ),
    resolve: async (_root, args, context, info) => {
      const ids = parseThingIds(args.ids, "ids");
      const options = { dryRun: args.dryRun, wantIds: selectsAny(info, PURGE_ID_FIELDS) };
      const outcome = await context.trash.purge(ids, viewerOf(context), options);
      return publishPurged(context, "purgeThings", ids, outcome);
    },
  }),
  emptyTrash: t.field({
    type: PurgeThingsPayload,
    authScopes: { scope: "things:delete-all" },
    description:
      "Empties everyone's trash for good, only if it holds exactly `expectedCount` Things (COUNT_MISMATCH otherwise).",
    args: {
      expectedCount: t.arg.int({ required: true }),
      dryRun: t.arg.boolean({
        required: true,
        defaultValue: false,
        description: "Report what would be purged, purge nothing.",
      }),
    },
    // Like deleteAllThings: the things:delete-all scope and the count the caller must know bound it.
    extensions: deletesRows(() => BOUNDED_BY_SCOPE),
    resolve: async (_root, args, context, info) => {
      const expectedCount = requireRowCount(args.expectedCount, "expectedCount");
      const options = { dryRun: args.dryRun, wantIds: selectsAny(info, PURGE_ID_FIELDS), subject: subjectOf(context) };
      const outcome = await context.trash.empty(expectedCount, options).catch(throwAsClientError);
      return publishPurged(context, "emptyTrash", [], outcome);
    },
  }),
}));
