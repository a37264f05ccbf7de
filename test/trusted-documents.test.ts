// Trusted documents: the examples' documents by hash (graphql-over-http's documentId, or Apollo's persistedQuery),
// and TRUSTED_DOCUMENTS_ONLY=true, which refuses every other document unless the token has things:any-document.
import { readFileSync } from "node:fs";
import { print } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeleteSelectionDocument, ThingsListDocument } from "../examples/apollo/gql/graphql.ts";
import { trustedHashOf } from "../examples/apollo/trusted-documents.ts";
import { InboxDocument } from "../examples/web/gql/graphql.ts";
import { TRUSTED_OPERATION_NAMES, trustedDocument } from "../src/trusted-documents/index.ts";
import { DeleteThingsDocument, ThingCountDocument } from "./gql/graphql.ts";
import {
  startTestServer,
  TEST_API_KEY,
  TRUSTED_CLIENT_API_KEY,
  type GraphQLResponse,
  type TestServer,
} from "./support/server.ts";

/** What codegen wrote for a client: `sha256:<hex>` → document. */
const persistedDocuments = (example: "apollo" | "web") =>
  JSON.parse(readFileSync(`examples/${example}/gql/persisted-documents.json`, "utf8")) as Record<string, string>;

const documentIdOf = (document: object) => (document as { __meta__: { hash: string } }).__meta__.hash;

describe("the server's trusted documents", () => {
  it("are exactly the documents codegen persisted for the examples, under the same hashes", () => {
    for (const [id, document] of Object.entries({ ...persistedDocuments("apollo"), ...persistedDocuments("web") })) {
      expect(trustedDocument(id)).toBe(document);
    }
    expect(trustedDocument(documentIdOf(InboxDocument))).toContain("query Inbox(");
    expect(trustedDocument("sha256:" + "0".repeat(64))).toBeUndefined();
  });

  it("name the examples' operations, and only those", () => {
    const names = [...Object.values(persistedDocuments("apollo")), ...Object.values(persistedDocuments("web"))].map(
      (document) => /(?:query|mutation|subscription) (\w+)/.exec(document)?.[1],
    );
    expect([...TRUSTED_OPERATION_NAMES].sort()).toEqual([...new Set(names)].sort());
    expect(TRUSTED_OPERATION_NAMES.has("DeleteThings")).toBe(false);
  });
});

describe.each<{ mode: string; env: Record<string, string> }>([
  { mode: "TRUSTED_DOCUMENTS_ONLY=true", env: { TRUSTED_DOCUMENTS_ONLY: "true" } },
  { mode: "by default", env: {} },
])("a document named by hash, $mode", ({ env }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env });
  });
  afterAll(() => server.close());
  beforeEach(() => server.clear());

  it("runs by graphql-over-http's documentId", async () => {
    const [a, b, c] = (await server.seed(["a", "b", "c"])).map(String);
    const result = (await server.post(
      { documentId: documentIdOf(DeleteSelectionDocument), variables: { ids: [a, c] } },
      { token: TRUSTED_CLIENT_API_KEY },
    )) as GraphQLResponse<{ deleteThings: { deletedIds: string[] } }>;
    expect(result.errors).toBeUndefined();
    expect(result.data?.deleteThings.deletedIds).toEqual([a, c]);
    expect((await server.things()).map((thing) => String(thing.id))).toEqual([b]);
  });

  it("runs by Apollo's persistedQuery extension", async () => {
    await server.seed(["a", "b"]);
    const result = await server.post(
      {
        operationName: "ThingsList",
        variables: { first: 10 },
        extensions: { persistedQuery: { version: 1, sha256Hash: trustedHashOf(ThingsListDocument) } },
      },
      { token: TRUSTED_CLIENT_API_KEY },
    );
    expect(result).toMatchObject({ status: 200, data: { thingCount: 2 } });
  });

  it("answers an unknown hash with PERSISTED_QUERY_NOT_FOUND (HTTP 400), before any SQL", async () => {
    await server.seed(["a"]);
    server.sql.length = 0;
    const result = await server.post({ documentId: "sha256:" + "0".repeat(64), variables: { ids: ["1"] } });
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["PERSISTED_QUERY_NOT_FOUND"]);
    expect(server.sql).toEqual([]);
    expect(await server.things()).toHaveLength(1);
  });
});

describe("TRUSTED_DOCUMENTS_ONLY=true", () => {
  let server: TestServer;
  let authentications: Request[];
  beforeAll(async () => {
    server = await startTestServer({
      env: { TRUSTED_DOCUMENTS_ONLY: "true" },
      onAuthenticate: (request) => authentications.push(request),
    });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.clear();
    server.sql.length = 0;
    authentications = [];
  });

  it("refuses a document sent in full with TRUSTED_DOCUMENT_REQUIRED (HTTP 400), before any SQL", async () => {
    const [id] = (await server.seed(["keep"])).map(String);
    server.sql.length = 0;
    const attempts = [
      server.execute(DeleteThingsDocument, { ids: [id!] }, { token: TRUSTED_CLIENT_API_KEY }),
      // Even a trusted document's own text: what is trusted is the hash, which the server looks up.
      server.post(
        { query: print(DeleteSelectionDocument), variables: { ids: [id] } },
        { token: TRUSTED_CLIENT_API_KEY },
      ),
      server.execute(ThingCountDocument, {}, { token: null }),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.status).toBe(400);
      expect(result.data).toBeUndefined();
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["TRUSTED_DOCUMENT_REQUIRED"]);
    }
    expect(server.sql).toEqual([]);
    expect((await server.things()).map((thing) => String(thing.id))).toEqual([id]);
  });

  it("answers the refusal with HTTP 200 to a client that accepts only application/json, as graphql-over-http says", async () => {
    const response = await server.app.fetch("http://yoga/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        authorization: `Bearer ${TRUSTED_CLIENT_API_KEY}`,
      },
      body: JSON.stringify({ query: print(ThingCountDocument) }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: "TRUSTED_DOCUMENT_REQUIRED" } }] });
  });

  it("lets a token with things:any-document send any document, authenticating the request once", async () => {
    const [a, b] = (await server.seed(["a", "b"])).map(String);
    const result = await server.execute(DeleteThingsDocument, { ids: [a!] }, { token: TEST_API_KEY });
    expect(result.errors).toBeUndefined();
    expect(result.data?.deleteThings.deletedCount).toBe(1);
    expect((await server.things()).map((thing) => String(thing.id))).toEqual([b]);
    expect(authentications).toHaveLength(1);
  });

  it("still answers an invalid token with UNAUTHENTICATED, not as a missing trusted document", async () => {
    const result = await server.execute(ThingCountDocument, {}, { token: "not-a-key-of-this-server" });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(server.sql).toEqual([]);
  });
});
