// Cursors are client input: a forged `after`/`before` is BAD_USER_INPUT before any SQL, and no error is logged
// for it, while the cursors the server hands out keep paging both ways.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ThingsPageBeforeDocument, ThingsPageDocument } from "./gql/graphql.ts";
import { captureLogs } from "./support/logs.ts";
import { dataStatements, startTestServer, type TestServer } from "./support/server.ts";

const base64 = (text: string) => Buffer.from(text).toString("base64");

/** Cursors no server issued: what `GPC:N:<id>` decodes to is Prisma's cursor value, unchecked by plugin-prisma. */
const FORGED_CURSORS = {
  "an infinite id": base64("GPC:N:1e999"),
  "a NaN id": base64("GPC:N:NaN"),
  "an object (deprecated J: tag)": base64("GPC:J:{}"),
  "an object (O: tag)": base64('GPC:O:{"id":1}'),
  "a string id": base64("GPC:S:1"),
  "a fractional id": base64("GPC:N:1.5"),
  "a negative id": base64("GPC:N:-1"),
  "a zero id": base64("GPC:N:0"),
  "an id beyond Int": base64("GPC:N:99999999999"),
  "another plugin's prefix": base64("XYZ:N:1"),
  "not base64 at all": "not a cursor!",
  empty: "",
  huge: base64(`GPC:N:${"9".repeat(30_000)}`),
};

describe("forged connection cursors", () => {
  const logs = captureLogs();
  let server: TestServer;
  let ids: number[];
  beforeAll(async () => {
    server = await startTestServer({ logger: logs.logger });
    ids = await server.seed(["a", "b", "c"]);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.sql.length = 0;
    logs.lines.length = 0;
  });

  it.each(Object.entries(FORGED_CURSORS))(
    "answers %s in after: and before: with BAD_USER_INPUT, before any SQL, logging no error",
    async (_shape, cursor) => {
      const forward = await server.execute(ThingsPageDocument, { first: 2, after: cursor });
      const backward = await server.execute(ThingsPageBeforeDocument, { last: 2, before: cursor });
      for (const [result, argumentName] of [
        [forward, "after"],
        [backward, "before"],
      ] as const) {
        expect(result.status).toBe(200);
        expect(result.data).toBeNull();
        expect(result.errors).toHaveLength(1);
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
      }
      expect(dataStatements(server.sql)).toEqual([]);
      expect(logs.errors()).toEqual([]);
      expect((await server.things()).map((thing) => thing.id)).toEqual(ids);
    },
  );

  it("pages forward and backward with the cursors it issued", async () => {
    const first = await server.execute(ThingsPageDocument, { first: 2 });
    const endCursor = first.data?.things.pageInfo.endCursor;
    expect(first.data?.things.edges.map((edge) => edge.node.text)).toEqual(["a", "b"]);
    const next = await server.execute(ThingsPageDocument, { first: 2, after: endCursor });
    expect(next.data?.things.edges.map((edge) => edge.node.text)).toEqual(["c"]);
    const lastCursor = next.data?.things.edges[0]?.cursor;
    const previous = await server.execute(ThingsPageBeforeDocument, { last: 2, before: lastCursor });
    expect(previous.data?.things.edges.map((edge) => Number(edge.node.id))).toEqual(ids.slice(0, 2));
    expect(logs.errors()).toEqual([]);
  });
});
