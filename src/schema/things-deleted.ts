// The thingsDeleted subscription (served over SSE by Yoga): one event per delete call that removed rows, for good
// or into the trash. It is thingsChanged narrowed to those kinds, with the event type it had before kinds existed.
import { eventSubscription, eventType } from "./things-changed.ts";

const ThingsDeletedEventType = eventType(
  "ThingsDeletedEvent",
  "Published after a delete call commits; never for a dry run, a failed call or one that removed nothing.",
  {
    ids: "Exactly the rows this call removed, at most EVENT_MAX_IDS of them (evict them); empty when truncated is true.",
    count: "Rows this call removed.",
    allThings: "deleteAllThings emptied the table: evict every Thing.",
    truncated:
      "ids is not the full list of removed rows (longer than EVENT_MAX_IDS, not known, or allThings): refetch cached lists instead of evicting by id.",
    at: "When the delete committed.",
  },
);

eventSubscription(
  "thingsDeleted",
  ThingsDeletedEventType,
  new Set(["DELETED", "TRASHED"]),
  "One event per committed delete call that removed rows.",
);
