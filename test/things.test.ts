import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { CREATE_CHUNK_SIZE } from "../src/db/thing-creates.ts";
import { MAX_PAGE_SIZE } from "../src/schema/thing.ts";
import {
  CreateThingDocument,
  CreateThingsDocument,
  DeleteThingsDocument,
  DeleteThingsWhereDocument,
  ThingByIdDocument,
  ThingCountDocument,
  ThingsPageDocument,
} from "./gql/graphql.ts";
import { AUDIT_INSERT, dataStatements, expectedSql, startTestServer, type TestServer } from "./support/server.ts";

/** The defaults the test server runs with. */
const { maxCreateTexts: MAX_CREATE_TEXTS, maxTextLength: MAX_TEXT_LENGTH } = loadConfig({});

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

    // The audit row first, so that on PostgreSQL it travels with the BEGIN and the DELETE.
    expect(server.sql.map((statement) => statement.sql)).toEqual([
      "BEGIN",
      AUDIT_INSERT,
      expect.stringMatching(new RegExp(`^DELETE FROM .*Thing.* WHERE .*id.* IN \\(${expectedSql.placeholders(3)}\\)$`)),
      "COMMIT",
    ]);
    expect(server.sql[2]?.args).toEqual(ids.map(Number));
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

/** What every refused call must leave behind: no statement sent, the table as it was. */
async function expectRefusedBeforeSql(
  result: { errors?: { message: string; extensions?: Record<string, unknown> }[] },
  extensions: Record<string, unknown>,
  rowsBefore: readonly { id: number; text: string }[] = [],
): Promise<void> {
  expect(result.errors?.[0]?.extensions).toMatchObject(extensions);
  expect(server.sql).toEqual([]);
  expect(await server.things()).toEqual(rowsBefore);
}

describe("text bounds", () => {
  const tooLong = "x".repeat(MAX_TEXT_LENGTH + 1);

  it(`refuses more than MAX_CREATE_TEXTS (${MAX_CREATE_TEXTS}) texts with TOO_MANY_TEXTS, inserting nothing`, async () => {
    const texts = Array.from({ length: MAX_CREATE_TEXTS + 1 }, (_, i) => `t${i}`);
    const result = await server.execute(CreateThingsDocument, { texts });
    expect(result.data).toBeNull();
    await expectRefusedBeforeSql(result, { code: "TOO_MANY_TEXTS", max: MAX_CREATE_TEXTS, argumentName: "texts" });
  });

  it.each([
    ["createThing's text", "text", () => server.execute(CreateThingDocument, { text: tooLong })],
    ["one of createThings' texts", "texts[1]", () => server.execute(CreateThingsDocument, { texts: ["ok", tooLong] })],
    [
      "deleteThingsWhere's textContains",
      "where.textContains",
      () => server.execute(DeleteThingsWhereDocument, { where: { textContains: tooLong }, atMost: 10 }),
    ],
    [
      "deleteThingsWhere's textEquals",
      "where.textEquals",
      () => server.execute(DeleteThingsWhereDocument, { where: { textEquals: tooLong }, atMost: 10 }),
    ],
  ])(
    `refuses %s longer than MAX_TEXT_LENGTH with BAD_USER_INPUT naming %s, before any SQL`,
    async (_name, argumentName, send) => {
      const kept = await server.seed([tooLong.slice(1), tooLong]);
      const rowsBefore = await server.things();
      server.sql.length = 0;
      const result = await send();
      expect(result.errors?.[0]?.message).toContain(argumentName);
      const extensions = { code: "BAD_USER_INPUT", argumentName, maxLength: MAX_TEXT_LENGTH };
      await expectRefusedBeforeSql(result, extensions, rowsBefore);
      expect(kept).toHaveLength(2);
    },
  );

  it("counts the length in code points: MAX_TEXT_LENGTH emoji are stored exactly, one more is refused", async () => {
    const longest = "😀".repeat(MAX_TEXT_LENGTH);
    const created = await server.execute(CreateThingDocument, { text: longest });
    expect(created.errors).toBeUndefined();
    const refused = await server.execute(CreateThingDocument, { text: `${longest}😀` });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: "text" });
    expect(await server.things()).toEqual([{ id: Number(created.data!.createThing.id), text: longest }]);
  });

  const unstorable = [
    ["a lone high surrogate", "half \ud800 pair"],
    ["a lone low surrogate", "\udc00 at the start"],
    ["a high surrogate at the end", "ends in \udbff"],
    ["a NUL character", "nul \u0000 byte"],
  ];
  describe.each(unstorable)("a text with %s", (_name, bad) => {
    it.each([
      ["createThing", () => server.execute(CreateThingDocument, { text: bad })],
      ["createThings", () => server.execute(CreateThingsDocument, { texts: ["fine", bad] })],
      ["textContains", () => server.execute(DeleteThingsWhereDocument, { where: { textContains: bad }, atMost: 10 })],
      ["textEquals", () => server.execute(DeleteThingsWhereDocument, { where: { textEquals: bad }, atMost: 10 })],
    ])("is refused by %s with BAD_USER_INPUT before any SQL", async (_operation, send) => {
      await server.seed([bad.replace(/[\ud800-\udfff\0]/g, "\ufffd"), "fine"]);
      const rowsBefore = await server.things();
      server.sql.length = 0;
      await expectRefusedBeforeSql(await send(), { code: "BAD_USER_INPUT" }, rowsBefore);
    });
  });

  it("does not delete a row with U+FFFD for a where holding a lone surrogate", async () => {
    await server.seed(["legit \ufffd replacement char"]);
    const rowsBefore = await server.things();
    server.sql.length = 0;
    const result = await server.execute(DeleteThingsWhereDocument, {
      where: { textContains: "legit \ud800 replacement" },
      atMost: 10,
    });
    expect(result.data).toBeNull();
    await expectRefusedBeforeSql(result, { code: "BAD_USER_INPUT", argumentName: "where.textContains" }, rowsBefore);
  });
});

describe("createThings in chunks", () => {
  it(`sends ceil(n / ${CREATE_CHUNK_SIZE}) INSERTs in ONE transaction and returns the Things in order`, async () => {
    const texts = Array.from({ length: 2 * CREATE_CHUNK_SIZE + 1 }, (_, i) => `chunked ${i}`);
    const result = await server.execute(CreateThingsDocument, { texts });
    expect(server.sql.map((statement) => statement.sql)).toEqual([
      "BEGIN",
      ...Array.from({ length: 3 }, () => expect.stringMatching(/^INSERT INTO .*Thing/)),
      "COMMIT",
    ]);
    const rows = await server.things();
    expect(rows.map((row) => row.text)).toEqual(texts);
    expect(result.data?.createThings).toEqual({
      count: texts.length,
      things: rows.map((row) => ({ id: String(row.id), text: row.text })),
    });
  });

  it("yields to the event loop between the INSERTs of the largest allowed create, so other work runs in between", async () => {
    // Each INSERT runs synchronously in the SQLite driver; what keeps the loop free is a turn of the loop between
    // chunks. A ticker that counts turns (one setImmediate each) is read as each INSERT is sent: counting turns,
    // not milliseconds, holds on a machine whose cores are busy.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns += 1;
      if (ticking) setImmediate(tick);
    };
    const turnsAtInsert: number[] = [];
    const observed = await startTestServer({
      onSql: ({ sql }) => {
        if (sql.startsWith("INSERT")) turnsAtInsert.push(turns);
      },
    });
    try {
      const texts = Array.from({ length: MAX_CREATE_TEXTS }, (_, i) => `loop ${i}`);
      setImmediate(tick);
      const result = await observed.execute(CreateThingsDocument, { texts });
      ticking = false;
      expect(result.data?.createThings.count).toBe(MAX_CREATE_TEXTS);
      expect(await observed.things()).toHaveLength(MAX_CREATE_TEXTS);
      expect(turnsAtInsert).toHaveLength(Math.ceil(MAX_CREATE_TEXTS / CREATE_CHUNK_SIZE));
      const turnsBetweenInserts = turnsAtInsert.slice(1).map((turn, i) => turn - turnsAtInsert[i]!);
      expect(Math.min(...turnsBetweenInserts)).toBeGreaterThanOrEqual(1);
    } finally {
      ticking = false;
      await observed.close();
    }
  });

  it("rolls every chunk back when a late chunk fails, leaving nothing inserted", async () => {
    const texts = Array.from({ length: 3 * CREATE_CHUNK_SIZE }, (_, i) => `atomic ${i}`);
    const allowInsert = await server.refuseInsertOf({ text: texts.at(-1)! });
    try {
      const result = await server.execute(CreateThingsDocument, { texts });
      expect(result.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(dataStatements(server.sql).filter((sql) => sql.startsWith("INSERT"))).toHaveLength(3);
      expect(await server.things()).toEqual([]);
    } finally {
      await allowInsert();
    }
  });
});

describe("page size", () => {
  it(`refuses first or last above ${MAX_PAGE_SIZE} with BAD_USER_INPUT before any SQL, and serves ${MAX_PAGE_SIZE}`, async () => {
    await server.seed(Array.from({ length: MAX_PAGE_SIZE + 1 }, (_, i) => `p${i}`));
    server.sql.length = 0;
    const tooBig = await server.execute(ThingsPageDocument, { first: MAX_PAGE_SIZE + 1 });
    expect(tooBig.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName: "first" });
    const last = await server.post({ query: `{ things(last: ${MAX_PAGE_SIZE + 1}, before: "x") { totalCount } }` });
    expect(last.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(server.sql).toEqual([]);

    const page = await server.execute(ThingsPageDocument, { first: MAX_PAGE_SIZE });
    expect(page.data?.things.edges).toHaveLength(MAX_PAGE_SIZE);
    expect(page.data?.things.pageInfo.hasNextPage).toBe(true);
  });
});
