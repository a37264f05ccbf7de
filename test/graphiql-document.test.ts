import { Kind, parse, validate, type OperationDefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphiqlDocument } from "../src/http/graphiql.ts";
import { schema } from "../src/schema/index.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

describe("GraphiQL default document", () => {
  const document = parse(graphiqlDocument);
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );

  it("is valid against the schema", () => {
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });

  it("tells the whole story as named operations, in order", () => {
    expect(operations.map((operation) => `${operation.operation} ${operation.name?.value}`)).toEqual([
      "query ListThings",
      "mutation CreateThings",
      "mutation DeleteThingsDryRun",
      "mutation DeleteThings",
      "mutation DeleteThingsWhere",
      "mutation DeleteAllThings",
      "subscription ThingsDeleted",
    ]);
  });

  it("needs no variables, so every operation runs with one click", () => {
    expect(operations.filter((operation) => (operation.variableDefinitions ?? []).length > 0)).toEqual([]);
  });
});

describe("GraphiQL page", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("loads nothing from another host: scripts, styles, editor workers and favicon are inlined", async () => {
    const response = await server.app.fetch("http://yoga/graphql", { headers: { accept: "text/html" } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("<title>Things batch-delete API</title>");
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|githubusercontent/);
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="?https?:/);
  });
});
