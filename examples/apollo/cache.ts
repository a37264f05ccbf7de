// The Apollo cache for this API. The one policy that matters: a deleted Thing must disappear from every cached
// list without a refetch.
import { InMemoryCache, type FieldPolicy, type Reference } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";

/** Query.things as Apollo stores it: the connection is not normalised, its edges hold references to Things. */
export interface StoredThingsConnection {
  totalCount?: number;
  edges?: readonly { node?: Reference }[];
}

// Evicting Thing:5 leaves a dangling reference in every cached `things` page. Apollo drops dangling references
// from lists of references by itself, but here the reference sits one level down, in a non-null `edge.node`: left
// alone, reading the page would find `node` missing, the query would be incomplete and Apollo would refetch it.
// Dropping those edges on read makes a watched list emit the shorter list from the cache.
const things: FieldPolicy<StoredThingsConnection> = {
  read(connection, { canRead }) {
    if (!connection?.edges) return connection;
    return { ...connection, edges: connection.edges.filter((edge) => canRead(edge.node)) };
  },
};

export interface ThingsCacheOptions {
  /**
   * Merge the pages of `things` (one list per filter and order) and of `trash` that a client fetches with `after`
   * into one list, for "Load more" (examples/web). Apollo's relayStylePagination also drops edges whose node was
   * evicted, as the policy above does.
   */
  pages?: boolean;
}

export function createThingsCache({ pages = false }: ThingsCacheOptions = {}): InMemoryCache {
  const fields: Record<string, FieldPolicy> = pages
    ? { things: relayStylePagination(["filter", "orderBy"]), trash: relayStylePagination() }
    : { things };
  return new InMemoryCache({ typePolicies: { Query: { fields } } });
}
