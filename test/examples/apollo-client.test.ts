// The Apollo example against a real server that runs trusted documents only, with a token without
// things:any-document, as a deployed client has: deleting a selection corrects the cache from the payload, so a
// watched list shrinks with no refetch, and every request names its document by hash.
import type { ApolloClient } from "@apollo/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createThingsClient } from "../../examples/apollo/client.ts";
import { deleteSelection, deleteSelectionAndRefetch } from "../../examples/apollo/delete-selection.ts";
import { ThingsListDocument } from "../../examples/apollo/gql/graphql.ts";
import { startHttpServer, TRUSTED_CLIENT_API_KEY, type HttpTestServer } from "../support/server.ts";
import { watchList, type WatchedList } from "./watch-list.ts";

let server: HttpTestServer;
let client: ApolloClient;
/** The operationName of every request, and whether any carried a document instead of a hash. */
let requests: string[];
let sentDocuments: number;
let list: WatchedList;
let ids: string[];

beforeEach(async () => {
  server = await startHttpServer({ env: { TRUSTED_DOCUMENTS_ONLY: "true" } });
  ids = (await server.seed(["a", "b", "c", "d", "e"])).map(String);
  requests = [];
  sentDocuments = 0;
  client = createThingsClient({
    url: server.url,
    token: TRUSTED_CLIENT_API_KEY,
    fetch: (input, init) => {
      const body = JSON.parse(init?.body as string) as { operationName: string; query?: string };
      requests.push(body.operationName);
      if (body.query !== undefined) sentDocuments += 1;
      return fetch(input, init);
    },
  });
  list = watchList(client, 10);
  await list.waitFor((thingIds) => thingIds.length === 5);
});
afterEach(async () => {
  list.stop();
  client.stop();
  await server.close();
  expect(sentDocuments).toBe(0);
});

describe("Apollo example: deleteSelection + evictDeletedThings", () => {
  it("evicts the deleted Things and the watched list emits the shorter list, without a refetch", async () => {
    const [a, b, c, d, e] = ids;
    await deleteSelection(client, [a!, b!]);

    const latest = await list.waitFor((thingIds) => thingIds.length === 3);
    expect(latest).toEqual({ thingIds: [c, d, e], thingCount: 3, totalCount: 3 });
    expect(
      Object.keys(client.cache.extract() as object)
        .filter((key) => key.startsWith("Thing:"))
        .sort(),
    ).toEqual([c, d, e].map((id) => `Thing:${id}`));
    expect(requests).toEqual(["ThingsList", "DeleteSelection"]);
    expect((await server.things()).map((thing) => String(thing.id))).toEqual([c, d, e]);
  });

  it("surfaces notFoundIds to the caller and counts only the rows really removed", async () => {
    const [a, b, c, d, e] = ids;
    const payload = await deleteSelection(client, [a!, "999"]);

    expect(payload).toMatchObject({ deletedCount: 1, deletedIds: [a], notFoundIds: ["999"], dryRun: false });
    expect(await list.waitFor((thingIds) => thingIds.length === 4)).toEqual({
      thingIds: [b, c, d, e],
      thingCount: 4,
      totalCount: 4,
    });
  });

  it("alternative: the list selected through the payload's query field updates the list in one request", async () => {
    const [a, b, c, d, e] = ids;
    const payload = await deleteSelectionAndRefetch(client, [c!, "999"], 10);

    expect(payload.notFoundIds).toEqual(["999"]);
    expect(await list.waitFor((thingIds) => thingIds.length === 4)).toEqual({
      thingIds: [a, b, d, e],
      thingCount: 4,
      totalCount: 4,
    });
    expect(requests).toEqual(["ThingsList", "DeleteSelectionAndRefetch"]);
  });

  it("rejects with the server's error code when the call is refused, and leaves the cache alone", async () => {
    await expect(deleteSelection(client, ["not-an-id"])).rejects.toMatchObject({
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) })],
    });
    expect(client.readQuery({ query: ThingsListDocument, variables: { first: 10 } })?.thingCount).toBe(5);
  });
});
