import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeleteThingsWhereDocument } from "./gql/graphql.ts";
import { dataStatements, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let ids: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: 1000 });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  const texts = ["apple pie", "Apple", "banana", "cherry pie", "50% off", "pie"];
  const seeded = await server.seed(texts);
  ids = Object.fromEntries(texts.map((text, i) => [text, String(seeded[i])]));
  server.sql.length = 0;
});

const remainingTexts = async () => (await server.things()).map((thing) => thing.text);

describe("deleteThingsWhere", () => {
  it("deletes the rows whose text contains the substring, case-sensitively, and reports them", async () => {
    const result = await server.execute(DeleteThingsWhereDocument, { where: { textContains: "pie" }, atMost: 10 });
    expect(result.data?.deleteThingsWhere).toEqual({
      deletedCount: 3,
      deletedIds: [ids["apple pie"], ids["cherry pie"], ids["pie"]],
      notFoundIds: [],
      dryRun: false,
    });
    expect(await remainingTexts()).toEqual(["Apple", "banana", "50% off"]);
  });

  it("treats LIKE wildcards in textContains as plain characters", async () => {
    const result = await server.execute(DeleteThingsWhereDocument, { where: { textContains: "%" }, atMost: 10 });
    expect(result.data?.deleteThingsWhere.deletedIds).toEqual([ids["50% off"]]);
  });

  it("combines fields with AND", async () => {
    const result = await server.execute(DeleteThingsWhereDocument, {
      where: { textContains: "pie", idIn: [ids["pie"]!, ids["banana"]!] },
      atMost: 10,
    });
    expect(result.data?.deleteThingsWhere.deletedIds).toEqual([ids["pie"]]);
    const exact = await server.execute(DeleteThingsWhereDocument, { where: { textEquals: "Apple" }, atMost: 1 });
    expect(exact.data?.deleteThingsWhere.deletedIds).toEqual([ids["Apple"]]);
    expect(await remainingTexts()).toEqual(["apple pie", "banana", "cherry pie", "50% off"]);
  });

  it("deletes nothing and answers TOO_MANY_ROWS when more than atMost rows match", async () => {
    const result = await server.execute(DeleteThingsWhereDocument, { where: { textContains: "pie" }, atMost: 2 });
    expect(result.status).toBe(200);
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_ROWS", matched: 3, atMost: 2 });
    expect(dataStatements(server.sql).some((sql) => sql.startsWith("DELETE"))).toBe(false);
    expect(await remainingTexts()).toHaveLength(6);
  });

  it("in a dry run reports the matching rows and changes nothing", async () => {
    const result = await server.execute(DeleteThingsWhereDocument, {
      where: { textContains: "pie" },
      atMost: 3,
      dryRun: true,
    });
    expect(result.data?.deleteThingsWhere).toEqual({
      deletedCount: 0,
      deletedIds: [ids["apple pie"], ids["cherry pie"], ids["pie"]],
      notFoundIds: [],
      dryRun: true,
    });
    expect(await remainingTexts()).toHaveLength(6);
  });

  it.each([
    ["an empty where", {}],
    ["a where of nulls only", { textContains: null, textEquals: null, idIn: null }],
    ["an empty textContains, which would match everything", { textContains: "" }],
    ["an invalid id in idIn", { idIn: ["1", "x"] }],
  ])("refuses %s with BAD_USER_INPUT and deletes nothing", async (_name, where) => {
    const result = await server.execute(DeleteThingsWhereDocument, { where, atMost: 100 });
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(server.sql).toEqual([]);
    expect(await remainingTexts()).toHaveLength(6);
  });

  it("refuses a negative atMost (BAD_USER_INPUT) or one above MAX_DELETE_IDS (TOO_MANY_IDS) before any SQL", async () => {
    const negative = await server.execute(DeleteThingsWhereDocument, { where: { textEquals: "pie" }, atMost: -1 });
    expect(negative.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const tooMany = await server.execute(DeleteThingsWhereDocument, { where: { textEquals: "pie" }, atMost: 1001 });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_IDS", max: 1000 });
    expect(server.sql).toEqual([]);
  });
});
