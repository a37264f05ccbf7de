// "3 Things deleted · Undo": an undoable deleteThings corrects the cache as a permanent delete does, and keeps
// what the Undo button needs; undoDeletion puts the Things back into the cached lists from what was kept.
import type { ApolloClient } from "@apollo/client";
import { readCachedThing } from "./cache.ts";
import { evictDeletedThings, evictThingLists } from "./evict-deleted-things.ts";
import {
  DeleteSelectionUndoableDocument,
  UndoDeletionDocument,
  type DeletedThingsFragment,
  type DeleteSelectionUndoableMutation,
  type ThingFieldsFragment,
  type UndoDeletionMutation,
} from "./gql/graphql.ts";
import type { DeleteSelectionOptions } from "./delete-selection.ts";
import { restoreThingsInCache } from "./restore-things-in-cache.ts";

type Deletion = NonNullable<DeleteSelectionUndoableMutation["deleteThings"]["deletion"]>;

/** What the Undo button holds: the deletion to pass to undoDelete, and the deleted Things as the cache had them. */
export interface UndoableDeletion extends Deletion {
  things: ThingFieldsFragment[];
}

export interface UndoableDeleteResult extends DeletedThingsFragment {
  /** null when nothing moved to the trash (every id was already gone): there is nothing to undo. */
  undo: UndoableDeletion | null;
}

/**
 * Moves the selected Things to the trash (`undoable: true`) and evicts them, exactly as deleteSelection does.
 * Before evicting, it keeps their ids and texts: RestoreThingsPayload lists restored ids only, and a restore brings
 * rows back with the ids and texts they had, so what the cache held is what the lists must show again, and the undo
 * needs no second request. (Selecting `query { things(filter: { idIn }) }` on the undo would bring them from the
 * server instead, at the price of a page of Things in the response and one more cached list to keep apart.)
 */
export async function deleteSelectionUndoable(
  client: ApolloClient,
  ids: readonly string[],
  { subscribed = false }: DeleteSelectionOptions = {},
): Promise<UndoableDeleteResult> {
  let kept: ThingFieldsFragment[] = [];
  const { data } = await client.mutate({
    mutation: DeleteSelectionUndoableDocument,
    variables: { ids: [...ids] },
    update: (cache, { data }) => {
      if (!data) return;
      kept = data.deleteThings.deletedIds.flatMap((id) => readCachedThing(cache, id) ?? []);
      evictDeletedThings(cache, data.deleteThings, { adjustCounts: !subscribed });
    },
  });
  if (!data) throw new Error("deleteThings returned no data");
  const { deletion, ...payload } = data.deleteThings;
  return { ...payload, undo: deletion ? { ...deletion, things: kept } : null };
}

/**
 * Undoes a deleteSelectionUndoable: restores what is still in the trash and puts those Things back into the cached
 * lists and counts. Resolves with the payload (`notRestoredIds`: purged or restored meanwhile); rejects on
 * UNDO_EXPIRED, NOT_FOUND or FORBIDDEN, with nothing restored.
 */
export async function undoDeletion(
  client: ApolloClient,
  deletion: UndoableDeletion,
  { subscribed = false }: DeleteSelectionOptions = {},
): Promise<UndoDeletionMutation["undoDelete"]> {
  const { data } = await client.mutate({
    mutation: UndoDeletionDocument,
    variables: { deletionId: deletion.id },
    update: (cache, { data }) => {
      if (!data) return;
      const restoredIds = new Set(data.undoDelete.restoredIds);
      const restored = deletion.things.filter((thing) => restoredIds.has(thing.id));
      restoreThingsInCache(cache, restored, { adjustCounts: !subscribed });
      // Restored rows this client never had (deleted by id without being listed): their texts are unknown here,
      // and they may belong in a cached list, so the lists are refetched. A subscribed client's RESTORED event
      // fetches them instead.
      if (restored.length < restoredIds.size && !subscribed) evictThingLists(cache);
    },
  });
  if (!data) throw new Error("undoDelete returned no data");
  return data.undoDelete;
}
