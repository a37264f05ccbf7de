// ThingFilter and ThingOrder, the read side's filter and order (things, thingCount), and the parsing of a filter's
// fields that the read filter and the delete filter (ThingWhere, src/schema/delete-things.ts) share, so that both
// match the same Things for the same fields.
import { builder } from "../builder.ts";
import type { AppContext } from "../context.ts";
import type { ThingFilter } from "../db/thing-filter.ts";
import { badUserInput } from "../errors.ts";
import { parseThingIds } from "./ids.ts";
import { parseText } from "./text.ts";

/** A filter's fields as GraphQL hands them over (ThingFilter and ThingWhere have the same three). */
export interface ThingFilterArgs {
  textContains?: string | null;
  textEquals?: string | null;
  idIn?: readonly (string | number | bigint)[] | null;
}

/**
 * The fields given, checked as what they are compared with: strings as Thing texts (parseText), ids as Thing ids.
 * `argumentName` prefixes the field in errors ("where", "filter"). Whether a field may be empty, or the filter, is
 * the caller's rule.
 */
export function parseFilterFields(input: ThingFilterArgs, argumentName: string, maxTextLength: number): ThingFilter {
  const filter: ThingFilter = {};
  const field = (name: keyof ThingFilterArgs) => `${argumentName}.${name}`;
  if (input.textContains != null) {
    filter.textContains = parseText(input.textContains, field("textContains"), maxTextLength);
  }
  if (input.textEquals != null) filter.textEquals = parseText(input.textEquals, field("textEquals"), maxTextLength);
  if (input.idIn != null) filter.idIn = parseThingIds(input.idIn, field("idIn"));
  return filter;
}

export const ThingFilterInput = builder.inputType("ThingFilter", {
  description:
    "Which Things to list or count; every field given must match, and no field (or no filter) matches every Thing. Matches exactly what ThingWhere with the same fields deletes.",
  fields: (t) => ({
    textContains: t.string({
      description:
        'Text contains this substring: case-sensitive, `%` and `_` are plain characters. "" matches every Thing.',
    }),
    textEquals: t.string({ description: "Text equals this exactly." }),
    idIn: t.idList({ description: "Id is one of these; at most MAX_DELETE_IDS ids." }),
  }),
});

export const ThingOrder = builder.enumType("ThingOrder", {
  description: "The order of the things connection.",
  values: {
    ID_ASC: { value: "asc", description: "Oldest first (ids ascending)." },
    ID_DESC: { value: "desc", description: "Newest first (ids descending), as an inbox lists." },
  } as const,
});

export type ThingOrderValue = "asc" | "desc";

/**
 * A read filter: no filter and `{}` match everything, and so does textContains "" (every text contains the empty
 * string), which is dropped so that it lists, counts and pages exactly as no filter. ThingWhere refuses both,
 * since there they would delete everything. idIn is bounded by MAX_DELETE_IDS, checked before its ids are parsed:
 * a filter may name as many ids as one request may delete, and no more.
 */
export function parseThingFilter(
  input: ThingFilterArgs | null | undefined,
  limits: Pick<AppContext, "maxTextLength" | "maxDeleteIds">,
): ThingFilter {
  if (input == null) return {};
  if (input.idIn != null && input.idIn.length > limits.maxDeleteIds) {
    throw badUserInput(
      `filter.idIn: ${input.idIn.length} ids, more than MAX_DELETE_IDS (${limits.maxDeleteIds}) in one filter`,
      { argumentName: "filter.idIn", max: limits.maxDeleteIds },
    );
  }
  const filter = parseFilterFields(input, "filter", limits.maxTextLength);
  if (filter.textContains === "") delete filter.textContains;
  return filter;
}
