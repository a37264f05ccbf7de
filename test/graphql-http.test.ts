// GraphQL over HTTP conformance: the graphql-http audit suite against the server on a real port. Every MUST and
// every SHOULD audit passes; a SHOULD that ever cannot pass must be listed in the README with its reason before
// it is excluded here. MAY audits are recommendations only and are not asserted.
import { serverAudits } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type HttpTestServer } from "./support/server.ts";

let server: HttpTestServer;
beforeAll(async () => {
  server = await startHttpServer();
});
afterAll(() => server.close());

describe("GraphQL over HTTP audits (graphql-http)", () => {
  // The URL is read when an audit runs, after beforeAll has started the server.
  const required = serverAudits({ url: () => server.url }).filter((audit) => !audit.name.startsWith("MAY "));

  it.each(required.map((audit) => [audit.name, audit] as const))("%s", async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === "ok" ? "ok" : `${result.status}: ${result.reason}`).toBe("ok");
  });
});
