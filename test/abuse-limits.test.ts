import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DOCUMENT_LIMITS } from "../src/plugins/use-document-limits.ts";
import { TEST_API_KEY, startTestServer, type TestServer } from "./support/server.ts";

const logLines: Record<string, unknown>[] = [];
const logger = pino(
  { level: "error" },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: 10, logger, env: { MAX_BODY_BYTES: "65536" } });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  server.sql.length = 0;
});

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;

describe("document limits", () => {
  it("rejects 1000 aliased deleteThings fields before any SQL", async () => {
    const [id] = await server.seed(["keep"]);
    const fields = Array.from({ length: 1000 }, (_, i) => `d${i}: deleteThings(ids: ["${id}"]) { deletedCount }`);
    const result = await server.post({ query: `mutation ManyDeletes { ${fields.join(" ")} }` });
    expect(result.status).toBe(400);
    expect(codeOf(result)).toBe("GRAPHQL_PARSE_FAILED");
    expect(result.errors?.[0]?.message).toMatch(/token limit/i);
    expect(server.sql).toEqual([]);
    expect(await server.things()).toHaveLength(1);
  });

  it(`rejects more than ${DOCUMENT_LIMITS.maxAliases} aliases, even in a short document`, async () => {
    const fields = Array.from({ length: DOCUMENT_LIMITS.maxAliases + 1 }, (_, i) => `c${i}: thingCount`);
    const result = await server.post({ query: `query ManyCounts { ${fields.join(" ")} }` });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(result.errors?.[0]?.message).toMatch(/aliases/i);
  });

  it("rejects a document nesting payload.query deeper than the depth limit, before any SQL", async () => {
    let selection = "id";
    for (let level = 0; level < DOCUMENT_LIMITS.maxDepth; level++) selection = `edges { node { ${selection} } }`;
    const nested = `mutation Deep { deleteThings(ids: ["1"]) { query { things { ${selection} } } } }`;
    const result = await server.post({ query: nested });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(result.errors?.[0]?.message).toMatch(/depth|cost/i);
    expect(server.sql).toEqual([]);
  });

  it("refuses a request whose aliases together would delete more than MAX_DELETE_IDS, deleting nothing", async () => {
    const ids = (await server.seed(Array.from({ length: 12 }, (_, i) => `t${i}`))).map(String);
    const result = await server.post({
      query: `mutation ThreeDeletes($a: [ID!]!, $b: [ID!]!, $c: [ID!]!) {
        a: deleteThings(ids: $a) { deletedCount }
        b: deleteThings(ids: $b) { deletedCount }
        c: deleteThings(ids: $c) { deletedCount }
      }`,
      variables: { a: ids.slice(0, 4), b: ids.slice(4, 8), c: ids.slice(8, 12) },
    });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "TOO_MANY_IDS", max: 10, requested: 12 } });
    expect(server.sql).toEqual([]);
    expect(await server.things()).toHaveLength(12);
  });

  it("refuses batched operations in one HTTP request", async () => {
    const result = await server.post([{ query: "{ thingCount }" }, { query: "{ thingCount }" }]);
    expect(result.status).toBe(400);
    expect(codeOf(result)).toBe("BAD_REQUEST");
  });
});

describe("HTTP limits", () => {
  it("answers a body over MAX_BODY_BYTES with 413 and a GraphQL error, without reading it", async () => {
    const response = await server.app.fetch("http://yoga/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": "70000",
        authorization: `Bearer ${TEST_API_KEY}`,
      },
      body: JSON.stringify({ query: "{ thingCount }", variables: { pad: "x".repeat(69950) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: "The request body is larger than 65536 bytes", extensions: { code: "PAYLOAD_TOO_LARGE" } }],
    });
  });

  it("blocks a GET without the CSRF header (a browser's cross-site request) and serves one with it", async () => {
    const url = `http://yoga/graphql?query=${encodeURIComponent("{ thingCount }")}`;
    const blocked = await server.app.fetch(url, { headers: { accept: "application/json" } });
    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toEqual({
      errors: [{ message: "Required CSRF header(s) not present", extensions: { code: "CSRF_HEADER_REQUIRED" } }],
    });
    const allowed = await server.app.fetch(url, {
      headers: { accept: "application/json", "x-graphql-yoga-csrf": "1" },
    });
    expect(await allowed.json()).toEqual({ data: { thingCount: 0 } });
  });
});

describe("error masking", () => {
  it("answers an unexpected failure with INTERNAL_SERVER_ERROR and a request id, logging the cause under that id", async () => {
    const [id] = await server.seed(["a"]);
    const allowDelete = await server.refuseDeleteOf({ id: id! });
    try {
      logLines.length = 0;
      const result = await server.post(
        { query: `mutation { deleteThings(ids: ["${id}"]) { deletedCount } }` },
        { token: TEST_API_KEY },
      );
      const error = result.errors?.[0];
      expect(error?.message).toBe("Unexpected error.");
      expect(error?.extensions).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: expect.any(String) });
      expect(JSON.stringify(result)).not.toMatch(/protected|DELETE FROM|[Pp]risma|\.ts:|\n\s+at /);
      const logged = logLines.find((line) => line.requestId === error?.extensions?.requestId);
      expect(JSON.stringify(logged)).toMatch(/unexpected error/);
    } finally {
      await allowDelete();
    }
  });
});

describe("production switches", () => {
  it("turns introspection and GraphiQL off when INTROSPECTION and GRAPHIQL are false", async () => {
    const locked = await startTestServer({ env: { INTROSPECTION: "false", GRAPHIQL: "false" } });
    try {
      const introspection = await locked.post({ query: "{ __schema { types { name } } }" });
      expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
      const page = await locked.app.fetch("http://yoga/graphql", { headers: { accept: "text/html" } });
      expect(await page.text()).not.toContain("Things batch-delete API");
    } finally {
      await locked.close();
    }
  });
});
