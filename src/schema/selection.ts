// What a client selected below the current field, so resolvers do only the work that is asked for.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/** True when any of `names` is selected directly below this field (through fragments too, @skip/@include ignored). */
export function selectsAny(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const visit = (selectionSet: SelectionSetNode | undefined): boolean =>
    selectionSet?.selections.some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return names.includes(selection.name.value);
        case Kind.INLINE_FRAGMENT:
          return visit(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD:
          return visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }) ?? false;
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/**
 * An id list a resolver computes whenever the selection contains its field (see selectsAny), so null here is a bug:
 * thrown as an unexpected error, which stays masked.
 */
export function selectedIds(ids: number[] | null, field: string): number[] {
  if (ids === null) throw new Error(`${field} was selected but not computed`);
  return ids;
}
