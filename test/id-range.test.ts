// Ids end at 2147483647 on both databases: the last one works like any other, creating past it is refused with
// ID_RANGE_EXHAUSTED and inserts nothing, and larger ids are refused as input and by the database itself.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_THING_ID } from "../src/schema/ids.ts";
import { CreateThingDocument, CreateThingsDocument, DeleteThingsDocument, ThingByIdDocument } from "./gql/graphql.ts";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => server.clear());

function expectIdRangeExhausted(response: GraphQLResponse<unknown>): void {
  expect(response.status).toBe(200);
  expect(response.data).toBeNull();
  expect(response.errors).toEqual([
    expect.objectContaining({
      message: expect.stringContaining(String(MAX_THING_ID)),
      extensions: { code: "ID_RANGE_EXHAUSTED", maxId: MAX_THING_ID },
    }),
  ]);
}

describe("ids at the end of their range: ID_RANGE_EXHAUSTED", () => {
  it("creates, reads and deletes the Thing with id 2147483647, and refuses the next createThing", async () => {
    await server.raw.setLastThingId(MAX_THING_ID - 1);

    const created = await server.execute(CreateThingDocument, { text: "last" });
    expect(created.data?.createThing).toEqual({ id: String(MAX_THING_ID), text: "last" });
    const read = await server.execute(ThingByIdDocument, { id: String(MAX_THING_ID) });
    expect(read.data?.thing).toEqual({ id: String(MAX_THING_ID), text: "last" });

    expectIdRangeExhausted(await server.execute(CreateThingDocument, { text: "one too many" }));
    expect(await server.things()).toEqual([{ id: MAX_THING_ID, text: "last" }]);

    const deleted = await server.execute(DeleteThingsDocument, { ids: [String(MAX_THING_ID)] });
    expect(deleted.data?.deleteThings.deletedCount).toBe(1);
    expect(await server.things()).toEqual([]);
  });

  it("refuses a createThings that would pass 2147483647, inserting none of its rows", async () => {
    await server.raw.setLastThingId(MAX_THING_ID - 2);

    expectIdRangeExhausted(await server.execute(CreateThingsDocument, { texts: ["fits", "fits too", "does not fit"] }));

    expect(await server.things()).toEqual([]);
  });

  it("refuses id 2147483648 in deleteThings with BAD_USER_INPUT naming the range; no row can have it", async () => {
    await server.raw.setLastThingId(MAX_THING_ID - 1);
    const [kept] = await server.seed(["kept"]);

    const result = await server.execute(DeleteThingsDocument, { ids: [String(MAX_THING_ID + 1)] });

    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toContain(`"${MAX_THING_ID + 1}"`);
    expect(result.errors?.[0]?.message).toContain(`up to ${MAX_THING_ID}`);
    // Not even around the API can a row get such an id: deleteThings could never remove it.
    const beyond = `INSERT INTO "Thing" ("id", "text") VALUES (${MAX_THING_ID + 1}, 'unreachable')`;
    await expect(server.raw.exec(beyond)).rejects.toThrow();
    expect(await server.things()).toEqual([{ id: kept, text: "kept" }]);
  });
});
