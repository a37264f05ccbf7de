// things(filter, orderBy) and thingCount(filter): reading by the delete filters' rules without deleting anything,
// newest first with paging both ways, and cursors that continue only the order and filter they came from.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DeleteThingsWhereDocument,
  FilteredThingCountDocument,
  FilteredThingsDocument,
  ThingsPageDocument,
  type FilteredThingsQueryVariables,
  type ThingFilter,
} from "./gql/graphql.ts";
import { dataStatements, startTestServer, testProvider, type TestServer } from "./support/server.ts";

const MAX_DELETE_IDS = 5;
const TEXTS = ["100%", "100 percent", "a_b", "axb", "Case", "case", "CASE", "mixed case here"];

let server: TestServer;
let ids: Record<string, number>;
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: MAX_DELETE_IDS });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  const seeded = await server.seed(TEXTS);
  ids = Object.fromEntries(TEXTS.map((text, i) => [text, seeded[i]!]));
  server.sql.length = 0;
});

async function page(variables: FilteredThingsQueryVariables) {
  const result = await server.execute(FilteredThingsDocument, variables);
  expect(result.errors).toBeUndefined();
  return result.data!.things;
}

const textsOf = (connection: { edges: { node: { text: string } }[] }) => connection.edges.map((edge) => edge.node.text);

describe("things(filter) and thingCount(filter)", () => {
  it.each<[string, ThingFilter, string[]]>([
    ["a case-sensitive substring", { textContains: "case" }, ["case", "mixed case here"]],
    ["% as a plain character", { textContains: "%" }, ["100%"]],
    ["_ as a plain character", { textContains: "_" }, ["a_b"]],
    ["an exact text", { textEquals: "Case" }, ["Case"]],
    ["fields combined with AND", { textContains: "100", idIn: [] }, []],
  ])("matches %s, as deleteThingsWhere would, and deletes nothing", async (_name, filter, expected) => {
    const before = await server.things();
    const connection = await page({ first: 20, filter });
    expect(textsOf(connection)).toEqual(expected);
    expect(connection.totalCount).toBe(expected.length);
    expect((await server.execute(FilteredThingCountDocument, { filter })).data?.thingCount).toBe(expected.length);
    if (Object.keys(filter).length > 0 && !filter.idIn) {
      const dryRun = await server.execute(DeleteThingsWhereDocument, { where: filter, atMost: 100, dryRun: true });
      expect(dryRun.data?.deleteThingsWhere.deletedIds).toEqual(expected.map((text) => String(ids[text])));
    }
    expect(await server.things()).toEqual(before);
  });

  it("matches the ids in idIn, with the other fields", async () => {
    const filter = { idIn: [String(ids["Case"]), String(ids["case"]), String(ids["axb"])], textContains: "ase" };
    expect(textsOf(await page({ first: 20, filter }))).toEqual(["Case", "case"]);
  });

  it.each<[string, ThingFilter | null]>([
    ["no filter", null],
    ["an empty filter", {}],
    ['an empty textContains ("" is in every text)', { textContains: "" }],
  ])("lists and counts every Thing for %s", async (_name, filter) => {
    const connection = await page({ first: 20, filter });
    expect(textsOf(connection)).toEqual(TEXTS);
    expect(connection.totalCount).toBe(TEXTS.length);
    expect((await server.execute(FilteredThingCountDocument, { filter })).data?.thingCount).toBe(TEXTS.length);
  });

  it("finds a filtered page with the dialect's substring test, never LIKE, reads the selection by id, counts alike", async () => {
    await page({ first: 2, filter: { textContains: "case" } });
    const [ids, rows, ...rest] = dataStatements(server.sql);
    expect(ids).toMatch(testProvider === "sqlite" ? /instr\("text", \?\) > 0/ : /strpos\("text", \$1\) > 0/);
    expect(ids).toMatch(/LIMIT/);
    expect(rows).toMatch(/^SELECT .*text.* FROM .*Thing.* WHERE .*id.* IN/);
    expect(rest).toEqual([expect.stringMatching(/^SELECT COUNT\(\*\) AS count FROM "Thing" WHERE (instr|strpos)/)]);
    expect(server.sql.map((statement) => statement.sql).join("\n")).not.toMatch(/LIKE/i);
  });
});

describe("things(orderBy: ID_DESC)", () => {
  it("lists newest first and pages forwards to the end, then backwards from it", async () => {
    const newestFirst = [...TEXTS].reverse();
    const first = await page({ first: 3, orderBy: "ID_DESC" });
    expect(textsOf(first)).toEqual(newestFirst.slice(0, 3));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await page({ first: 3, after: first.pageInfo.endCursor, orderBy: "ID_DESC" });
    expect(textsOf(second)).toEqual(newestFirst.slice(3, 6));
    const third = await page({ first: 3, after: second.pageInfo.endCursor, orderBy: "ID_DESC" });
    expect(textsOf(third)).toEqual(newestFirst.slice(6));
    expect(third.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const back = await page({ last: 3, before: third.pageInfo.startCursor, orderBy: "ID_DESC" });
    expect(textsOf(back)).toEqual(newestFirst.slice(3, 6));
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const oldest = await page({ last: 2, orderBy: "ID_DESC" });
    expect(textsOf(oldest)).toEqual(newestFirst.slice(-2));
    expect(oldest.totalCount).toBe(TEXTS.length);
  });

  it("pages a filtered list newest first with its totalCount", async () => {
    const filter = { textContains: "a" };
    const matching = TEXTS.filter((text) => text.includes("a")).reverse();
    const first = await page({ first: 2, filter, orderBy: "ID_DESC" });
    expect(textsOf(first)).toEqual(matching.slice(0, 2));
    expect(first.totalCount).toBe(matching.length);
    const rest = await page({ first: 10, after: first.pageInfo.endCursor, filter, orderBy: "ID_DESC" });
    expect(textsOf(rest)).toEqual(matching.slice(2));
    const back = await page({ last: 1, before: rest.pageInfo.startCursor, filter, orderBy: "ID_DESC" });
    expect(textsOf(back)).toEqual([matching[1]]);
  });

  it("continues after a cursor whose Thing was deleted meanwhile", async () => {
    const first = await page({ first: 2, orderBy: "ID_DESC" });
    await server.raw.exec(`DELETE FROM "Thing" WHERE "id" = ${ids["CASE"]}`);
    const next = await page({ first: 2, after: first.pageInfo.endCursor, orderBy: "ID_DESC" });
    expect(textsOf(next)).toEqual(["case", "Case"]);
  });
});

describe("cursors of things(filter, orderBy)", () => {
  it("keeps the cursors of a call without the new arguments, and accepts them with the defaults spelled out", async () => {
    const legacy = await server.execute(ThingsPageDocument, { first: 2 });
    const spelledOut = await page({ first: 2, filter: {}, orderBy: "ID_ASC" });
    expect(spelledOut.edges.map((edge) => edge.cursor)).toEqual(legacy.data?.things.edges.map((edge) => edge.cursor));
    const next = await page({ first: 2, after: legacy.data?.things.pageInfo.endCursor, filter: { textContains: "" } });
    expect(textsOf(next)).toEqual(TEXTS.slice(2, 4));
  });

  it.each<[string, FilteredThingsQueryVariables, FilteredThingsQueryVariables]>([
    ["the default list, used newest first", {}, { orderBy: "ID_DESC" }],
    ["newest first, used oldest first", { orderBy: "ID_DESC" }, {}],
    ["one filter, used with another", { filter: { textContains: "a" } }, { filter: { textContains: "b" } }],
    ["a filter, used without it", { filter: { textEquals: "case" } }, {}],
    ["no filter, used with one", {}, { filter: { idIn: [] } }],
    [
      "a filter oldest first, used newest first",
      { filter: { textContains: "a" } },
      { filter: { textContains: "a" }, orderBy: "ID_DESC" },
    ],
  ])("refuses a cursor of %s with BAD_USER_INPUT before any SQL", async (_name, issuedFor, usedWith) => {
    const issued = await page({ first: 1, ...issuedFor });
    const cursor = issued.pageInfo.endCursor ?? issued.edges[0]?.cursor;
    expect(cursor).toEqual(expect.any(String));
    server.sql.length = 0;
    for (const [argumentName, window] of [
      ["after", { first: 1, after: cursor }],
      ["before", { last: 1, before: cursor }],
    ] as const) {
      const result = await server.execute(FilteredThingsDocument, { ...usedWith, ...window });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
    }
    expect(server.sql).toEqual([]);
  });

  it("accepts a cursor with the same filter however its id set is ordered", async () => {
    const first = await page({ first: 1, filter: { idIn: [String(ids["a_b"]), String(ids["axb"])] } });
    const next = await page({
      first: 1,
      after: first.pageInfo.endCursor,
      filter: { idIn: [String(ids["axb"]), String(ids["a_b"])] },
    });
    expect(textsOf(next)).toEqual(["axb"]);
  });
});

describe("bounds of ThingFilter", () => {
  const tooManyIds = Array.from({ length: MAX_DELETE_IDS + 1 }, (_, i) => String(i + 1));

  it.each<[string, string, () => Promise<{ data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }>]>([
    [
      "idIn over MAX_DELETE_IDS in things",
      "filter.idIn",
      () => server.execute(FilteredThingsDocument, { filter: { idIn: tooManyIds } }),
    ],
    [
      "idIn over MAX_DELETE_IDS in thingCount",
      "filter.idIn",
      () => server.execute(FilteredThingCountDocument, { filter: { idIn: tooManyIds } }),
    ],
    ["an invalid id", "filter.idIn", () => server.execute(FilteredThingCountDocument, { filter: { idIn: ["0"] } })],
    [
      "a textContains over MAX_TEXT_LENGTH",
      "filter.textContains",
      () => server.execute(FilteredThingsDocument, { filter: { textContains: "x".repeat(100_000) } }),
    ],
    [
      "a textEquals with NUL",
      "filter.textEquals",
      () => server.execute(FilteredThingCountDocument, { filter: { textEquals: "a\u0000" } }),
    ],
  ])("refuses %s with BAD_USER_INPUT naming %s, before any SQL", async (_name, argumentName, send) => {
    const result = await send();
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
    expect(server.sql).toEqual([]);
  });

  it("accepts MAX_DELETE_IDS ids", async () => {
    const filter = { idIn: Object.values(ids).slice(0, MAX_DELETE_IDS).map(String) };
    expect((await server.execute(FilteredThingCountDocument, { filter })).data?.thingCount).toBe(MAX_DELETE_IDS);
  });
});
