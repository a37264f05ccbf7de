// restoreThingsInCache and the filtered counts of evictDeletedThings on a cache alone (no server): the pages and
// filters a live test does not reach.
import { gql, type TypedDocumentNode } from "@apollo/client";
import { describe, expect, it } from "vitest";
import { createThingsCache } from "../../examples/apollo/cache.ts";
import { evictDeletedThings } from "../../examples/apollo/evict-deleted-things.ts";
import { ThingsListDocument, type ThingsListQueryVariables } from "../../examples/apollo/gql/graphql.ts";
import { restoreThingsInCache } from "../../examples/apollo/restore-things-in-cache.ts";

const cache = () => createThingsCache();

// A second page, which the example's operations do not fetch.
const NextPageDocument: TypedDocumentNode<unknown, { after: string }> = gql`
  query NextPage($after: String!) {
    things(first: 2, after: $after) {
      totalCount
      edges {
        node {
          id
          text
        }
      }
    }
  }
`;

/** Writes a list as the server sends it, with __typename (Apollo needs it to normalise Things). */
function writeList(
  target: ReturnType<typeof cache>,
  variables: ThingsListQueryVariables,
  ids: string[],
  thingCount: number,
) {
  const data = {
    __typename: "Query" as const,
    thingCount,
    things: {
      totalCount: thingCount,
      edges: ids.map((id) => ({
        node: { id, text: `text ${id}`, __typename: "Thing" },
        __typename: "QueryThingsConnectionEdge",
      })),
      __typename: "QueryThingsConnection",
    },
  };
  target.writeQuery({ query: ThingsListDocument, variables, data });
  return () => target.readQuery({ query: ThingsListDocument, variables });
}

describe("restoreThingsInCache", () => {
  it("shares one entry for equal lists: no filter, an empty one, and the default order", () => {
    const target = cache();
    writeList(target, { first: 10 }, ["1", "2"], 2);
    const same = target.readQuery({
      query: ThingsListDocument,
      variables: { first: 10, filter: { textContains: "" }, orderBy: "ID_ASC" },
    });
    expect(same?.things.edges.map((edge) => edge.node.id)).toEqual(["1", "2"]);
  });

  it("leaves lists whose filter the Thing does not match, and their counts, untouched", () => {
    const target = cache();
    const read = writeList(target, { first: 10, filter: { textEquals: "text 1" } }, ["1"], 1);
    restoreThingsInCache(target, [{ __typename: "Thing", id: "2", text: "text 2" }]);
    expect(read()).toMatchObject({ thingCount: 1, things: { totalCount: 1, edges: [{ node: { id: "1" } }] } });
  });

  it("evicts a page fetched with a cursor, whose first row it cannot place a restored Thing before", () => {
    const target = cache();
    const variables = { after: "cursor" };
    const edges = ["5", "6"].map((id) => ({
      node: { id, text: `text ${id}`, __typename: "Thing" },
      __typename: "QueryThingsConnectionEdge",
    }));
    const data = { things: { totalCount: 6, edges, __typename: "QueryThingsConnection" } };
    target.writeQuery({ query: NextPageDocument, variables, data });
    restoreThingsInCache(target, [{ __typename: "Thing", id: "4", text: "text 4" }]);
    expect(target.readQuery({ query: NextPageDocument, variables })).toBeNull();
  });
});

describe("evictDeletedThings with filtered lists", () => {
  it("subtracts from a filtered count only the removed Things its filter matches", () => {
    const target = cache();
    writeList(target, { first: 10 }, ["1", "2", "3"], 3);
    const read = writeList(target, { first: 10, filter: { textContains: "text 1" } }, ["1"], 1);
    evictDeletedThings(target, {
      __typename: "DeleteThingsPayload",
      deletedCount: 2,
      deletedIds: ["2", "3"],
      notFoundIds: [],
      dryRun: false,
    });
    expect(read()).toMatchObject({ thingCount: 1, things: { totalCount: 1 } });
  });

  it("evicts a filtered count when a removed Thing was never cached, since it may have matched", () => {
    const target = cache();
    const read = writeList(target, { first: 10, filter: { textContains: "text" } }, ["1"], 5);
    evictDeletedThings(target, {
      __typename: "DeleteThingsPayload",
      deletedCount: 1,
      deletedIds: ["9"],
      notFoundIds: [],
      dryRun: false,
    });
    expect(read()).toBeNull();
  });
});
