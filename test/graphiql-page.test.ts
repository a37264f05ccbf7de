// The GraphiQL page's cost: sent compressed (it is ~9 MB of inlined assets), and its renderer, which holds ~78 MiB
// once imported, loaded only when a browser first asks for the page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThingCountDocument } from "./gql/graphql.ts";
import { createScratchDatabase, type ScratchDatabase } from "./support/databases.ts";
import { moduleLog } from "./support/module-log.ts";
import { startServerProcess } from "./support/processes.ts";
import { executeOverHttp, startTestServer, type TestServer } from "./support/server.ts";

/** The budget for what one visit transfers. */
const MAX_PAGE_BYTES = 3_000_000;
const RENDERER = /\/node_modules\/@graphql-yoga\/render-graphiql\//;

describe("the GraphiQL page", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const page = (acceptEncoding?: string) =>
    server.app.fetch("http://yoga/graphql", {
      headers: { accept: "text/html", ...(acceptEncoding && { "accept-encoding": acceptEncoding }) },
    });

  it.each([
    ["gzip, deflate, br", "br", brotliDecompressSync],
    ["gzip", "gzip", gunzipSync],
  ] as const)(
    "is sent in the best encoding of %j, under 3 MB, and unpacks to the page",
    async (accepted, encoding, unpack) => {
      const plain = await (await page()).text();
      const response = await page(accepted);
      expect(response.headers.get("content-encoding")).toBe(encoding);
      expect(response.headers.get("vary")).toContain("accept-encoding");
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.length).toBeLessThanOrEqual(MAX_PAGE_BYTES);
      expect(body.length).toBeLessThan(plain.length / 2);
      expect(unpack(body).toString()).toBe(plain);
      expect(plain).toContain("Things batch-delete API");
    },
  );

  it("is sent unencoded to a client that accepts no encoding", async () => {
    const response = await page();
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.text()).toContain("<html");
  });
});

describe("a server process with GraphiQL on", () => {
  let database: ScratchDatabase;
  let directory: string;
  beforeAll(async () => {
    database = await createScratchDatabase();
    directory = mkdtempSync(join(tmpdir(), "things-graphiql-"));
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(directory, { recursive: true, force: true });
  });

  it("loads the page renderer at the first page request, not at start nor for GraphQL requests", async () => {
    const modules = moduleLog(directory);
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      GRAPHIQL: "true",
      NODE_OPTIONS: `--import ${modules.hook}`,
    });
    try {
      const result = await executeOverHttp(`${server.origin}/graphql`, ThingCountDocument, {});
      expect(result.errors).toBeUndefined();
      // The hook saw the server's packages, so an absent renderer means it was not loaded.
      expect(modules.urls()).toContainEqual(expect.stringContaining("/node_modules/graphql/"));
      expect(modules.urls().filter((url) => RENDERER.test(url))).toEqual([]);

      const response = await fetch(`${server.origin}/graphql`, { headers: { accept: "text/html" } });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      expect(modules.urls().filter((url) => RENDERER.test(url))).not.toEqual([]);
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
  });
});
