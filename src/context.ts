// What every resolver receives. Services travel in the context (not module singletons) so tests and several
// servers in one process each bring their own database and event bus.
import type { YogaInitialContext } from "graphql-yoga";
import type { Principal } from "./auth/tokens.ts";
import type { Events } from "./events.ts";
import type { DomainMetrics } from "./metrics.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { ThingCreates } from "./db/thing-creates.ts";
import type { ThingDeletes } from "./db/thing-deletes.ts";
import type { ThingReads } from "./db/thing-reads.ts";
import type { ThingTrash } from "./db/trash.ts";

export interface AppServices {
  prisma: PrismaClient;
  deletes: ThingDeletes;
  reads: ThingReads;
  creates: ThingCreates;
  trash: ThingTrash;
  /** TRASH_RETENTION_MS: how long an undoable delete stays restorable; 0 turns undoable deletes off. */
  trashRetentionMs: number;
  /** The clock deletions are stamped with and expiry is judged by (injected in tests). */
  now: () => Date;
  events: Events;
  /** Where rows changed and call outcomes are counted (src/metrics.ts); a no-op with METRICS=false. */
  metrics: DomainMetrics;
  /** MAX_CREATE_TEXTS and MAX_TEXT_LENGTH, checked by src/schema/text.ts. */
  maxCreateTexts: number;
  maxTextLength: number;
  /** MAX_DELETE_IDS, which also bounds the ids a read filter may name (src/schema/thing-filter.ts). */
  maxDeleteIds: number;
  readsRequireAuth: boolean;
}

export interface RequestContext {
  /** The authenticated caller, or null for an anonymous request. */
  auth: Principal | null;
  /** Correlates a masked error with the server-side log line. */
  requestId: string;
  /**
   * Live Things this request's delete calls removed, for good or into the trash, added as each commits: the delete
   * rate limit gives back what it reserved beyond them (src/plugins/use-delete-rate-limit.ts).
   */
  thingsDeleted: { count: number };
}

export interface AppContext extends YogaInitialContext, AppServices, RequestContext {}
