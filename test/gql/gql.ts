/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation DeleteThingsDetailed($ids: [ID!]!, $dryRun: Boolean! = false) {\n  deleteThings(ids: $ids, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    notFoundIds\n    dryRun\n    query {\n      thingCount\n    }\n  }\n}\n\nmutation DeleteThingsWhere($where: ThingWhere!, $atMost: Int!, $dryRun: Boolean! = false) {\n  deleteThingsWhere(where: $where, atMost: $atMost, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    notFoundIds\n    dryRun\n  }\n}\n\nmutation DeleteAllThings($expectedCount: Int!, $dryRun: Boolean! = false) {\n  deleteAllThings(expectedCount: $expectedCount, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    dryRun\n  }\n}\n\nmutation DeleteAllThingsCount($expectedCount: Int!) {\n  deleteAllThings(expectedCount: $expectedCount) {\n    deletedCount\n  }\n}\n\nsubscription ThingsDeleted {\n  thingsDeleted {\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": typeof types.DeleteThingsDetailedDocument,
    "subscription ThingsChanged {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": typeof types.ThingsChangedDocument,
    "query ThingsPage($first: Int, $after: String) {\n  things(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        text\n      }\n    }\n  }\n}\n\nquery ThingCount {\n  thingCount\n}\n\nquery ThingById($id: ID!) {\n  thing(id: $id) {\n    id\n    text\n  }\n}\n\nmutation CreateThing($text: String!) {\n  createThing(text: $text) {\n    id\n    text\n  }\n}\n\nmutation CreateThings($texts: [String!]!) {\n  createThings(texts: $texts) {\n    count\n    things {\n      id\n      text\n    }\n  }\n}\n\nmutation DeleteThings($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    deletedCount\n  }\n}\n\nquery ThingsPageBefore($last: Int, $before: String) {\n  things(last: $last, before: $before) {\n    edges {\n      node {\n        id\n      }\n    }\n  }\n}": typeof types.ThingsPageDocument,
};
const documents: Documents = {
    "mutation DeleteThingsDetailed($ids: [ID!]!, $dryRun: Boolean! = false) {\n  deleteThings(ids: $ids, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    notFoundIds\n    dryRun\n    query {\n      thingCount\n    }\n  }\n}\n\nmutation DeleteThingsWhere($where: ThingWhere!, $atMost: Int!, $dryRun: Boolean! = false) {\n  deleteThingsWhere(where: $where, atMost: $atMost, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    notFoundIds\n    dryRun\n  }\n}\n\nmutation DeleteAllThings($expectedCount: Int!, $dryRun: Boolean! = false) {\n  deleteAllThings(expectedCount: $expectedCount, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    dryRun\n  }\n}\n\nmutation DeleteAllThingsCount($expectedCount: Int!) {\n  deleteAllThings(expectedCount: $expectedCount) {\n    deletedCount\n  }\n}\n\nsubscription ThingsDeleted {\n  thingsDeleted {\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": types.DeleteThingsDetailedDocument,
    "subscription ThingsChanged {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": types.ThingsChangedDocument,
    "query ThingsPage($first: Int, $after: String) {\n  things(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        text\n      }\n    }\n  }\n}\n\nquery ThingCount {\n  thingCount\n}\n\nquery ThingById($id: ID!) {\n  thing(id: $id) {\n    id\n    text\n  }\n}\n\nmutation CreateThing($text: String!) {\n  createThing(text: $text) {\n    id\n    text\n  }\n}\n\nmutation CreateThings($texts: [String!]!) {\n  createThings(texts: $texts) {\n    count\n    things {\n      id\n      text\n    }\n  }\n}\n\nmutation DeleteThings($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    deletedCount\n  }\n}\n\nquery ThingsPageBefore($last: Int, $before: String) {\n  things(last: $last, before: $before) {\n    edges {\n      node {\n        id\n      }\n    }\n  }\n}": types.ThingsPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteThingsDetailed($ids: [ID!]!, $dryRun: Boolean! = false) {\n  deleteThings(ids: $ids, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    notFoundIds\n    dryRun\n    query {\n      thingCount\n    }\n  }\n}\n\nmutation DeleteThingsWhere($where: ThingWhere!, $atMost: Int!, $dryRun: Boolean! = false) {\n  deleteThingsWhere(where: $where, atMost: $atMost, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    notFoundIds\n    dryRun\n  }\n}\n\nmutation DeleteAllThings($expectedCount: Int!, $dryRun: Boolean! = false) {\n  deleteAllThings(expectedCount: $expectedCount, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    dryRun\n  }\n}\n\nmutation DeleteAllThingsCount($expectedCount: Int!) {\n  deleteAllThings(expectedCount: $expectedCount) {\n    deletedCount\n  }\n}\n\nsubscription ThingsDeleted {\n  thingsDeleted {\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"): (typeof documents)["mutation DeleteThingsDetailed($ids: [ID!]!, $dryRun: Boolean! = false) {\n  deleteThings(ids: $ids, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    notFoundIds\n    dryRun\n    query {\n      thingCount\n    }\n  }\n}\n\nmutation DeleteThingsWhere($where: ThingWhere!, $atMost: Int!, $dryRun: Boolean! = false) {\n  deleteThingsWhere(where: $where, atMost: $atMost, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    notFoundIds\n    dryRun\n  }\n}\n\nmutation DeleteAllThings($expectedCount: Int!, $dryRun: Boolean! = false) {\n  deleteAllThings(expectedCount: $expectedCount, dryRun: $dryRun) {\n    deletedCount\n    deletedIds\n    dryRun\n  }\n}\n\nmutation DeleteAllThingsCount($expectedCount: Int!) {\n  deleteAllThings(expectedCount: $expectedCount) {\n    deletedCount\n  }\n}\n\nsubscription ThingsDeleted {\n  thingsDeleted {\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription ThingsChanged {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"): (typeof documents)["subscription ThingsChanged {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ThingsPage($first: Int, $after: String) {\n  things(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        text\n      }\n    }\n  }\n}\n\nquery ThingCount {\n  thingCount\n}\n\nquery ThingById($id: ID!) {\n  thing(id: $id) {\n    id\n    text\n  }\n}\n\nmutation CreateThing($text: String!) {\n  createThing(text: $text) {\n    id\n    text\n  }\n}\n\nmutation CreateThings($texts: [String!]!) {\n  createThings(texts: $texts) {\n    count\n    things {\n      id\n      text\n    }\n  }\n}\n\nmutation DeleteThings($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    deletedCount\n  }\n}\n\nquery ThingsPageBefore($last: Int, $before: String) {\n  things(last: $last, before: $before) {\n    edges {\n      node {\n        id\n      }\n    }\n  }\n}"): (typeof documents)["query ThingsPage($first: Int, $after: String) {\n  things(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        text\n      }\n    }\n  }\n}\n\nquery ThingCount {\n  thingCount\n}\n\nquery ThingById($id: ID!) {\n  thing(id: $id) {\n    id\n    text\n  }\n}\n\nmutation CreateThing($text: String!) {\n  createThing(text: $text) {\n    id\n    text\n  }\n}\n\nmutation CreateThings($texts: [String!]!) {\n  createThings(texts: $texts) {\n    count\n    things {\n      id\n      text\n    }\n  }\n}\n\nmutation DeleteThings($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    deletedCount\n  }\n}\n\nquery ThingsPageBefore($last: Int, $before: String) {\n  things(last: $last, before: $before) {\n    edges {\n      node {\n        id\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;