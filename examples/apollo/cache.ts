// The Apollo cache for this API. The policies that matter: a deleted Thing must disappear from every cached list
// without a refetch, and a restored one must be put back where it belongs, which needs each list's arguments.
import { InMemoryCache, type ApolloCache, type FieldPolicy, type Reference } from "@apollo/client";
import type { KeyArgsFunction } from "@apollo/client/cache";
import { relayStylePagination } from "@apollo/client/utilities";
import { ThingFieldsFragmentDoc, type ThingFieldsFragment, type ThingFilter, type ThingOrder } from "./gql/graphql.ts";

/** Query.things as Apollo stores it: the connection is not normalised, its edges hold references to Things. */
export interface StoredThingsConnection {
  totalCount?: number;
  edges?: readonly { node?: Reference }[];
}

/** The arguments a cached `things` page or `thingCount` was fetched with, normalised (see `keyArgs`). */
export interface ThingsFieldArgs {
  filter?: ThingFilter;
  orderBy?: ThingOrder;
  first?: number;
  last?: number;
  after?: string;
  before?: string;
}

// Apollo's default store key for a field with arguments is `things({"first":10,...})`, but a cache.modify
// modifier is given only that string, never the arguments. restoreThingsInCache must know each page's filter
// (does the restored Thing belong in it?) and order (where?), so the key is ours: `things:` followed by the
// arguments as JSON, which thingsFieldArgs reads back. Normalising also lets equal lists share one entry: no
// filter, `{}` and `textContains: ""` match every Thing, and ID_ASC is the default order (docs/api.md).
const keyArgs: KeyArgsFunction = (args) => {
  const normalised = normaliseArgs(args ?? {});
  return Object.keys(normalised).length === 0 ? false : JSON.stringify(normalised);
};

function normaliseArgs(args: Record<string, unknown>): ThingsFieldArgs {
  const filter = normaliseFilter(args.filter as ThingFilter | null | undefined);
  const { first, last, after, before } = args as ThingsFieldArgs;
  const orderBy = args.orderBy === "ID_DESC" ? "ID_DESC" : undefined;
  const normalised: ThingsFieldArgs = { filter, orderBy, first, last, after, before };
  return Object.fromEntries(Object.entries(normalised).filter(([, value]) => value !== undefined && value !== null));
}

function normaliseFilter(filter: ThingFilter | null | undefined): ThingFilter | undefined {
  if (!filter) return undefined;
  const { idIn, textEquals } = filter;
  const textContains = filter.textContains === "" ? undefined : filter.textContains;
  const fields = Object.entries({ idIn, textContains, textEquals }).filter(([, value]) => value != null);
  return fields.length === 0 ? undefined : Object.fromEntries(fields);
}

/** The arguments of a cached `things` or `thingCount` entry, from the store field name `keyArgs` made. */
export function thingsFieldArgs(storeFieldName: string): ThingsFieldArgs {
  const colon = storeFieldName.indexOf(":");
  return colon === -1 ? {} : (JSON.parse(storeFieldName.slice(colon + 1)) as ThingsFieldArgs);
}

/** Whether the server's `filter` matches this Thing: the same rules as src/db/thing-filter.ts, on the client. */
export function matchesFilter(thing: ThingFieldsFragment, filter: ThingFilter | undefined): boolean {
  if (!filter) return true;
  const { idIn, textContains, textEquals } = filter;
  return (
    (idIn == null || idIn.some((id) => Number(id) === Number(thing.id))) &&
    (textContains == null || thing.text.includes(textContains)) &&
    (textEquals == null || thing.text === textEquals)
  );
}

/** The Thing's id and text if the cache holds them, else null. */
export function readCachedThing(cache: ApolloCache, id: string): ThingFieldsFragment | null {
  return cache.readFragment({ id: cache.identify({ __typename: "Thing", id }), fragment: ThingFieldsFragmentDoc });
}

// Evicting Thing:5 leaves a dangling reference in every cached `things` page. Apollo drops dangling references
// from lists of references by itself, but here the reference sits one level down, in a non-null `edge.node`: left
// alone, reading the page would find `node` missing, the query would be incomplete and Apollo would refetch it.
// Dropping those edges on read makes a watched list emit the shorter list from the cache.
const things: FieldPolicy<StoredThingsConnection> = {
  keyArgs,
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
    ? { things: relayStylePagination(["filter", "orderBy"]), trash: relayStylePagination(), thingCount: { keyArgs } }
    : { things, thingCount: { keyArgs } };
  return new InMemoryCache({ typePolicies: { Query: { fields } } });
}
