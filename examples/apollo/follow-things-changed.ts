// Live updates: every committed change on the server, by any client, arrives as one thingsChanged event over SSE
// and is applied to this client's cache, so open lists follow other people's deletes, undos and creates.
import type { ApolloClient } from "@apollo/client";
import type { Subscription } from "rxjs";
import { evictThingLists, evictThingsDeletedEvent, type ThingsChangedEvent } from "./evict-deleted-things.ts";
import { readCachedThing } from "./cache.ts";
import { ThingsByIdsDocument, ThingsChangedEventsDocument, type ThingFieldsFragment } from "./gql/graphql.ts";
import { restoreThingsInCache } from "./restore-things-in-cache.ts";

/** The `first` of ThingsByIds: the most Things one event may bring back by id; beyond, the lists are refetched. */
const THINGS_BY_IDS_MAX = 50;

export interface FollowThingsChangedOptions {
  /** Called after each event has been applied to the cache. */
  onEvent?: (event: ThingsChangedEvent) => void;
  onError?: (error: unknown) => void;
}

/** Subscribes to thingsChanged; `unsubscribe()` on the result ends the subscription and its HTTP request. */
export function followThingsChanged(
  client: ApolloClient,
  { onEvent, onError }: FollowThingsChangedOptions = {},
): Subscription {
  // One event at a time, in the server's order: a RESTORED event waits for its Things to be fetched, and a TRASHED
  // event for the same Things right behind it must not be applied before it.
  let applied = Promise.resolve();
  return client.subscribe({ query: ThingsChangedEventsDocument }).subscribe({
    next: ({ data, error }) => {
      if (error) onError?.(error);
      if (!data) return;
      const event = data.thingsChanged;
      applied = applied.then(() => applyThingsChangedEvent(client, event)).then(() => onEvent?.(event), onError);
    },
    error: (error: unknown) => onError?.(error),
  });
}

/** Applies one thingsChanged event to the client's cache. */
export async function applyThingsChangedEvent(client: ApolloClient, event: ThingsChangedEvent): Promise<void> {
  switch (event.kind) {
    case "DELETED":
    case "TRASHED":
      return evictThingsDeletedEvent(client.cache, event);
    case "CREATED":
    case "RESTORED":
      return insertLiveThings(client, event);
    case "PURGED":
      // The rows left the trash, which no live list or count includes.
      return;
  }
}

// An event carries ids, not texts, and a list's filter may need the text to say whether a Thing belongs in it.
async function insertLiveThings(client: ApolloClient, event: ThingsChangedEvent): Promise<void> {
  if (event.truncated || event.ids.length > THINGS_BY_IDS_MAX) return evictThingLists(client.cache);
  const cached = event.ids.flatMap((id) => readCachedThing(client.cache, id) ?? []);
  // This client's own undo has already put its Things back (leaving the counts to this event): no request for them.
  const missing = event.ids.filter((id) => !cached.some((thing) => thing.id === id));
  const things: ThingFieldsFragment[] = [...cached, ...(missing.length > 0 ? await fetchThings(client, missing) : [])];
  // A Thing deleted again before the fetch: its delete event is next in line, and would subtract a Thing this one
  // never added. The lists are refetched instead.
  if (things.length < event.ids.length) return evictThingLists(client.cache);
  restoreThingsInCache(client.cache, things);
}

async function fetchThings(client: ApolloClient, ids: string[]): Promise<ThingFieldsFragment[]> {
  // no-cache: stored, this page (`things(filter: { idIn })`) would be one more cached list, already holding the
  // Things that restoreThingsInCache is about to add to every matching list and count.
  const { data } = await client.query({ query: ThingsByIdsDocument, variables: { ids }, fetchPolicy: "no-cache" });
  return data?.things.edges.map((edge) => edge.node) ?? [];
}
