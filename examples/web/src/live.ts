// Live updates: ONE thingsChanged subscription per tab (over SSE) keeps the cached inbox and trash true when
// anyone, in this tab or another, creates, deletes, trashes, restores or purges Things.
import type { ApolloCache, ApolloClient } from "@apollo/client";
import { useEffect } from "react";
import { evictThingsDeletedEvent, setCounts } from "../../apollo/evict-deleted-things.ts";
import { InboxThingFragmentDoc, ThingsChangedDocument, type ThingsChangedSubscription } from "../gql/graphql.ts";
import type { LiveStatus } from "./client.ts";

export type ThingsChangedEvent = ThingsChangedSubscription["thingsChanged"];

/** Evicting a root field makes every watched query that reads it fetch it again. */
function refetch(cache: ApolloCache, fieldNames: readonly string[]): void {
  for (const fieldName of fieldNames) cache.evict({ id: "ROOT_QUERY", fieldName });
  cache.gc();
}

/** Whether this cache holds the Thing (an undo in this tab writes the rows back before the event arrives). */
export function isCached(cache: ApolloCache, id: string): boolean {
  const cacheId = cache.identify({ __typename: "Thing", id });
  return cacheId !== undefined && cache.readFragment({ id: cacheId, fragment: InboxThingFragmentDoc }) !== null;
}

export function applyThingsChanged(cache: ApolloCache, event: ThingsChangedEvent): void {
  switch (event.kind) {
    case "DELETED":
    case "TRASHED":
      // The inbox's rule for deletes is examples/apollo's: evict the ids, or refetch when the event has none.
      evictThingsDeletedEvent(cache, event);
      if (event.kind === "TRASHED") refetch(cache, ["trash"]);
      break;
    case "RESTORED":
      refetch(cache, ["trash"]);
      // Rows already back in place (this tab's Undo) only change the counts; unknown ones need the list again.
      if (!event.truncated && event.ids.every((id) => isCached(cache, id))) {
        setCounts(cache, (count) => count + event.count);
      } else {
        refetch(cache, ["things", "thingCount"]);
      }
      break;
    case "CREATED":
      // New Things go on top of a newest-first list: its first page has to be read again.
      refetch(cache, ["things", "thingCount"]);
      break;
    case "PURGED":
      refetch(cache, ["trash"]);
      break;
  }
}

/** Subscribes for as long as the component using it is mounted; reports whether the stream is open. */
export function useLiveUpdates(client: ApolloClient, onStatus: (status: LiveStatus) => void): void {
  useEffect(() => {
    const subscription = client.subscribe({ query: ThingsChangedDocument }).subscribe({
      next: ({ data, error }) => {
        // SUBSCRIBER_TOO_SLOW and the like: events were missed, so nothing cached can be trusted.
        if (error) refetch(client.cache, ["things", "thingCount", "trash"]);
        if (data) applyThingsChanged(client.cache, data.thingsChanged);
      },
      error: () => onStatus("offline"),
      complete: () => onStatus("offline"),
    });
    return () => subscription.unsubscribe();
  }, [client, onStatus]);
}
