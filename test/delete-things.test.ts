import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeleteThingsDetailedDocument, DeleteThingsDocument } from "./gql/graphql.ts";
import { AUDIT_INSERT, dataStatements, expectedSql, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: 5 });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  server.sql.length = 0;
});

const asIds = (ids: readonly number[]) => ids.map(String);

describe("deleteThings", () => {
  it("reports exactly the deleted and the missing ids, ascending, and counts a duplicate once", async () => {
    const [a, b, c] = await server.seed(["a", "b", "c"]);
    const missing = c! + 100;
    const result = await server.execute(DeleteThingsDetailedDocument, {
      ids: asIds([c!, missing, a!, c!]),
    });
    expect(result.data?.deleteThings).toEqual({
      deletedCount: 2,
      deletedIds: asIds([a!, c!]),
      notFoundIds: asIds([missing]),
      dryRun: false,
      query: { thingCount: 1 },
    });
    expect((await server.things()).map((thing) => thing.id)).toEqual([b]);
  });

  it("treats ids that all do not exist as nothing to do, not as an error", async () => {
    const [a] = await server.seed(["a"]);
    const result = await server.execute(DeleteThingsDetailedDocument, { ids: ["900", "901"] });
    expect(result.errors).toBeUndefined();
    expect(result.data?.deleteThings).toMatchObject({ deletedCount: 0, deletedIds: [], notFoundIds: ["900", "901"] });
    expect((await server.things()).map((thing) => thing.id)).toEqual([a]);
  });

  it("sends one DELETE … RETURNING and its audit row when the ids are selected", async () => {
    const ids = asIds(await server.seed(["a", "b"]));
    server.sql.length = 0;
    await server.execute(DeleteThingsDetailedDocument, { ids });
    const statements = dataStatements(server.sql);
    // The payload's `query { thingCount }` is the one SELECT; the delete itself is a single statement.
    expect(statements).toEqual([
      expect.stringMatching(new RegExp(`^DELETE FROM "Thing" WHERE ${expectedSql.inIds} RETURNING "id"$`)),
      AUDIT_INSERT,
      expect.stringMatching(/COUNT/),
    ]);
  });

  it("in a dry run reports what would be deleted and changes nothing", async () => {
    const [a, b] = await server.seed(["a", "b"]);
    const before = await server.things();
    server.sql.length = 0;
    const result = await server.execute(DeleteThingsDetailedDocument, { ids: asIds([b!, a!, 999]), dryRun: true });
    expect(result.data?.deleteThings).toEqual({
      deletedCount: 0,
      deletedIds: asIds([a!, b!]),
      notFoundIds: ["999"],
      dryRun: true,
      query: { thingCount: 2 },
    });
    expect(dataStatements(server.sql).some((sql) => sql.startsWith("DELETE"))).toBe(false);
    expect(await server.things()).toEqual(before);
  });

  it("accepts MAX_DELETE_IDS distinct ids, duplicates not counted", async () => {
    const ids = asIds(await server.seed(["1", "2", "3", "4", "5"]));
    const result = await server.execute(DeleteThingsDocument, { ids: [...ids, ...ids] });
    expect(result.data?.deleteThings.deletedCount).toBe(5);
  });

  it("refuses one id more than MAX_DELETE_IDS with TOO_MANY_IDS and extensions.max, before any SQL", async () => {
    const ids = asIds(await server.seed(["1", "2", "3", "4", "5", "6"]));
    server.sql.length = 0;
    const result = await server.execute(DeleteThingsDocument, { ids });
    expect(result.status).toBe(200);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_IDS", max: 5 });
    expect(server.sql).toEqual([]);
    expect(await server.things()).toHaveLength(6);
  });

  it("is atomic: when the database refuses one row, no row is deleted and the client sees a masked error", async () => {
    const ids = await server.seed(["a", "b", "c"]);
    const allowDelete = await server.refuseDeleteOf({ text: "b" });
    try {
      for (const document of [DeleteThingsDocument, DeleteThingsDetailedDocument]) {
        const result = await server.execute(document, { ids: asIds(ids) });
        expect(result.status).toBe(200);
        expect(result.errors?.[0]?.message).toBe("Unexpected error.");
        expect(JSON.stringify(result)).not.toMatch(/protected|DELETE|Thing"|\.ts/);
        expect(await server.things()).toHaveLength(3);
      }
    } finally {
      await allowDelete();
    }
  });
});
