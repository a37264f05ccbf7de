// MAX_DELETE_IDS bounds what one HTTP request may delete, however it is written: aliases let one document call the
// delete mutations many times. Each Mutation field declares its bound (src/schema/delete-budget.ts); the sum over
// the fields that will run, on their coerced arguments, is checked before the first field runs, so an over-budget
// request deletes nothing, instead of failing after its first fields already deleted.
import {
  getArgumentValues,
  getDirectiveValues,
  getOperationAST,
  getNullableType,
  getVariableValues,
  GraphQLID,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isListType,
  Kind,
  OperationTypeNode,
  typeFromAST,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLField,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { ErrorCode, userError } from "../errors.ts";
import { BOUNDED_BY_SCOPE, deleteBudgetOf, type DeleteBudget } from "../schema/delete-budget.ts";

interface DeclaredField {
  field: GraphQLField<unknown, unknown>;
  budget: DeleteBudget;
}

/**
 * Fails closed: a Mutation field without a declaration is a start-up error, not a field the budget ignores. The
 * delete rate limit reads the same declarations.
 */
function declaredBudgets(schema: GraphQLSchema): Map<string, DeclaredField> {
  const declared = new Map<string, DeclaredField>();
  const undeclared: string[] = [];
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const budget = deleteBudgetOf(field);
    if (budget) declared.set(field.name, { field, budget });
    else undeclared.push(field.name);
  }
  if (undeclared.length > 0) {
    throw new Error(
      `Mutation fields without a delete budget: ${undeclared.join(", ")}. Declare one in the field's extensions ` +
        "with deletesRows(…) or DELETES_NOTHING (src/schema/delete-budget.ts).",
    );
  }
  return declared;
}

/** A list of strings given for an `[ID!]` (or `[ID]`) variable is already its own coerced value. */
function isIdStrings(schema: GraphQLSchema, definition: VariableDefinitionNode, raw: Record<string, unknown>): boolean {
  const type = getNullableType(typeFromAST(schema, definition.type));
  const value = raw[definition.variable.name.value];
  return (
    isListType(type) &&
    getNullableType(type.ofType) === GraphQLID &&
    Array.isArray(value) &&
    value.every((item) => typeof item === "string")
  );
}

/**
 * The variables as execution will coerce them, defaults applied (`$d: Boolean! = true` makes a dry run). Id lists
 * of strings are taken as they are: coercing 100000 ids item by item took twice as long as the Set the budget
 * avoids (measured), and execution coerces them once more anyway. Throws when a variable does not coerce.
 */
function coercedVariables(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const verbatim = definitions.filter((definition) => isIdStrings(schema, definition, raw));
  const rest = definitions.filter((definition) => !verbatim.includes(definition));
  const coerced = getVariableValues(schema, rest, raw);
  if (coerced.errors) throw coerced.errors[0] ?? new Error("variables do not coerce");
  for (const { variable } of verbatim) coerced.coerced[variable.name.value] = raw[variable.name.value];
  return coerced.coerced;
}

/** One call of a declared field in the operation, with its coerced arguments. */
export interface DeleteCall {
  budget: DeleteBudget;
  args: Record<string, unknown>;
}

/**
 * The declared fields the operation will run, through aliases, fragments and inline fragments, and honouring
 * @skip/@include. Throws when variables or arguments do not coerce; execution reports that error itself.
 */
function deleteCalls(
  schema: GraphQLSchema,
  declared: Map<string, DeclaredField>,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown>,
): DeleteCall[] {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== OperationTypeNode.MUTATION) return [];
  const variables = coercedVariables(schema, operation.variableDefinitions ?? [], rawVariables);
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition.selectionSet] as const] : [],
    ),
  );
  const included = (node: FieldNode | FragmentSpreadNode | InlineFragmentNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  const collect = (selectionSet: SelectionSetNode | undefined): DeleteCall[] =>
    (selectionSet?.selections ?? []).flatMap((selection) => {
      if (!included(selection)) return [];
      if (selection.kind === Kind.INLINE_FRAGMENT) return collect(selection.selectionSet);
      if (selection.kind === Kind.FRAGMENT_SPREAD) return collect(fragments.get(selection.name.value));
      const call = declared.get(selection.name.value);
      return call ? [{ budget: call.budget, args: getArgumentValues(call.field, selection, variables) }] : [];
    });
  return collect(operation.selectionSet);
}

/** Rows counted against MAX_DELETE_IDS; fields bounded by their own scope count none. */
function rowsAtMost(calls: readonly DeleteCall[], exact: boolean): number {
  return calls.reduce((total, { budget, args }) => {
    const rows = budget.rowsAtMost(args, exact);
    return rows === BOUNDED_BY_SCOPE ? total : total + rows;
  }, 0);
}

/** Each request's delete calls, found once by deleteBudgetPlugin and read by the plugins after it (the rate limit). */
const callsOfRequest = new WeakMap<object, readonly DeleteCall[]>();

/**
 * The delete calls deleteBudgetPlugin found in this request's operation (its context identifies it); undefined when
 * its variables or arguments did not coerce, so that execution refuses it and nothing is deleted.
 */
export function plannedDeleteCalls(contextValue: object): readonly DeleteCall[] | undefined {
  return callsOfRequest.get(contextValue);
}

export function deleteBudgetPlugin(schema: GraphQLSchema, maxDeleteIds: number): Plugin {
  const declared = declaredBudgets(schema);
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let rows: number;
      try {
        const { document, operationName, variableValues, contextValue } = args as ExecutionArgs & {
          contextValue: object;
        };
        const calls = deleteCalls(schema, declared, document, operationName, variableValues ?? {});
        callsOfRequest.set(contextValue, calls);
        rows = rowsAtMost(calls, false);
        if (rows > maxDeleteIds) rows = rowsAtMost(calls, true);
      } catch {
        // Variables or arguments that do not even coerce: execution reports that error itself, and deletes nothing.
        return;
      }
      if (rows > maxDeleteIds) {
        setResultAndStopExecution({
          errors: [
            userError(
              ErrorCode.TOO_MANY_IDS,
              `This request would delete up to ${rows} rows; one request may delete at most ${maxDeleteIds} (MAX_DELETE_IDS)`,
              { max: maxDeleteIds, requested: rows },
            ),
          ],
        });
      }
    },
  };
}
