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
