// Events published to subscribers after a delete commits. In-process today; the same PubSub API runs over Redis
// when several instances share subscribers.
import { createPubSub } from "graphql-yoga";

export interface ThingsDeletedEvent {
  /**
   * Ids that no longer exist because of this call: the distinct requested ids for deleteThings (a client can evict
   * every one of them), the removed rows for deleteThingsWhere; empty when `allThings` is true.
   */
  ids: number[];
  /** Rows this call removed. */
  count: number;
  /** deleteAllThings emptied the table: evict every Thing. */
  allThings: boolean;
  /** Commit time. */
  at: Date;
}

export function createEvents() {
  return createPubSub<{ thingsDeleted: [ThingsDeletedEvent] }>();
}

export type Events = ReturnType<typeof createEvents>;
