// The Thing type with the queries and mutations that belong to it.
import { queryFromInfo } from "@pothos/plugin-prisma";
import { builder } from "../builder.ts";
import { withinIdRange } from "../db/id-range.ts";
import { badUserInput } from "../errors.ts";
import type { Events } from "../events.ts";
import { DELETES_NOTHING } from "./delete-budget.ts";
import type { Thing } from "../generated/prisma/client.ts";
import { throwAsClientError } from "./client-errors.ts";
import { parseThingId } from "./ids.ts";
import { parseText, parseTexts } from "./text.ts";
import { parseThingFilter, ThingFilterInput, ThingOrder } from "./thing-filter.ts";
import { pageRequest, thingsPage, thingsScope } from "./thing-pages.ts";

/**
 * Most Things one page of `things` may hold: Pothos' default cap, made explicit. Pothos would silently shorten a
 * longer page; refusing it tells the client its `first`/`last` was not honoured.
 */
export const MAX_PAGE_SIZE = 100;

export function requirePageSize(args: { first?: number | null; last?: number | null }): void {
  for (const argumentName of ["first", "last"] as const) {
    const value = args[argumentName];
    if (value != null && value > MAX_PAGE_SIZE) {
      throw badUserInput(`${argumentName} must not exceed ${MAX_PAGE_SIZE}, got ${value}`, {
        argumentName,
        value,
        max: MAX_PAGE_SIZE,
      });
    }
  }
}

const ThingObject = builder.prismaObject("Thing", {
  description: "An item a user can select and delete in bulk.",
  fields: (t) => ({
    id: t.exposeID("id"),
    text: t.exposeString("text"),
  }),
});

interface CreateThingsResult {
  count: number;
  things: Thing[];
}

const CreateThingsPayload = builder.objectRef<CreateThingsResult>("CreateThingsPayload").implement({
  fields: (t) => ({
    count: t.exposeInt("count", { description: "Number of Things created." }),
    things: t.field({
      type: [ThingObject],
      description: "The created Things, in the order of `texts`.",
      resolve: (result) => result.things,
    }),
  }),
});

/** Once the create committed: one CREATED change listing the new Things (none created, none published). */
function publishCreated(events: Events, things: readonly Thing[]): void {
  events.publish({ kind: "CREATED", ids: things.map((thing) => thing.id), count: things.length, allThings: false });
}

builder.queryFields((t) => ({
  thing: t.prismaField({
    type: "Thing",
    authScopes: { reader: true },
    nullable: true,
    description: "The Thing with this id, or null when there is none.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, { prisma }) =>
      prisma.thing.findUnique({ ...query, where: { id: parseThingId(args.id) } }),
  }),
  things: t.connection(
    {
      type: ThingObject,
      authScopes: { reader: true },
      description: `Things as a Relay connection, oldest first unless \`orderBy\` says otherwise, only those \`filter\` matches; \`first\`/\`last\` at most ${MAX_PAGE_SIZE}. A cursor continues only the order and filter it came from.`,
      args: {
        filter: t.arg({ type: ThingFilterInput, description: "Only the Things this matches; none: every Thing." }),
        orderBy: t.arg({ type: ThingOrder, defaultValue: "asc" }),
      },
      resolve: async (_root, args, context, info) => {
        requirePageSize(args);
        const scope = thingsScope(args.orderBy ?? "asc", parseThingFilter(args.filter, context));
        const request = pageRequest(args, scope, MAX_PAGE_SIZE);
        const selection = queryFromInfo({ context, info, typeName: "Thing", path: ["edges", "node"] });
        const rows = await context.reads.page(scope.filter, request.scan, selection);
        return { ...thingsPage(rows, request, args, scope), totalCount: () => context.reads.count(scope.filter) };
      },
    },
    {
      fields: (t) => ({
        totalCount: t.int({ resolve: (connection) => connection.totalCount() }),
      }),
    },
  ),
  thingCount: t.int({
    authScopes: { reader: true },
    description: "Number of Things `filter` matches (every Thing without one), without deleting any.",
    args: { filter: t.arg({ type: ThingFilterInput }) },
    resolve: (_root, args, context) => context.reads.count(parseThingFilter(args.filter, context)),
  }),
}));

builder.mutationFields((t) => ({
  createThing: t.prismaField({
    type: "Thing",
    authScopes: { scope: "things:write" },
    args: { text: t.arg.string({ required: true }) },
    extensions: DELETES_NOTHING,
    resolve: async (query, _root, args, { prisma, maxTextLength, events }) => {
      const thing = await withinIdRange(() =>
        prisma.thing.create({ ...query, data: { text: parseText(args.text, "text", maxTextLength) } }),
      ).catch(throwAsClientError);
      publishCreated(events, [thing]);
      return thing;
    },
  }),
  createThings: t.field({
    type: CreateThingsPayload,
    authScopes: { scope: "things:write" },
    description:
      "Creates one Thing per text, atomically: at most MAX_CREATE_TEXTS texts of at most MAX_TEXT_LENGTH code points.",
    args: { texts: t.arg.stringList({ required: true }) },
    extensions: DELETES_NOTHING,
    resolve: async (_root, { texts }, context) => {
      const parsed = parseTexts(texts, "texts", context);
      const things = await withinIdRange(() => context.creates.many(parsed)).catch(throwAsClientError);
      publishCreated(context.events, things);
      return { count: things.length, things };
    },
  }),
}));
