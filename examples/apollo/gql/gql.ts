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
    "fragment ThingFields on Thing {\n  id\n  text\n}\n\nfragment ThingsListFields on Query {\n  thingCount(filter: $filter)\n  things(first: $first, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    edges {\n      node {\n        ...ThingFields\n      }\n    }\n  }\n}\n\nfragment DeletedThings on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n}\n\nquery ThingsList($first: Int!, $filter: ThingFilter, $orderBy: ThingOrder) {\n  ...ThingsListFields\n}\n\nquery ThingsByIds($ids: [ID!]!) {\n  things(filter: {idIn: $ids}, first: 50) {\n    edges {\n      node {\n        ...ThingFields\n      }\n    }\n  }\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n  }\n}\n\nmutation DeleteSelectionAndRefetch($ids: [ID!]!, $first: Int!, $filter: ThingFilter, $orderBy: ThingOrder) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n    query {\n      ...ThingsListFields\n    }\n  }\n}\n\nmutation DeleteSelectionUndoable($ids: [ID!]!) {\n  deleteThings(ids: $ids, undoable: true) {\n    ...DeletedThings\n    deletion {\n      id\n      count\n      restorableUntil\n    }\n  }\n}\n\nmutation UndoDeletion($deletionId: ID!) {\n  undoDelete(deletionId: $deletionId) {\n    restoredCount\n    restoredIds\n    notRestoredIds\n  }\n}\n\nsubscription ThingsChangedEvents {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": typeof types.ThingFieldsFragmentDoc,
};
const documents: Documents = {
    "fragment ThingFields on Thing {\n  id\n  text\n}\n\nfragment ThingsListFields on Query {\n  thingCount(filter: $filter)\n  things(first: $first, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    edges {\n      node {\n        ...ThingFields\n      }\n    }\n  }\n}\n\nfragment DeletedThings on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n}\n\nquery ThingsList($first: Int!, $filter: ThingFilter, $orderBy: ThingOrder) {\n  ...ThingsListFields\n}\n\nquery ThingsByIds($ids: [ID!]!) {\n  things(filter: {idIn: $ids}, first: 50) {\n    edges {\n      node {\n        ...ThingFields\n      }\n    }\n  }\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n  }\n}\n\nmutation DeleteSelectionAndRefetch($ids: [ID!]!, $first: Int!, $filter: ThingFilter, $orderBy: ThingOrder) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n    query {\n      ...ThingsListFields\n    }\n  }\n}\n\nmutation DeleteSelectionUndoable($ids: [ID!]!) {\n  deleteThings(ids: $ids, undoable: true) {\n    ...DeletedThings\n    deletion {\n      id\n      count\n      restorableUntil\n    }\n  }\n}\n\nmutation UndoDeletion($deletionId: ID!) {\n  undoDelete(deletionId: $deletionId) {\n    restoredCount\n    restoredIds\n    notRestoredIds\n  }\n}\n\nsubscription ThingsChangedEvents {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}": types.ThingFieldsFragmentDoc,
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
export function graphql(source: "fragment ThingFields on Thing {\n  id\n  text\n}\n\nfragment ThingsListFields on Query {\n  thingCount(filter: $filter)\n  things(first: $first, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    edges {\n      node {\n        ...ThingFields\n      }\n    }\n  }\n}\n\nfragment DeletedThings on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n}\n\nquery ThingsList($first: Int!, $filter: ThingFilter, $orderBy: ThingOrder) {\n  ...ThingsListFields\n}\n\nquery ThingsByIds($ids: [ID!]!) {\n  things(filter: {idIn: $ids}, first: 50) {\n    edges {\n      node {\n        ...ThingFields\n      }\n    }\n  }\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n  }\n}\n\nmutation DeleteSelectionAndRefetch($ids: [ID!]!, $first: Int!, $filter: ThingFilter, $orderBy: ThingOrder) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n    query {\n      ...ThingsListFields\n    }\n  }\n}\n\nmutation DeleteSelectionUndoable($ids: [ID!]!) {\n  deleteThings(ids: $ids, undoable: true) {\n    ...DeletedThings\n    deletion {\n      id\n      count\n      restorableUntil\n    }\n  }\n}\n\nmutation UndoDeletion($deletionId: ID!) {\n  undoDelete(deletionId: $deletionId) {\n    restoredCount\n    restoredIds\n    notRestoredIds\n  }\n}\n\nsubscription ThingsChangedEvents {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"): (typeof documents)["fragment ThingFields on Thing {\n  id\n  text\n}\n\nfragment ThingsListFields on Query {\n  thingCount(filter: $filter)\n  things(first: $first, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    edges {\n      node {\n        ...ThingFields\n      }\n    }\n  }\n}\n\nfragment DeletedThings on DeleteThingsPayload {\n  deletedCount\n  deletedIds\n  notFoundIds\n  dryRun\n}\n\nquery ThingsList($first: Int!, $filter: ThingFilter, $orderBy: ThingOrder) {\n  ...ThingsListFields\n}\n\nquery ThingsByIds($ids: [ID!]!) {\n  things(filter: {idIn: $ids}, first: 50) {\n    edges {\n      node {\n        ...ThingFields\n      }\n    }\n  }\n}\n\nmutation DeleteSelection($ids: [ID!]!) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n  }\n}\n\nmutation DeleteSelectionAndRefetch($ids: [ID!]!, $first: Int!, $filter: ThingFilter, $orderBy: ThingOrder) {\n  deleteThings(ids: $ids) {\n    ...DeletedThings\n    query {\n      ...ThingsListFields\n    }\n  }\n}\n\nmutation DeleteSelectionUndoable($ids: [ID!]!) {\n  deleteThings(ids: $ids, undoable: true) {\n    ...DeletedThings\n    deletion {\n      id\n      count\n      restorableUntil\n    }\n  }\n}\n\nmutation UndoDeletion($deletionId: ID!) {\n  undoDelete(deletionId: $deletionId) {\n    restoredCount\n    restoredIds\n    notRestoredIds\n  }\n}\n\nsubscription ThingsChangedEvents {\n  thingsChanged {\n    kind\n    ids\n    count\n    allThings\n    truncated\n    at\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;