// The Thing type with the queries and mutations that belong to it.
import { builder } from "../builder.ts";
import { withinIdRange } from "../db/id-range.ts";
import { badUserInput } from "../errors.ts";
import type { Events } from "../events.ts";
import { DELETES_NOTHING } from "./delete-budget.ts";
import type { Thing } from "../generated/prisma/client.ts";
import { throwAsClientError } from "./client-errors.ts";
import { CURSOR_VALUE_EXTENSION } from "./cursors.ts";
import { MAX_THING_ID, parseThingId } from "./ids.ts";
import { parseText, parseTexts } from "./text.ts";

/**
 * Most Things one page of `things` may hold: Pothos' default cap, made explicit. Pothos would silently shorten a
 * longer page; refusing it tells the client its `first`/`last` was not honoured.
 */
export const MAX_PAGE_SIZE = 100;

function requirePageSize(args: { first?: number | null; last?: number | null }): void {
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
  things: t.prismaConnection({
    type: "Thing",
    authScopes: { reader: true },
    cursor: "id",
    maxSize: MAX_PAGE_SIZE,
    // Cursors carry a Thing id; a forged one is BAD_USER_INPUT before Prisma sees it (src/schema/cursors.ts).
    extensions: {
      [CURSOR_VALUE_EXTENSION]: (value: unknown) =>
        typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_THING_ID,
    },
    description: `All Things, oldest first, as a Relay connection; \`first\`/\`last\` at most ${MAX_PAGE_SIZE}.`,
    resolve: (query, _root, args, { prisma }) => {
      requirePageSize(args);
      return prisma.thing.findMany({ ...query, orderBy: { id: "asc" } });
    },
    totalCount: (_root, _args, { prisma }) => prisma.thing.count(),
  }),
  thingCount: t.int({
    authScopes: { reader: true },
    description: "Number of Things stored.",
    resolve: (_root, _args, { prisma }) => prisma.thing.count(),
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
