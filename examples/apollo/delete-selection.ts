// "Select many, press delete" from the client: one deleteThings call, then the cache is corrected from the payload
// so every list and count on screen updates without a refetch.
import type { ApolloClient } from "@apollo/client";
import { evictDeletedThings } from "./evict-deleted-things.ts";
import {
  DeleteSelectionAndRefetchDocument,
  DeleteSelectionDocument,
  type DeletedThingsFragment,
} from "./gql/graphql.ts";

export interface DeleteSelectionOptions {
  /**
   * True when this client also runs `evictOnThingsDeleted`: the event for this delete will correct the counts, so
   * the payload must not do it a second time. The deleted Things are evicted at once either way.
   */
  subscribed?: boolean;
}

/**
 * Deletes the selected Things. Resolves with the payload, so the caller can tell the user about `notFoundIds`
 * (already deleted by someone else; not an error). Rejects on a GraphQL error (e.g. TOO_MANY_IDS).
 */
export async function deleteSelection(
  client: ApolloClient,
  ids: readonly string[],
  { subscribed = false }: DeleteSelectionOptions = {},
): Promise<DeletedThingsFragment> {
  const { data } = await client.mutate({
    mutation: DeleteSelectionDocument,
    variables: { ids: [...ids] },
    update: (cache, { data }) => {
      if (data) evictDeletedThings(cache, data.deleteThings, { adjustCounts: !subscribed });
    },
  });
  if (!data) throw new Error("deleteThings returned no data");
  return data.deleteThings;
}

/**
 * The alternative to evicting: select the list again through the payload's `query` field. The server answers with
 * the fresh count and first page in the same response, Apollo writes them over the cached ones (an object of type
 * Query is stored as ROOT_QUERY), and watched lists update: no eviction code, no second round trip; but the
 * response carries the whole page, and only the pages selected here are refreshed. (Apollo's `refetchQueries`
 * would do the same with one more request per query.)
 */
export async function deleteSelectionAndRefetch(
  client: ApolloClient,
  ids: readonly string[],
  first: number,
): Promise<DeletedThingsFragment> {
  const { data } = await client.mutate({
    mutation: DeleteSelectionAndRefetchDocument,
    variables: { ids: [...ids], first },
  });
  if (!data) throw new Error("deleteThings returned no data");
  return data.deleteThings;
}
