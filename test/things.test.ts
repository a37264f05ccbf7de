import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CreateThingDocument,
  CreateThingsDocument,
  DeleteThingsDocument,
  ThingByIdDocument,
  ThingCountDocument,
  ThingsPageDocument,
} from "./gql/graphql.ts";
import { AUDIT_INSERT, expectedSql, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  server.sql.length = 0;
});

describe("Things", () => {
  it("creates, lists, counts and deletes in bulk, leaving exactly the rows not deleted", async () => {
    const one = await server.execute(CreateThingDocument, { text: "first" });
    expect(one.errors).toBeUndefined();
    const many = await server.execute(CreateThingsDocument, { texts: ["a", "b", "c", "d"] });
    expect(many.data?.createThings.count).toBe(4);
    expect(many.data?.createThings.things.map((thing) => thing.text)).toEqual(["a", "b", "c", "d"]);

    const page = await server.execute(ThingsPageDocument, { first: 10 });
    expect(page.data?.things.totalCount).toBe(5);
    expect(page.data?.things.edges.map((edge) => edge.node.text)).toEqual(["first", "a", "b", "c", "d"]);

    const ids = page.data!.things.edges.map((edge) => edge.node.id);
    const deleted = await server.execute(DeleteThingsDocument, { ids: [ids[1]!, ids[3]!, ids[4]!] });
    expect(deleted).toEqual({ status: 200, data: { deleteThings: { deletedCount: 3 } } });

    expect((await server.execute(ThingCountDocument, {})).data?.thingCount).toBe(2);
    expect(await server.things()).toEqual([
      { id: Number(ids[0]), text: "first" },
      { id: Number(ids[2]), text: "b" },
    ]);
  });

  it("pages through the connection with cursors", async () => {
    await server.execute(CreateThingsDocument, { texts: ["1", "2", "3"] });
    const first = await server.execute(ThingsPageDocument, { first: 2 });
    expect(first.data?.things.edges.map((edge) => edge.node.text)).toEqual(["1", "2"]);
    expect(first.data?.things.pageInfo.hasNextPage).toBe(true);

    const second = await server.execute(ThingsPageDocument, { first: 2, after: first.data!.things.pageInfo.endCursor });
    expect(second.data?.things.edges.map((edge) => edge.node.text)).toEqual(["3"]);
    expect(second.data?.things.pageInfo.hasNextPage).toBe(false);
  });

  it("finds one Thing by id and answers null for an id that does not exist", async () => {
    const created = await server.execute(CreateThingDocument, { text: "x" });
    const id = created.data!.createThing.id;
    expect((await server.execute(ThingByIdDocument, { id })).data?.thing).toEqual({ id, text: "x" });
    expect((await server.execute(ThingByIdDocument, { id: String(Number(id) + 1) })).data?.thing).toBeNull();
  });
});

describe("deleteThings", () => {
  it("sends exactly one DELETE statement and no SELECT, with its audit row in the same transaction", async () => {
    await server.execute(CreateThingsDocument, { texts: ["a", "b", "c"] });
    const ids = (await server.things()).map((thing) => String(thing.id));
    server.sql.length = 0;

    await server.execute(DeleteThingsDocument, { ids });

    expect(server.sql.map((statement) => statement.sql)).toEqual([
      "BEGIN",
      expect.stringMatching(new RegExp(`^DELETE FROM .*Thing.* WHERE .*id.* IN \\(${expectedSql.placeholders(3)}\\)$`)),
      AUDIT_INSERT,
      "COMMIT",
    ]);
    expect(server.sql[1]?.args).toEqual(ids.map(Number));
  });

  it("counts a duplicated id once and ignores ids that do not exist", async () => {
    await server.execute(CreateThingsDocument, { texts: ["a", "b"] });
    const [a, b] = await server.things();
    const result = await server.execute(DeleteThingsDocument, { ids: [String(a!.id), String(a!.id), "999999"] });
    expect(result.data?.deleteThings.deletedCount).toBe(1);
    expect(await server.things()).toEqual([b]);
  });

  it("answers an empty list with 0 without touching the database", async () => {
    const result = await server.execute(DeleteThingsDocument, { ids: [] });
    expect(result.data?.deleteThings.deletedCount).toBe(0);
    expect(server.sql).toEqual([]);
  });

  it.each(["abc", "-1", "0", "1.5", "99999999999999999999", "2147483648", " 1", ""])(
    "rejects the id %j with BAD_USER_INPUT naming it, and deletes nothing",
    async (badId) => {
      await server.execute(CreateThingsDocument, { texts: ["keep"] });
      const kept = await server.things();
      server.sql.length = 0;

      const result = await server.execute(DeleteThingsDocument, { ids: [String(kept[0]!.id), badId] });

      expect(result.status).toBe(200);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.message).toContain(JSON.stringify(badId));
      expect(server.sql).toEqual([]);
      expect(await server.things()).toEqual(kept);
    },
  );
});
