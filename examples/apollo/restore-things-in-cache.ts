// Keeps the Apollo cache true after an undo or a restore (and a create), without a refetch: writes the Things back
// and puts each into the cached lists it belongs to, where the list's order puts it, and corrects the counts.
import type { ApolloCache, Reference } from "@apollo/client";
import { isReference } from "@apollo/client/utilities";
import { matchesFilter, thingsFieldArgs, type StoredThingsConnection, type ThingsFieldArgs } from "./cache.ts";
import { ThingFieldsFragmentDoc, type ThingFieldsFragment } from "./gql/graphql.ts";

export interface RestoreOptions {
  /**
   * Add the Things to `thingCount` and `totalCount` where their filter matches (default true). As for deletes, a
   * client that also follows thingsChanged passes false for its own undo's payload: the RESTORED event counts it.
   */
  adjustCounts?: boolean;
}

/**
 * Puts Things that are live again (restored from the trash, or created) into the cache: each cached `things` first
 * page whose filter matches gets them in id order (ascending, or descending for ID_DESC), and keeps at most `first`
 * edges; a Thing sorting after a full page's last edge belongs to a later page and is left out. A page fetched with
 * a cursor (`after`, `before`) or with `last` cannot tell where its range starts, so when a Thing may belong in it,
 * it is evicted and a watched query refetches it. `things` must be Things not counted yet: pass each once.
 */
export function restoreThingsInCache(
  cache: ApolloCache,
  things: readonly ThingFieldsFragment[],
  { adjustCounts = true }: RestoreOptions = {},
): void {
  if (things.length === 0) return;
  cache.batch({
    update: (batch) => {
      const restored = things.flatMap((thing) => {
        const ref = batch.writeFragment({ fragment: ThingFieldsFragmentDoc, data: thing });
        return ref ? [{ thing, ref }] : [];
      });
      const matching = (args: ThingsFieldArgs) => restored.filter(({ thing }) => matchesFilter(thing, args.filter));
      batch.modify<{ thingCount: number; things: StoredThingsConnection }>({
        id: "ROOT_QUERY",
        fields: {
          thingCount: (count, { storeFieldName }) =>
            adjustCounts ? count + matching(thingsFieldArgs(storeFieldName)).length : count,
          things: (connection, { storeFieldName, canRead, readField, DELETE }) => {
            if (isReference(connection)) return connection;
            const args = thingsFieldArgs(storeFieldName);
            const belonging = matching(args);
            if (belonging.length === 0) return connection;
            const { first } = args;
            if (first === undefined || args.after !== undefined || args.before !== undefined) return DELETE;
            // Edges whose Thing was evicted are still stored (the read policy hides them); a restored Thing's edge
            // is readable again, so it is back in its old place and is not inserted twice.
            const edges = (connection.edges ?? []).filter((edge) => canRead(edge.node));
            // Fewer edges than asked for: the page reaches the end of the list, so a Thing after its last edge is in it.
            const reachesEnd = edges.length < first;
            const sign = args.orderBy === "ID_DESC" ? -1 : 1;
            const position = (node: Reference | undefined) => sign * Number(readField<string>("id", node));
            for (const { thing, ref } of belonging) {
              if (edges.some((edge) => edge.node?.__ref === ref.__ref)) continue;
              const at = edges.findIndex((edge) => position(edge.node) > sign * Number(thing.id));
              const edge = { __typename: "QueryThingsConnectionEdge", node: ref };
              if (at !== -1) edges.splice(at, 0, edge);
              else if (reachesEnd) edges.push(edge);
            }
            const totalCount =
              adjustCounts && typeof connection.totalCount === "number"
                ? connection.totalCount + belonging.length
                : connection.totalCount;
            return { ...connection, totalCount, edges: edges.slice(0, first) };
          },
        },
      });
    },
  });
}
