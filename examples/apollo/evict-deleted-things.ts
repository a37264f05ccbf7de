// Keeps the Apollo cache true after a delete, without a refetch: evict the deleted Things, correct the counts,
// and garbage-collect. Works for a delete mutation's payload and for a thingsDeleted event.
import type { ApolloCache } from "@apollo/client";
import { isReference } from "@apollo/client/utilities";
import type { StoredThingsConnection } from "./cache.ts";
import type { DeletedThingsFragment, ThingsDeletedEventsSubscription } from "./gql/graphql.ts";

export type ThingsDeletedEvent = ThingsDeletedEventsSubscription["thingsDeleted"];

export interface EvictOptions {
  /**
   * Subtract the removed rows from `thingCount` and every cached `things.totalCount` (default true). A client that
   * also consumes thingsDeleted hears about its own deletes twice, from the payload and from the event; it must
   * count them once, so it passes `adjustCounts: false` for payloads and lets the events, which also cover other
   * clients' deletes, keep the counts.
   */
  adjustCounts?: boolean;
}

/** After deleteThings / deleteThingsWhere / deleteAllThings: evicts what the payload says is gone. */
export function evictDeletedThings(
  cache: ApolloCache,
  payload: DeletedThingsFragment,
  { adjustCounts = true }: EvictOptions = {},
): void {
  // A dry run deleted nothing.
  if (payload.dryRun) return;
  // notFoundIds do not exist on the server either: if the cache still holds one (deleted elsewhere, earlier), it
  // is stale, so it goes too. They were not removed by this call, so they do not change the counts.
  const ids = [...payload.deletedIds, ...payload.notFoundIds].map((id) => thingCacheId(cache, id));
  const removed = payload.deletedCount;
  evict(cache, ids, adjustCounts && removed > 0 ? (count) => count - removed : null);
}

/**
 * For each thingsDeleted event: evicts its ids, or every Thing when deleteAllThings emptied the table, or, when the
 * event does not list the removed rows (`truncated`: too many, or not known), the cached lists and counts, so that
 * watched queries refetch them.
 */
export function evictThingsDeletedEvent(
  cache: ApolloCache,
  event: ThingsDeletedEvent,
  { adjustCounts = true }: EvictOptions = {},
): void {
  if (event.allThings) {
    evict(cache, cachedThingIds(cache), adjustCounts ? () => 0 : null);
  } else if (event.truncated) {
    evict(cache, [], null, ["things", "thingCount"]);
  } else {
    const ids = event.ids.map((id) => thingCacheId(cache, id));
    evict(cache, ids, adjustCounts ? (count) => count - event.count : null);
  }
}

function evict(
  cache: ApolloCache,
  cacheIds: readonly (string | undefined)[],
  nextCount: ((count: number) => number) | null,
  rootFields: readonly string[] = [],
): void {
  // One batch: watchers see one consistent update, not one per evicted Thing.
  cache.batch({
    update: (batch) => {
      for (const id of cacheIds) if (id) batch.evict({ id });
      for (const fieldName of rootFields) batch.evict({ id: "ROOT_QUERY", fieldName });
      if (nextCount) setCounts(batch, nextCount);
    },
  });
  // Drops what only the deleted Things referenced.
  cache.gc();
}

/** Sets `thingCount` and every cached `things.totalCount` to `next(count)`, never below 0. */
export function setCounts(cache: ApolloCache, next: (count: number) => number): void {
  const clamp = (count: number) => Math.max(0, next(count));
  cache.modify<{ thingCount: number; things: StoredThingsConnection }>({
    id: "ROOT_QUERY",
    fields: {
      thingCount: (count) => clamp(count),
      // Called once per cached page (each `first`/`after` combination); each holds the same total.
      things: (connection) =>
        !isReference(connection) && typeof connection.totalCount === "number"
          ? { ...connection, totalCount: clamp(connection.totalCount) }
          : connection,
    },
  });
}

function thingCacheId(cache: ApolloCache, id: string): string | undefined {
  return cache.identify({ __typename: "Thing", id });
}

/** Cache ids of every Thing held, e.g. "Thing:3" (the default cache id is `${__typename}:${id}`). */
function cachedThingIds(cache: ApolloCache): string[] {
  const snapshot = cache.extract();
  if (typeof snapshot !== "object" || snapshot === null) return [];
  return Object.keys(snapshot).filter((id) => id.startsWith("Thing:"));
}
