// Live updates: every delete on the server, by any client, arrives as a thingsDeleted event over SSE and is
// evicted from this client's cache, so open lists shrink as other people delete.
import type { ApolloClient } from "@apollo/client";
import type { Subscription } from "rxjs";
import { evictThingsDeletedEvent, type ThingsDeletedEvent } from "./evict-deleted-things.ts";
import { ThingsDeletedEventsDocument } from "./gql/graphql.ts";

export interface EvictOnThingsDeletedOptions {
  /** Called after each event has been applied to the cache. */
  onEvent?: (event: ThingsDeletedEvent) => void;
  onError?: (error: unknown) => void;
}

/** Subscribes to thingsDeleted; `unsubscribe()` on the result ends the subscription and its HTTP request. */
export function evictOnThingsDeleted(
  client: ApolloClient,
  { onEvent, onError }: EvictOnThingsDeletedOptions = {},
): Subscription {
  return client.subscribe({ query: ThingsDeletedEventsDocument }).subscribe({
    next: ({ data, error }) => {
      if (error) onError?.(error);
      if (!data) return;
      evictThingsDeletedEvent(client.cache, data.thingsDeleted);
      onEvent?.(data.thingsDeleted);
    },
    error: (error: unknown) => onError?.(error),
  });
}
