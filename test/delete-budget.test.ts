// The delete budget (MAX_DELETE_IDS per request): every Mutation field declares how many rows it may remove, and
// the budget sums those declarations over the fields a request will really run, on their coerced arguments.
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, type GraphQLFieldExtensions } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deleteBudgetPlugin } from "../src/plugins/use-delete-budget.ts";
import { DELETES_NOTHING } from "../src/schema/delete-budget.ts";
import { schema } from "../src/schema/index.ts";
import { dataStatements, startTestServer, type TestServer } from "./support/server.ts";

const MAX = 10;

/** The app's schema with one more Mutation field, as a new delete field would add it. */
function withMutationField(name: string, extensions?: GraphQLFieldExtensions<unknown, unknown>): GraphQLSchema {
  const config = schema.toConfig();
  const mutation = schema.getMutationType()!.toConfig();
  return new GraphQLSchema({
    ...config,
    types: config.types.filter((type) => type.name !== mutation.name),
    mutation: new GraphQLObjectType({
      ...mutation,
      fields: { ...mutation.fields, [name]: { type: GraphQLInt, extensions } },
    }),
  });
}

describe("delete budget declarations", () => {
  it("refuses, at app creation, a Mutation field that declares no delete budget", () => {
    expect(() => deleteBudgetPlugin(withMutationField("purgeThings"), MAX)).toThrow(/purgeThings/);
  });

  it("does not take a look-alike plain object in extensions for a declaration", () => {
    const forged = { deleteBudget: { rowsAtMost: () => 0 } };
    expect(() => deleteBudgetPlugin(withMutationField("purgeThings", forged), MAX)).toThrow(/purgeThings/);
  });

  it("accepts the app's schema, and a new field declaring that it deletes nothing", () => {
    expect(() => deleteBudgetPlugin(schema, MAX)).not.toThrow();
    expect(() => deleteBudgetPlugin(withMutationField("touchThings", DELETES_NOTHING), MAX)).not.toThrow();
  });
});

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: MAX });
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.clear();
  server.sql.length = 0;
});

/** Seeds `count` Things and returns their ids as the API spells them. */
const seedIds = async (count: number) =>
  (await server.seed(Array.from({ length: count }, (_, i) => `thing ${i}`))).map(String);

const TWO_DELETES = `mutation TwoDeletes($a: [ID!]!, $b: [ID!]!, $d: Boolean! = true) {
  a: deleteThings(ids: $a, dryRun: $d) { deletedCount dryRun }
  b: deleteThings(ids: $b, dryRun: $d) { deletedCount dryRun }
}`;

describe("the delete budget on coerced arguments", () => {
  it("allows aliased deletes over MAX_DELETE_IDS that a variable default makes dry runs, deleting none", async () => {
    const ids = await seedIds(12);
    server.sql.length = 0;
    const result = await server.post({ query: TWO_DELETES, variables: { a: ids.slice(0, 6), b: ids.slice(6) } });
    expect(result.errors).toBeUndefined();
    const dryRun = { deletedCount: 0, dryRun: true };
    expect(result.data).toEqual({ a: dryRun, b: dryRun });
    expect(dataStatements(server.sql).some((sql) => sql.startsWith("DELETE"))).toBe(false);
    expect(await server.things()).toHaveLength(12);
  });

  it("refuses the same aliased deletes when they do delete, before any SQL", async () => {
    const ids = await seedIds(12);
    server.sql.length = 0;
    const variables = { a: ids.slice(0, 6), b: ids.slice(6), d: false };
    const result = await server.post({ query: TWO_DELETES, variables });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_IDS", max: MAX, requested: 12 });
    expect(server.sql).toEqual([]);
    expect(await server.things()).toHaveLength(12);
  });

  const FRAGMENTS = `mutation Fragments($a: [ID!]!, $b: [ID!]!, $skip: Boolean!) {
    ...First
    ... on Mutation { b: deleteThings(ids: $b) { deletedCount } }
    c: deleteThings(ids: $b) @skip(if: $skip) { deletedCount }
  }
  fragment First on Mutation { a: deleteThings(ids: $a) { deletedCount } }`;

  it("counts delete fields in fragments and inline fragments, but not one that @skip leaves out", async () => {
    const ids = await seedIds(12);
    server.sql.length = 0;
    const overBudget = { a: ids.slice(0, 6), b: ids.slice(6), skip: true };
    const refused = await server.post({ query: FRAGMENTS, variables: overBudget });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "TOO_MANY_IDS", requested: 12 });
    expect(server.sql).toEqual([]);

    const withinBudget = { a: ids.slice(0, 4), b: ids.slice(4, 8), skip: true };
    const allowed = await server.post({ query: FRAGMENTS, variables: withinBudget });
    expect(allowed.data).toEqual({ a: { deletedCount: 4 }, b: { deletedCount: 4 } });
    expect((await server.things()).map((thing) => String(thing.id))).toEqual(ids.slice(8));
  });
});
