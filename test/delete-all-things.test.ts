import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeleteAllThingsCountDocument, DeleteAllThingsDocument } from "./gql/graphql.ts";
import { AUDIT_INSERT, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let ids: string[];
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: 10 });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  ids = (await server.seed(["a", "b", "c"])).map(String);
  server.sql.length = 0;
});

describe("deleteAllThings", () => {
  it("empties the table with a bare DELETE FROM when expectedCount is the row count", async () => {
    const result = await server.execute(DeleteAllThingsCountDocument, { expectedCount: 3 });
    expect(result.data?.deleteAllThings.deletedCount).toBe(3);
    expect(await server.things()).toEqual([]);
    // No COUNT(*) first: the DELETE reports how many rows it removed, and a wrong count rolls it back. The audit row
    // after the check (on PostgreSQL it travels with the COMMIT).
    expect(server.sql.map((statement) => statement.sql)).toEqual([
      "BEGIN",
      'DELETE FROM "Thing"',
      AUDIT_INSERT,
      "COMMIT",
    ]);
  });

  it("rolls the DELETE back and answers COUNT_MISMATCH when only the count is asked and it is wrong", async () => {
    const auditRows = (await server.audit()).length;
    const result = await server.execute(DeleteAllThingsCountDocument, { expectedCount: 4 });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "COUNT_MISMATCH", actualCount: 3, expectedCount: 4 });
    expect(server.sql.map((statement) => statement.sql)).toEqual(["BEGIN", 'DELETE FROM "Thing"', "ROLLBACK"]);
    expect(await server.things()).toHaveLength(3);
    expect(await server.audit()).toHaveLength(auditRows);
  });

  it("reports the deleted ids when they are asked", async () => {
    const result = await server.execute(DeleteAllThingsDocument, { expectedCount: 3 });
    expect(result.data?.deleteAllThings).toEqual({ deletedCount: 3, deletedIds: ids, dryRun: false });
  });

  it("deletes nothing and answers COUNT_MISMATCH with the actual count when expectedCount is wrong", async () => {
    for (const expectedCount of [2, 4]) {
      const result = await server.execute(DeleteAllThingsDocument, { expectedCount });
      expect(result.status).toBe(200);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "COUNT_MISMATCH", actualCount: 3, expectedCount });
    }
    expect(await server.things()).toHaveLength(3);
  });

  it("words the mismatch as English for one Thing and for several", async () => {
    const several = await server.execute(DeleteAllThingsDocument, { expectedCount: 2 });
    expect(several.errors?.[0]?.message).toBe("There are 3 Things, not 2; nothing was deleted");
    await server.clear();
    await server.seed(["only"]);
    const one = await server.execute(DeleteAllThingsDocument, { expectedCount: 2 });
    expect(one.errors?.[0]?.message).toBe("There is 1 Thing, not 2; nothing was deleted");
  });

  it("in a dry run reports every id and changes nothing", async () => {
    const result = await server.execute(DeleteAllThingsDocument, { expectedCount: 3, dryRun: true });
    expect(result.data?.deleteAllThings).toEqual({ deletedCount: 0, deletedIds: ids, dryRun: true });
    expect(await server.things()).toHaveLength(3);
  });

  it("empties a table larger than MAX_DELETE_IDS: its scope and expectedCount bound it, not the budget", async () => {
    await server.seed(Array.from({ length: 12 }, (_, i) => `more ${i}`));
    const wrong = await server.execute(DeleteAllThingsCountDocument, { expectedCount: 14 });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: "COUNT_MISMATCH", actualCount: 15, expectedCount: 14 });
    expect(await server.things()).toHaveLength(15);

    const result = await server.execute(DeleteAllThingsCountDocument, { expectedCount: 15 });
    expect(result.errors).toBeUndefined();
    expect(result.data?.deleteAllThings.deletedCount).toBe(15);
    expect(await server.things()).toEqual([]);
  });

  it("refuses a negative expectedCount with BAD_USER_INPUT", async () => {
    const result = await server.execute(DeleteAllThingsDocument, { expectedCount: -1 });
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(server.sql).toEqual([]);
  });
});
