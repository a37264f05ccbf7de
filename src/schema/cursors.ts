// Cursor arguments are client input: a Pothos plugin checks a connection's `after`/`before` before plugin-prisma
// hands them to Prisma, which otherwise receives whatever a forged cursor decodes to (Infinity, NaN, an object) and
// fails with an error that is masked as INTERNAL_SERVER_ERROR and logged as a server fault.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";
import { parsePrismaCursor } from "@pothos/plugin-prisma";
import type { GraphQLFieldResolver } from "graphql";
import { badUserInput } from "../errors.ts";

/**
 * The field extension a connection sets to have its cursors checked: a test of the decoded cursor value (the
 * `cursor` column's value), true only for values this connection could have issued.
 */
export const CURSOR_VALUE_EXTENSION = "cursorValue";

export type CursorValueTest = (value: unknown) => boolean;

/** A compound cursor [time, id], as Pothos encodes one (the deletions list, the audit log); `isId` checks the id. */
export const isTimeAndIdCursor =
  (isId: (id: unknown) => boolean): CursorValueTest =>
  (value) =>
    Array.isArray(value) &&
    value.length === 2 &&
    value[0] instanceof Date &&
    !Number.isNaN(value[0].getTime()) &&
    isId(value[1]);

const CURSOR_ARGUMENTS = ["after", "before"] as const;

/**
 * The value `cursor` decodes to (undefined for no cursor), or BAD_USER_INPUT unless `isValid` accepts it; the
 * decoding never throws anything else. For connections that decode their own cursors (src/schema/thing-pages.ts).
 */
export function decodeCursor(cursor: unknown, argumentName: string, isValid: CursorValueTest): unknown {
  if (cursor === null || cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = parsePrismaCursor(cursor);
  } catch {
    value = undefined;
  }
  if (!isValid(value)) {
    throw badUserInput(`${argumentName}: not a cursor of this connection (use a pageInfo or edge cursor)`, {
      argumentName,
    });
  }
  return value;
}

function cursorValueTestOf<Types extends SchemaTypes>(
  fieldConfig: PothosOutputFieldConfig<Types>,
): CursorValueTest | undefined {
  const test: unknown = fieldConfig.extensions?.[CURSOR_VALUE_EXTENSION];
  return typeof test === "function" ? (test as CursorValueTest) : undefined;
}

class CursorArgumentsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> {
    const isValid = cursorValueTestOf(fieldConfig);
    if (isValid === undefined) return resolver;
    return (parent, args, context, info) => {
      const values = args as Record<string, unknown>;
      for (const name of CURSOR_ARGUMENTS) decodeCursor(values[name], name, isValid);
      return resolver(parent, args, context, info);
    };
  }
}

declare global {
  // Pothos declares its plugin registry as a global namespace; a plugin can only extend it the same way.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      cursorArguments: CursorArgumentsPlugin<Types>;
    }
  }
}

export const cursorArgumentsPlugin = "cursorArguments";
SchemaBuilder.registerPlugin(cursorArgumentsPlugin, CursorArgumentsPlugin);
