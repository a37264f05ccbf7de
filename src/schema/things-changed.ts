// The thingsChanged subscription (served over SSE by Yoga): one event per committed call that changed Things, of
// every kind, so a client needs one stream. Also what thingsDeleted, the same stream narrowed to deletes, shares.
import { GraphQLError } from "graphql";
import { builder } from "../builder.ts";
import type { Delivery, ThingsChangeKind, ThingsChangedEvent } from "../events.ts";

type EventField = "ids" | "count" | "allThings" | "truncated" | "at";

/** An event object type with the fields every event has, each described for the subscription it belongs to. */
export function eventType(name: string, description: string, describe: Record<EventField, string>) {
  return builder.objectRef<ThingsChangedEvent>(name).implement({
    description,
    fields: (t) => ({
      ids: t.idList({ description: describe.ids, resolve: (event) => event.ids }),
      count: t.exposeInt("count", { description: describe.count }),
      allThings: t.exposeBoolean("allThings", { description: describe.allThings }),
      truncated: t.exposeBoolean("truncated", { description: describe.truncated }),
      at: t.expose("at", { type: "DateTime", description: describe.at }),
    }),
  });
}

/** A subscription field on the event bus that hears `kinds` (all when undefined). */
export function eventSubscription(
  name: string,
  type: ReturnType<typeof eventType>,
  kinds: ReadonlySet<ThingsChangeKind> | undefined,
  description: string,
): void {
  builder.subscriptionField(name, (t) =>
    t.field({
      type,
      authScopes: { reader: true },
      description: `${description} A subscriber more than SUBSCRIBER_QUEUE_MAX events behind gets a last SUBSCRIBER_TOO_SLOW error and the stream ends.`,
      subscribe: (_root, _args, { events }) => events.subscribe(kinds),
      // The bus ends a dropped subscriber's stream with the error that says why; raising it here sends it as the
      // final event (with its code) rather than failing the stream, which would only cut the connection.
      resolve: (delivery: Delivery) => {
        if (delivery instanceof GraphQLError) throw delivery;
        return delivery;
      },
    }),
  );
}

const ThingsChangeKindType = builder.enumType("ThingsChangeKind", {
  description: "What a committed call did to the Things it lists.",
  // `satisfies`: a kind added to the bus does not compile until it is described here.
  values: {
    CREATED: { description: "createThing or createThings added these Things." },
    DELETED: { description: "A delete removed these Things for good." },
    TRASHED: { description: "An undoable delete moved these Things to the trash." },
    RESTORED: { description: "These Things came back from the trash." },
    PURGED: { description: "These Things were removed from the trash for good." },
  } as const satisfies Record<ThingsChangeKind, { description: string }>,
});

const ThingsChangedEventType = eventType(
  "ThingsChangedEvent",
  "Published after a call that changed Things commits; never for a dry run, a failed call or one that changed nothing.",
  {
    ids: "Exactly the rows this call changed, at most EVENT_MAX_IDS of them; empty when truncated is true.",
    count: "Rows this call changed.",
    allThings:
      "The call changed every row: deleteAllThings for DELETED and TRASHED, emptying the whole trash for PURGED.",
    truncated:
      "ids is not the full list of changed rows (longer than EVENT_MAX_IDS, not known, or allThings): refetch cached lists instead of updating them by id.",
    at: "When the change committed.",
  },
);
builder.objectField(ThingsChangedEventType, "kind", (t) =>
  t.expose("kind", { type: ThingsChangeKindType, description: "What the call did." }),
);

eventSubscription(
  "thingsChanged",
  ThingsChangedEventType,
  undefined,
  "One event per committed call that changed Things: created, deleted, trashed, restored or purged.",
);
