/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Which Things to list or count; every field given must match, and no field (or no filter) matches every Thing. Matches exactly what ThingWhere with the same fields deletes. */
export type ThingFilter = {
  /** Id is one of these; at most MAX_DELETE_IDS ids. */
  idIn?: Array<string> | null | undefined;
  /** Text contains this substring: case-sensitive, `%` and `_` are plain characters. "" matches every Thing. */
  textContains?: string | null | undefined;
  /** Text equals this exactly. */
  textEquals?: string | null | undefined;
};

/** Which Things to delete; every field given must match. At least one field is required. */
export type ThingWhere = {
  /** Id is one of these. */
  idIn?: Array<string> | null | undefined;
  /** Text contains this substring (case-sensitive, not empty). */
  textContains?: string | null | undefined;
  /** Text equals this exactly. */
  textEquals?: string | null | undefined;
};

/** What a committed call did to the Things it lists. */
export type ThingsChangeKind =
  /** createThing or createThings added these Things. */
  | 'CREATED'
  /** A delete removed these Things for good. */
  | 'DELETED'
  /** These Things were removed from the trash for good. */
  | 'PURGED'
  /** These Things came back from the trash. */
  | 'RESTORED'
  /** An undoable delete moved these Things to the trash. */
  | 'TRASHED';

export type InboxThingFragment = { __typename: 'Thing', id: string, text: string };

export type InboxQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ThingFilter | null | undefined;
}>;


export type InboxQuery = { __typename: 'Query', things: { __typename: 'QueryThingsConnection', totalCount: number, edges: Array<{ __typename: 'QueryThingsConnectionEdge', cursor: string, node: { __typename: 'Thing', id: string, text: string } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type TrashedSelectionFragment = { __typename: 'DeleteThingsPayload', deletedCount: number, deletedIds: Array<string>, notFoundIds: Array<string>, dryRun: boolean, deletion: { __typename: 'Deletion', id: string, count: number } | null };

export type DeleteSelectionMutationVariables = Exact<{
  ids: Array<string> | string;
}>;


export type DeleteSelectionMutation = { __typename: 'Mutation', deleteThings: { __typename: 'DeleteThingsPayload', deletedCount: number, deletedIds: Array<string>, notFoundIds: Array<string>, dryRun: boolean, deletion: { __typename: 'Deletion', id: string, count: number } | null } };

export type DeleteMatchingMutationVariables = Exact<{
  where: ThingWhere;
  atMost: number;
}>;


export type DeleteMatchingMutation = { __typename: 'Mutation', deleteThingsWhere: { __typename: 'DeleteThingsPayload', deletedCount: number, deletedIds: Array<string>, notFoundIds: Array<string>, dryRun: boolean, deletion: { __typename: 'Deletion', id: string, count: number } | null } };

export type UndoDeleteMutationVariables = Exact<{
  deletionId: string;
}>;


export type UndoDeleteMutation = { __typename: 'Mutation', undoDelete: { __typename: 'RestoreThingsPayload', restoredCount: number, restoredIds: Array<string> } };

export type TrashQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type TrashQuery = { __typename: 'Query', trash: { __typename: 'QueryTrashConnection', totalCount: number, edges: Array<{ __typename: 'QueryTrashConnectionEdge', cursor: string, node: { __typename: 'TrashedThing', id: string, text: string, deletion: { __typename: 'Deletion', id: string, deletedAt: string, deletedBy: string } } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type RestoreThingsMutationVariables = Exact<{
  ids: Array<string> | string;
}>;


export type RestoreThingsMutation = { __typename: 'Mutation', restoreThings: { __typename: 'RestoreThingsPayload', restoredCount: number, restoredIds: Array<string> } };

export type PurgeThingsMutationVariables = Exact<{
  ids: Array<string> | string;
}>;


export type PurgeThingsMutation = { __typename: 'Mutation', purgeThings: { __typename: 'PurgeThingsPayload', purgedCount: number, purgedIds: Array<string> } };

export type EmptyTrashMutationVariables = Exact<{
  expectedCount: number;
}>;


export type EmptyTrashMutation = { __typename: 'Mutation', emptyTrash: { __typename: 'PurgeThingsPayload', purgedCount: number } };

export type ThingsChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ThingsChangedSubscription = { thingsChanged: { __typename: 'ThingsChangedEvent', kind: ThingsChangeKind, ids: Array<string>, count: number, allThings: boolean, truncated: boolean, at: string } };

export const InboxThingFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"InboxThing"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thing"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}}]} as unknown as DocumentNode<InboxThingFragment, unknown>;
export const TrashedSelectionFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrashedSelection"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteThingsPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deletedCount"}},{"kind":"Field","name":{"kind":"Name","value":"deletedIds"}},{"kind":"Field","name":{"kind":"Name","value":"notFoundIds"}},{"kind":"Field","name":{"kind":"Name","value":"dryRun"}},{"kind":"Field","name":{"kind":"Name","value":"deletion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]} as unknown as DocumentNode<TrashedSelectionFragment, unknown>;
export const InboxDocument = {"__meta__":{"hash":"sha256:e16236e4218e1bed9daf90cdb2234a0e549f9a46120fc9ac258de8b92e088b70"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Inbox"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ThingFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"things"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"EnumValue","value":"ID_DESC"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"InboxThing"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"InboxThing"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Thing"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}}]} as unknown as DocumentNode<InboxQuery, InboxQueryVariables>;
export const DeleteSelectionDocument = {"__meta__":{"hash":"sha256:0dab66ef82153f9c5a69e3521f1058320266c8e763b21844299274b889c09149"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteSelection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deleteThings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}},{"kind":"Argument","name":{"kind":"Name","value":"undoable"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"TrashedSelection"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrashedSelection"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteThingsPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deletedCount"}},{"kind":"Field","name":{"kind":"Name","value":"deletedIds"}},{"kind":"Field","name":{"kind":"Name","value":"notFoundIds"}},{"kind":"Field","name":{"kind":"Name","value":"dryRun"}},{"kind":"Field","name":{"kind":"Name","value":"deletion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]} as unknown as DocumentNode<DeleteSelectionMutation, DeleteSelectionMutationVariables>;
export const DeleteMatchingDocument = {"__meta__":{"hash":"sha256:2cd272fd994cfab6369bc53856b253cd5e40e285cc04496e4308e56b854f3212"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteMatching"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ThingWhere"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"atMost"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deleteThingsWhere"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"atMost"},"value":{"kind":"Variable","name":{"kind":"Name","value":"atMost"}}},{"kind":"Argument","name":{"kind":"Name","value":"undoable"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"TrashedSelection"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TrashedSelection"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteThingsPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"deletedCount"}},{"kind":"Field","name":{"kind":"Name","value":"deletedIds"}},{"kind":"Field","name":{"kind":"Name","value":"notFoundIds"}},{"kind":"Field","name":{"kind":"Name","value":"dryRun"}},{"kind":"Field","name":{"kind":"Name","value":"deletion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]} as unknown as DocumentNode<DeleteMatchingMutation, DeleteMatchingMutationVariables>;
export const UndoDeleteDocument = {"__meta__":{"hash":"sha256:6eeb6b5fdf00f8a790a86edd8591b0b5ec95b7d5ac2e94e9c59b4fde8ec7d1d8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UndoDelete"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deletionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"undoDelete"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"deletionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deletionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"restoredCount"}},{"kind":"Field","name":{"kind":"Name","value":"restoredIds"}}]}}]}}]} as unknown as DocumentNode<UndoDeleteMutation, UndoDeleteMutationVariables>;
export const TrashDocument = {"__meta__":{"hash":"sha256:751f7c3248dba79361b70a465a91a87657c05bccdf250397ec96d72330a65eb8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Trash"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"trash"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"deletion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedBy"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<TrashQuery, TrashQueryVariables>;
export const RestoreThingsDocument = {"__meta__":{"hash":"sha256:b8ce595c4a3094e7b3a82d8529887a637ffb6baf376b7ec7c8e7cec4d7819da3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RestoreThings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"restoreThings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"restoredCount"}},{"kind":"Field","name":{"kind":"Name","value":"restoredIds"}}]}}]}}]} as unknown as DocumentNode<RestoreThingsMutation, RestoreThingsMutationVariables>;
export const PurgeThingsDocument = {"__meta__":{"hash":"sha256:5c1b11fd688a9cc5de7216e5ab77c9648051b8329ef0b85b714d62d98e71a3d8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PurgeThings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"purgeThings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"purgedCount"}},{"kind":"Field","name":{"kind":"Name","value":"purgedIds"}}]}}]}}]} as unknown as DocumentNode<PurgeThingsMutation, PurgeThingsMutationVariables>;
export const EmptyTrashDocument = {"__meta__":{"hash":"sha256:bb53bcb22692ca1d739fd64c2cc009788225d73a3ffb9da248f6fd18236874b5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EmptyTrash"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedCount"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"emptyTrash"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"expectedCount"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedCount"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"purgedCount"}}]}}]}}]} as unknown as DocumentNode<EmptyTrashMutation, EmptyTrashMutationVariables>;
export const ThingsChangedDocument = {"__meta__":{"hash":"sha256:d4502e0fe524057a48a63b97027778dfd641b4c765a46bc19f797b2f10f76a43"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ThingsChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thingsChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"ids"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"allThings"}},{"kind":"Field","name":{"kind":"Name","value":"truncated"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<ThingsChangedSubscription, ThingsChangedSubscriptionVariables>;