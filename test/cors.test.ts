// CORS is an allow-list (CORS_ORIGINS, empty by default), and GraphiQL, which carries the development key, is never
// served to a request from another origin, listed or not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, startTestServer, type TestServer } from "./support/server.ts";

const API = "http://127.0.0.1:4000/graphql";
const FOREIGN = "http://evil.example";
const LISTED = "http://app.example:5173";

async function preflight(server: TestServer, origin: string): Promise<Response> {
  return server.app.fetch(API, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
}

async function postFrom(server: TestServer, origin: string, query: string): Promise<Response> {
  return server.app.fetch(API, {
    method: "POST",
    headers: { origin, "content-type": "application/json", authorization: `Bearer ${TEST_API_KEY}` },
    body: JSON.stringify({ query }),
  });
}

async function graphiqlPage(server: TestServer, headers: Record<string, string>): Promise<Response> {
  return server.app.fetch(API, { headers: { accept: "text/html", ...headers } });
}

function corsHeaders(response: Response) {
  return {
    origin: response.headers.get("access-control-allow-origin"),
    credentials: response.headers.get("access-control-allow-credentials"),
  };
}

const NO_CORS = { origin: null, credentials: null };

/** Requests a browser sends for a page of another origin: a fetch (Origin) or a frame/navigation (Sec-Fetch-Site). */
const CROSS_ORIGIN_PAGE_REQUESTS: Record<string, string>[] = [
  { origin: FOREIGN },
  { origin: LISTED },
  { origin: "null" },
  { origin: FOREIGN, "sec-fetch-site": "cross-site" },
  { "sec-fetch-site": "cross-site" },
  { "sec-fetch-site": "same-site" },
];

describe.each([
  ["by default", {}],
  ["with CORS_ORIGINS", { CORS_ORIGINS: `${LISTED}, https://other.example` }],
])("CORS and GraphiQL %s", (_name, env: Record<string, string>) => {
  const listed = "CORS_ORIGINS" in env;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env, graphiqlHeaders: { authorization: `Bearer ${TEST_API_KEY}` } });
  });
  afterAll(() => server.close());

  it("sends an unlisted origin no access-control-allow-origin nor credentials: preflight, GET, POST", async () => {
    expect(corsHeaders(await preflight(server, FOREIGN))).toEqual(NO_CORS);
    const get = await server.app.fetch(`${API}?query=${encodeURIComponent("{ thingCount }")}`, {
      headers: { origin: FOREIGN, accept: "application/json" },
    });
    expect(corsHeaders(get)).toEqual(NO_CORS);
    expect(corsHeaders(await postFrom(server, FOREIGN, "{ thingCount }"))).toEqual(NO_CORS);
  });

  it(`gives a listed origin access-control-allow-origin, never credentials${listed ? "" : " (none is)"}`, async () => {
    const [id] = await server.seed(["deleted by the listed page"]);
    const expected = listed ? { origin: LISTED, credentials: null } : NO_CORS;
    expect(corsHeaders(await preflight(server, LISTED))).toEqual(expected);
    const post = await postFrom(server, LISTED, `mutation { deleteThings(ids: ["${id}"]) { deletedCount } }`);
    expect(corsHeaders(post)).toEqual(expected);
    expect(await post.json()).toEqual({ data: { deleteThings: { deletedCount: 1 } } });
    expect(await server.things()).toEqual([]);
  });

  it.each(CROSS_ORIGIN_PAGE_REQUESTS)("refuses GraphiQL and its key to a cross-origin request %o", async (headers) => {
    const response = await graphiqlPage(server, headers);
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    const body = await response.text();
    expect(body).not.toContain(TEST_API_KEY);
    expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: "CROSS_ORIGIN" } }] });
  });

  it.each<Record<string, string>>([
    {},
    { "sec-fetch-site": "none" },
    { "sec-fetch-site": "same-origin" },
    { origin: "http://127.0.0.1:4000", "sec-fetch-site": "same-origin" },
  ])("serves GraphiQL with the key, uncached, to its own origin (%o)", async (headers) => {
    const response = await graphiqlPage(server, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toContain(TEST_API_KEY);
  });
});
