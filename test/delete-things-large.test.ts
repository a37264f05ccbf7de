import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeleteThingsDetailedDocument, DeleteThingsDocument } from "./gql/graphql.ts";
import { AUDIT_INSERT, dataStatements, expectedSql, startTestServer, type TestServer } from "./support/server.ts";

const ROWS = 100_000;
let server: TestServer;
let ids: string[];
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: ROWS });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  ids = (await server.seed(Array.from({ length: ROWS }, (_, i) => `thing ${i}`))).map(String);
  server.sql.length = 0;
});

describe("deleteThings with 100000 ids, past every bind-parameter limit", () => {
  it("deletes them all in ONE statement when only the count is asked", async () => {
    const result = await server.execute(DeleteThingsDocument, { ids });
    expect(result.data?.deleteThings.deletedCount).toBe(ROWS);
    expect(dataStatements(server.sql)).toEqual([
      expect.stringMatching(new RegExp(`^DELETE FROM "Thing" WHERE ${expectedSql.inIds}$`)),
      AUDIT_INSERT,
    ]);
    expect(await server.things()).toEqual([]);
  });

  it("reports every deleted id exactly when they are asked", async () => {
    const half = ids.filter((_, i) => i % 2 === 0);
    const result = await server.execute(DeleteThingsDetailedDocument, { ids: half });
    expect(result.data?.deleteThings.deletedCount).toBe(half.length);
    expect(result.data?.deleteThings.deletedIds).toEqual(half);
    expect(await server.things()).toHaveLength(ROWS - half.length);
  });

  it("deletes every row or none: a row the database refuses rolls the whole statement back", async () => {
    const allowDelete = await server.refuseDeleteOf({ id: Number(ids.at(-1)) });
    try {
      const result = await server.execute(DeleteThingsDocument, { ids });
      expect(result.errors?.[0]?.message).toBe("Unexpected error.");
      expect(await server.things()).toHaveLength(ROWS);
    } finally {
      await allowDelete();
    }
  });
});
