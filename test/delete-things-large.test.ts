import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeleteThingsDetailedDocument, DeleteThingsDocument } from "./gql/graphql.ts";
import { AUDIT_INSERT, dataStatements, startTestServer, type TestServer } from "./helpers.ts";

const ROWS = 100_000;
let server: TestServer;
let ids: string[];
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: ROWS });
});
afterAll(() => server.close());
beforeEach(() => {
  server.raw.exec("DELETE FROM Thing");
  ids = server.seed(Array.from({ length: ROWS }, (_, i) => `thing ${i}`)).map(String);
  server.sql.length = 0;
});

describe("deleteThings with 100000 ids, past every bind-parameter limit", () => {
  it("deletes them all in ONE statement when only the count is asked", async () => {
    const result = await server.execute(DeleteThingsDocument, { ids });
    expect(result.data?.deleteThings.deletedCount).toBe(ROWS);
    expect(dataStatements(server.sql)).toEqual([
      expect.stringMatching(/^DELETE FROM "Thing" WHERE "id" IN \(SELECT value FROM json_each\(\?\)\)$/),
      AUDIT_INSERT,
    ]);
    expect(server.things()).toEqual([]);
  });

  it("reports every deleted id exactly when they are asked", async () => {
    const half = ids.filter((_, i) => i % 2 === 0);
    const result = await server.execute(DeleteThingsDetailedDocument, { ids: half });
    expect(result.data?.deleteThings.deletedCount).toBe(half.length);
    expect(result.data?.deleteThings.deletedIds).toEqual(half);
    expect(server.things()).toHaveLength(ROWS - half.length);
  });

  it("deletes every row or none: a row the database refuses rolls the whole statement back", async () => {
    server.raw.exec(`CREATE TRIGGER refuse_last BEFORE DELETE ON Thing WHEN old.id = ${ids.at(-1)} BEGIN SELECT RAISE(ABORT, 'no'); END`);
    try {
      const result = await server.execute(DeleteThingsDocument, { ids });
      expect(result.errors?.[0]?.message).toBe("Unexpected error.");
      expect(server.things()).toHaveLength(ROWS);
    } finally {
      server.raw.exec("DROP TRIGGER refuse_last");
    }
  });
});
