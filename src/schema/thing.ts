// The Thing type with the queries and mutations that belong to it.
import { builder } from "../builder.ts";
import type { Thing } from "../generated/prisma/client.ts";
import { CURSOR_VALUE_EXTENSION } from "./cursors.ts";
import { MAX_THING_ID, parseThingId } from "./ids.ts";

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
    // Cursors carry a Thing id; a forged one is BAD_USER_INPUT before Prisma sees it (src/schema/cursors.ts).
    extensions: {
      [CURSOR_VALUE_EXTENSION]: (value: unknown) =>
        typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_THING_ID,
    },
    description: "All Things, oldest first, as a Relay connection.",
    resolve: (query, _root, _args, { prisma }) => prisma.thing.findMany({ ...query, orderBy: { id: "asc" } }),
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
    resolve: (query, _root, args, { prisma }) => prisma.thing.create({ ...query, data: { text: args.text } }),
  }),
  createThings: t.field({
    type: CreateThingsPayload,
    authScopes: { scope: "things:write" },
    description: "Creates one Thing per text in a single INSERT.",
    args: { texts: t.arg.stringList({ required: true }) },
    resolve: async (_root, { texts }, { prisma }) => {
      if (texts.length === 0) return { count: 0, things: [] };
      const things = await prisma.thing.createManyAndReturn({ data: texts.map((text) => ({ text })) });
      return { count: things.length, things };
    },
  }),
}));
