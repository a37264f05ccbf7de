// Keeps the Apollo cache true after a delete, without a refetch: evict the deleted Things, correct the counts,
// and garbage-collect. Works for a delete mutation's payload and for a thingsChanged DELETED or TRASHED event.
import type { ApolloCache } from "@apollo/client";
import { isReference } from "@apollo/client/utilities";
import { matchesFilter, readCachedThing, thingsFieldArgs, type StoredThingsConnection } from "./cache.ts";
import type { DeletedThingsFragment, ThingFilter, ThingsChangedEventsSubscription } from "./gql/graphql.ts";

export type ThingsChangedEvent = ThingsChangedEventsSubscription["thingsChanged"];

export interface EvictOptions {
  /**
   * Subtract the removed rows from `thingCount` and every cached `things.totalCount` (default true). A client that
   * also follows thingsChanged hears about its own deletes twice, from the payload and from the event; it must
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
  const counts =
    adjustCounts && payload.deletedCount > 0 ? subtract(cache, payload.deletedIds, payload.deletedCount) : null;
  evict(cache, ids, counts);
}

/**
 * For each thingsChanged DELETED or TRASHED event: evicts its ids, or every Thing when deleteAllThings emptied the
 * table, or, when the event does not list the removed rows (`truncated`: too many, or not known), the cached lists
 * and counts, so that watched queries refetch them.
 */
export function evictThingsDeletedEvent(
  cache: ApolloCache,
  event: ThingsChangedEvent,
  { adjustCounts = true }: EvictOptions = {},
): void {
  if (event.allThings) {
    evict(cache, cachedThingIds(cache), adjustCounts ? () => 0 : null);
  } else if (event.truncated) {
    evictThingLists(cache);
  } else {
    const ids = event.ids.map((id) => thingCacheId(cache, id));
    evict(cache, ids, adjustCounts ? subtract(cache, event.ids, event.count) : null);
  }
}

/** Evicts every cached list and count, so that watched queries refetch them: for changes the client cannot apply. */
export function evictThingLists(cache: ApolloCache): void {
  evict(cache, [], null, ["things", "thingCount"]);
}

/** A count's new value, given its list's filter; undefined when it cannot be told (the entry is then evicted). */
type NextCount = (count: number, filter: ThingFilter | undefined) => number | undefined;

// An unfiltered count loses every removed row. A filtered one (`thingCount(filter)`, a search's `totalCount`) loses
// those its filter matches, which takes their texts: read before the eviction, from the cache. A removed row the
// cache never held may have matched, so then the filtered counts are refetched instead of guessed.
function subtract(cache: ApolloCache, removedIds: readonly string[], removed: number): NextCount {
  const known = removedIds.flatMap((id) => readCachedThing(cache, id) ?? []);
  const allKnown = known.length === removedIds.length;
  return (count, filter) => {
    if (!filter) return count - removed;
    return allKnown ? count - known.filter((thing) => matchesFilter(thing, filter)).length : undefined;
  };
}

function evict(
  cache: ApolloCache,
  cacheIds: readonly (string | undefined)[],
  nextCount: NextCount | null,
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

/**
 * Sets `thingCount` and every cached `things.totalCount` to `next(count, filter)`, never below 0; undefined evicts
 * that count, so it is refetched.
 */
export function setCounts(cache: ApolloCache, next: NextCount): void {
  cache.modify<{ thingCount: number; things: StoredThingsConnection }>({
    id: "ROOT_QUERY",
    fields: {
      thingCount: (count, { storeFieldName, DELETE }) => {
        const value = next(count, thingsFieldArgs(storeFieldName).filter);
        return value === undefined ? DELETE : Math.max(0, value);
      },
      // Called once per cached page (each `first`/`after`/`filter`/`orderBy` combination).
      things: (connection, { storeFieldName, DELETE }) => {
        if (isReference(connection) || typeof connection.totalCount !== "number") return connection;
        const value = next(connection.totalCount, thingsFieldArgs(storeFieldName).filter);
        return value === undefined ? DELETE : { ...connection, totalCount: Math.max(0, value) };
      },
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
