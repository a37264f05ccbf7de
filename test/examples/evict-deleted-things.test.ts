// evictDeletedThings on a cache alone (no server): the cases a live server rarely produces.
import { describe, expect, it } from "vitest";
import { createThingsCache } from "../../examples/apollo/cache.ts";
import { evictDeletedThings } from "../../examples/apollo/evict-deleted-things.ts";
import { ThingsListDocument } from "../../examples/apollo/gql/graphql.ts";

function cacheWith(ids: string[]) {
  const cache = createThingsCache();
  // Written as the server sends it, with __typename (Apollo needs it to normalise Things).
  const data = {
    __typename: "Query" as const,
    thingCount: ids.length,
    things: {
      totalCount: ids.length,
      edges: ids.map((id) => ({
        node: { id, text: `text ${id}`, __typename: "Thing" },
        __typename: "QueryThingsConnectionEdge",
      })),
      __typename: "QueryThingsConnection",
    },
  };
  cache.writeQuery({ query: ThingsListDocument, variables: { first: 10 }, data });
  const read = () => cache.readQuery({ query: ThingsListDocument, variables: { first: 10 } });
  return { cache, read };
}

describe("evictDeletedThings", () => {
  it("leaves the cache untouched for a dry run, which deleted nothing", () => {
    const { cache, read } = cacheWith(["1", "2"]);
    const before = read();
    evictDeletedThings(cache, {
      __typename: "DeleteThingsPayload",
      deletedCount: 0,
      deletedIds: ["1"],
      notFoundIds: [],
      dryRun: true,
    });
    expect(read()).toEqual(before);
  });

  it("evicts stale notFoundIds without counting them as removed", () => {
    const { cache, read } = cacheWith(["1", "2", "3"]);
    evictDeletedThings(cache, {
      __typename: "DeleteThingsPayload",
      deletedCount: 1,
      deletedIds: ["1"],
      notFoundIds: ["2"],
      dryRun: false,
    });
    const after = read();
    expect(after?.things.edges.map((edge) => edge.node.id)).toEqual(["3"]);
    expect([after?.thingCount, after?.things.totalCount]).toEqual([2, 2]);
  });

  it("with adjustCounts: false evicts the Things but leaves the counts to the thingsDeleted events", () => {
    const { cache, read } = cacheWith(["1", "2"]);
    const payload = {
      __typename: "DeleteThingsPayload" as const,
      deletedCount: 1,
      deletedIds: ["1"],
      notFoundIds: [],
      dryRun: false,
    };
    evictDeletedThings(cache, payload, { adjustCounts: false });
    expect(read()).toMatchObject({ thingCount: 2, things: { totalCount: 2, edges: [{ node: { id: "2" } }] } });
  });
});
