// The thingsDeleted subscription (served over SSE by Yoga): one event per delete call that removed rows.
import { GraphQLError } from "graphql";
import { builder } from "../builder.ts";
import type { ThingsDeletedEvent } from "../events.ts";

const ThingsDeletedEventType = builder.objectRef<ThingsDeletedEvent>("ThingsDeletedEvent").implement({
  description: "Published after a delete call commits; never for a dry run, a failed call or one that removed nothing.",
  fields: (t) => ({
    ids: t.idList({
      description:
        "Exactly the rows this call removed, at most EVENT_MAX_IDS of them (evict them); empty when truncated is true.",
      resolve: (event) => event.ids,
    }),
    count: t.exposeInt("count", { description: "Rows this call removed." }),
    allThings: t.exposeBoolean("allThings", { description: "deleteAllThings emptied the table: evict every Thing." }),
    truncated: t.exposeBoolean("truncated", {
      description:
        "ids is not the full list of removed rows (longer than EVENT_MAX_IDS, not known, or allThings): refetch cached lists instead of evicting by id.",
    }),
    at: t.expose("at", { type: "DateTime", description: "When the delete committed." }),
  }),
});

builder.subscriptionFields((t) => ({
  thingsDeleted: t.field({
    type: ThingsDeletedEventType,
    authScopes: { reader: true },
    description:
      "One event per committed delete call that removed rows. A subscriber more than SUBSCRIBER_QUEUE_MAX events behind gets a last SUBSCRIBER_TOO_SLOW error and the stream ends.",
    subscribe: (_root, _args, { events }) => events.subscribe(),
    // The bus ends a dropped subscriber's stream with the error that says why; raising it here sends it as the
    // final event (with its code) rather than failing the stream, which would only cut the connection.
    resolve: (delivery) => {
      if (delivery instanceof GraphQLError) throw delivery;
      return delivery;
    },
  }),
}));
