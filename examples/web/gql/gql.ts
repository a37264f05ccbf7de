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
    "fragment InboxThing on Thing {\n  id\n  text\n}\n\nquery Inbox($first: Int!, $after: String, $filter: ThingFilter) {\n  things(first: $first, after: $after, filter: $filter, orderBy: ID_DESC) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...InboxThing\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nfragment TrashedSelection on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n  deletion {\n    id\n    count\n  }\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids, undoable: true) {\n    ...TrashedSelection\n  }\n}\n\nmutation DeleteMatching($where: ThingWhere!, $atMost: Int!) {\n  deleteThingsWhere(where: $where, atMost: $atMost, undoable: true) {\n    ...TrashedSelection\n  }\n}\n\nmutation UndoDelete($deletionId: ID!) {\n  undoDelete(deletionId: $deletionId) {\n    restoredCount\n    restoredIds\n  }\n}\n\nquery Trash($first: Int!, $after: String) {\n  trash(first: $first, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        text\n        deletion {\n          id\n          deletedAt\n          deletedBy\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation RestoreThings($ids: [ID!]!) {\n  restoreThings(ids: $ids) {\n    restoredCount\n    restoredIds\n  }\n}\n\nmutation PurgeThings($ids: [ID!]!) {\n  purgeThings(ids: $ids) {\n    purgedCount\n    purgedIds\n  }\n}\n\nmutation EmptyTrash($expectedCount: Int!) {\n  emptyTrash(expectedCount: $expectedCount) {\n    purgedCount\n  }\n}\n\nsubscription ThingsChanged {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": typeof types.InboxThingFragmentDoc,
};
const documents: Documents = {
    "fragment InboxThing on Thing {\n  id\n  text\n}\n\nquery Inbox($first: Int!, $after: String, $filter: ThingFilter) {\n  things(first: $first, after: $after, filter: $filter, orderBy: ID_DESC) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...InboxThing\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nfragment TrashedSelection on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n  deletion {\n    id\n    count\n  }\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids, undoable: true) {\n    ...TrashedSelection\n  }\n}\n\nmutation DeleteMatching($where: ThingWhere!, $atMost: Int!) {\n  deleteThingsWhere(where: $where, atMost: $atMost, undoable: true) {\n    ...TrashedSelection\n  }\n}\n\nmutation UndoDelete($deletionId: ID!) {\n  undoDelete(deletionId: $deletionId) {\n    restoredCount\n    restoredIds\n  }\n}\n\nquery Trash($first: Int!, $after: String) {\n  trash(first: $first, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        text\n        deletion {\n          id\n          deletedAt\n          deletedBy\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation RestoreThings($ids: [ID!]!) {\n  restoreThings(ids: $ids) {\n    restoredCount\n    restoredIds\n  }\n}\n\nmutation PurgeThings($ids: [ID!]!) {\n  purgeThings(ids: $ids) {\n    purgedCount\n    purgedIds\n  }\n}\n\nmutation EmptyTrash($expectedCount: Int!) {\n  emptyTrash(expectedCount: $expectedCount) {\n    purgedCount\n  }\n}\n\nsubscription ThingsChanged {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": types.InboxThingFragmentDoc,
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
export function graphql(source: "fragment InboxThing on Thing {\n  id\n  text\n}\n\nquery Inbox($first: Int!, $after: String, $filter: ThingFilter) {\n  things(first: $first, after: $after, filter: $filter, orderBy: ID_DESC) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...InboxThing\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nfragment TrashedSelection on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n  deletion {\n    id\n    count\n  }\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids, undoable: true) {\n    ...TrashedSelection\n  }\n}\n\nmutation DeleteMatching($where: ThingWhere!, $atMost: Int!) {\n  deleteThingsWhere(where: $where, atMost: $atMost, undoable: true) {\n    ...TrashedSelection\n  }\n}\n\nmutation UndoDelete($deletionId: ID!) {\n  undoDelete(deletionId: $deletionId) {\n    restoredCount\n    restoredIds\n  }\n}\n\nquery Trash($first: Int!, $after: String) {\n  trash(first: $first, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        text\n        deletion {\n          id\n          deletedAt\n          deletedBy\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation RestoreThings($ids: [ID!]!) {\n  restoreThings(ids: $ids) {\n    restoredCount\n    restoredIds\n  }\n}\n\nmutation PurgeThings($ids: [ID!]!) {\n  purgeThings(ids: $ids) {\n    purgedCount\n    purgedIds\n  }\n}\n\nmutation EmptyTrash($expectedCount: Int!) {\n  emptyTrash(expectedCount: $expectedCount) {\n    purgedCount\n  }\n}\n\nsubscription ThingsChanged {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"): (typeof documents)["fragment InboxThing on Thing {\n  id\n  text\n}\n\nquery Inbox($first: Int!, $after: String, $filter: ThingFilter) {\n  things(first: $first, after: $after, filter: $filter, orderBy: ID_DESC) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...InboxThing\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nfragment TrashedSelection on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n  deletion {\n    id\n    count\n  }\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids, undoable: true) {\n    ...TrashedSelection\n  }\n}\n\nmutation DeleteMatching($where: ThingWhere!, $atMost: Int!) {\n  deleteThingsWhere(where: $where, atMost: $atMost, undoable: true) {\n    ...TrashedSelection\n  }\n}\n\nmutation UndoDelete($deletionId: ID!) {\n  undoDelete(deletionId: $deletionId) {\n    restoredCount\n    restoredIds\n  }\n}\n\nquery Trash($first: Int!, $after: String) {\n  trash(first: $first, after: $after) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        text\n        deletion {\n          id\n          deletedAt\n          deletedBy\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation RestoreThings($ids: [ID!]!) {\n  restoreThings(ids: $ids) {\n    restoredCount\n    restoredIds\n  }\n}\n\nmutation PurgeThings($ids: [ID!]!) {\n  purgeThings(ids: $ids) {\n    purgedCount\n    purgedIds\n  }\n}\n\nmutation EmptyTrash($expectedCount: Int!) {\n  emptyTrash(expectedCount: $expectedCount) {\n    purgedCount\n  }\n}\n\nsubscription ThingsChanged {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;