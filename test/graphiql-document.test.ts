import { Kind, parse, validate, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphiqlDocument } from "../src/http/graphiql.ts";
import { schema } from "../src/schema/index.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

/** The operations of a document, as "subscription ThingsDeleted". */
const operationsOf = (document: DocumentNode) =>
  document.definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => `${operation.operation} ${operation.name?.value}`);

describe("GraphiQL default document", () => {
  const document = parse(graphiqlDocument);
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );

  it("is valid against the schema", () => {
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  });

  it("tells the whole story as named operations, in order", () => {
    expect(operationsOf(document)).toEqual([
      "query ListThings",
      "mutation CreateThings",
      "mutation DeleteThingsDryRun",
      "mutation DeleteThingsUndoable",
      "query Trash",
      "mutation UndoDelete",
      "mutation DeleteThings",
      "mutation DeleteThingsWhere",
      "mutation RestoreThings",
      "mutation EmptyTrash",
      "mutation DeleteAllThings",
      "subscription ThingsChanged",
      "subscription ThingsDeleted",
    ]);
  });

  it("assumes no particular ids: the only variables are the ids and the deletion id the steps before returned", () => {
    const variables = operations.flatMap((operation) =>
      (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value),
    );
    expect(new Set(variables)).toEqual(new Set(["ids", "deletionId"]));
    expect(graphiqlDocument).not.toMatch(/ids: \["/);
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

  it("sends /graphql?watch to GraphiQL's own ?query= address with the ThingsChanged subscription alone", async () => {
    const response = await server.app.fetch("http://yoga/graphql?watch", {
      headers: { accept: "text/html" },
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location") ?? "", "http://yoga");
    expect(location.pathname).toBe("/graphql");
    expect(operationsOf(parse(location.searchParams.get("query") ?? ""))).toEqual(["subscription ThingsChanged"]);
  });

  it("answers ?watch from a page of another origin with 403 CROSS_ORIGIN, as the page itself", async () => {
    const response = await server.app.fetch("http://yoga/graphql?watch", {
      headers: { accept: "text/html", "sec-fetch-site": "cross-site" },
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect(JSON.stringify(await response.json())).toContain("CROSS_ORIGIN");
  });
});
