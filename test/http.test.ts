import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("HTTP surface", () => {
  it("serves GraphiQL to a browser asking for HTML at /graphql", async () => {
    const response = await server.app.fetch("http://yoga/graphql", { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("Things batch-delete API");
  });

  it("answers GET / with a page linking GraphiQL, /health, /ready and /metrics, each link served", async () => {
    const response = await server.app.fetch("http://yoga/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const page = await response.text();
    expect(page).toContain("GraphiQL in a browser");
    const links = [...page.matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    expect(links).toEqual(["/graphql", "/health", "/ready", "/metrics"]);
    for (const link of links) {
      const target = await server.app.fetch(`http://yoga${link}`, { headers: { accept: "text/html" } });
      expect(target.status, link).toBe(200);
    }
  });

  it("answers GET /health for load balancers", async () => {
    const response = await server.app.fetch("http://yoga/health");
    expect(response.status).toBe(200);
  });

  it.each([
    ["null for a non-null list", null],
    ["an object for an id", [{ id: 1 }]],
    ["a nested list", [["1"]]],
  ])("answers variables of the wrong type (%s) with BAD_USER_INPUT and HTTP 400", async (_name, ids) => {
    const result = await server.post({
      query: "mutation DeleteThings($ids: [ID!]!) { deleteThings(ids: $ids) { deletedCount } }",
      variables: { ids },
    });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toContain("$ids");
  });

  it("masks unexpected errors: a malformed document gets a GraphQL error, never a 500 or a stack trace", async () => {
    const result = await server.post({ query: "mutation { deleteThings(ids: [1,) { deletedCount } }" });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toMatch(/Syntax Error/);
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+/);
  });
});
