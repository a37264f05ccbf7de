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
    "fragment ThingsListFields on Query {\n  thingCount\n  things(first: $first) {\n    totalCount\n    edges {\n      node {\n        id\n        text\n      }\n    }\n  }\n}\n\nfragment DeletedThings on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n}\n\nquery ThingsList($first: Int!) {\n  ...ThingsListFields\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n  }\n}\n\nmutation DeleteSelectionAndRefetch($ids: [ID!]!, $first: Int!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n    query {\n      ...ThingsListFields\n    }\n  }\n}\n\nsubscription ThingsDeletedEvents {\n  thingsDeleted {\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": typeof types.ThingsListFieldsFragmentDoc,
};
const documents: Documents = {
    "fragment ThingsListFields on Query {\n  thingCount\n  things(first: $first) {\n    totalCount\n    edges {\n      node {\n        id\n        text\n      }\n    }\n  }\n}\n\nfragment DeletedThings on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n}\n\nquery ThingsList($first: Int!) {\n  ...ThingsListFields\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n  }\n}\n\nmutation DeleteSelectionAndRefetch($ids: [ID!]!, $first: Int!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n    query {\n      ...ThingsListFields\n    }\n  }\n}\n\nsubscription ThingsDeletedEvents {\n  thingsDeleted {\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": types.ThingsListFieldsFragmentDoc,
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
export function graphql(source: "fragment ThingsListFields on Query {\n  thingCount\n  things(first: $first) {\n    totalCount\n    edges {\n      node {\n        id\n        text\n      }\n    }\n  }\n}\n\nfragment DeletedThings on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n}\n\nquery ThingsList($first: Int!) {\n  ...ThingsListFields\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n  }\n}\n\nmutation DeleteSelectionAndRefetch($ids: [ID!]!, $first: Int!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n    query {\n      ...ThingsListFields\n    }\n  }\n}\n\nsubscription ThingsDeletedEvents {\n  thingsDeleted {\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"): (typeof documents)["fragment ThingsListFields on Query {\n  thingCount\n  things(first: $first) {\n    totalCount\n    edges {\n      node {\n        id\n        text\n      }\n    }\n  }\n}\n\nfragment DeletedThings on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n}\n\nquery ThingsList($first: Int!) {\n  ...ThingsListFields\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n  }\n}\n\nmutation DeleteSelectionAndRefetch($ids: [ID!]!, $first: Int!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n    query {\n      ...ThingsListFields\n    }\n  }\n}\n\nsubscription ThingsDeletedEvents {\n  thingsDeleted {\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;