// The thingsDeleted subscription (served over SSE by Yoga): one event per delete call that removed rows.
import { builder } from "../builder.ts";
import type { ThingsDeletedEvent } from "../events.ts";

const ThingsDeletedEventType = builder.objectRef<ThingsDeletedEvent>("ThingsDeletedEvent").implement({
  description: "Published after a delete call commits; never for a dry run, a failed call or one that removed nothing.",
  fields: (t) => ({
    ids: t.idList({
      description:
        "Ids that no longer exist because of this call: for deleteThings every distinct requested id (evict them all), for deleteThingsWhere the removed rows; empty when allThings is true.",
      resolve: (event) => event.ids,
    }),
    count: t.exposeInt("count", { description: "Rows this call removed." }),
    allThings: t.exposeBoolean("allThings", { description: "deleteAllThings emptied the table: evict every Thing." }),
    at: t.expose("at", { type: "DateTime", description: "When the delete committed." }),
  }),
});

builder.subscriptionFields((t) => ({
  thingsDeleted: t.field({
    type: ThingsDeletedEventType,
    authScopes: { reader: true },
    description: "One event per committed delete call that removed rows.",
    subscribe: (_root, _args, { events }) => events.subscribe("thingsDeleted"),
    resolve: (event) => event,
  }),
}));
