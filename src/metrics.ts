// The domain's own Prometheus metrics: rows deleted, trashed, restored and purged, delete calls by outcome, events
// and subscriptions, the trash's size and the PostgreSQL pool. One registry per app (not prom-client's global one),
// so several apps in one process (the tests) count apart. docs/operations.md#metrics lists them; the GraphQL
// phase histograms are added to the same registry by src/plugins/use-metrics.ts.
import { GraphQLError } from "graphql";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { PoolStats } from "./db/postgres.ts";
import { ErrorCode } from "./errors.ts";
import { NO_EVENT_METRICS, THINGS_CHANGE_KINDS, type EventMetrics, type ThingsChangeKind } from "./events.ts";

/** The Mutation fields that change rows: the `operation` label, a fixed set. */
export const ROW_MUTATIONS = [
  "deleteThings",
  "deleteThingsWhere",
  "deleteAllThings",
  "undoDelete",
  "restoreThings",
  "purgeThings",
  "emptyTrash",
] as const;

export type RowMutation = (typeof ROW_MUTATIONS)[number];

/** A row-changing Mutation field, or the background purge (named as in the delete audit). */
export type RowOperation = RowMutation | "purgeExpired";

/** Which operations can make each change: their counters start at 0, so a rate is defined before the first one. */
const CHANGES = {
  deleted: ["deleteThings", "deleteThingsWhere", "deleteAllThings"],
  trashed: ["deleteThings", "deleteThingsWhere", "deleteAllThings"],
  restored: ["undoDelete", "restoreThings"],
  purged: ["purgeThings", "emptyTrash", "purgeExpired"],
} as const satisfies Record<string, readonly RowOperation[]>;

export type RowChange = keyof typeof CHANGES;

/** Where rows change (the resolvers, the background purge) report to. */
export interface RowMetrics {
  rowsChanged<C extends RowChange>(operation: (typeof CHANGES)[C][number], change: C, rows: number): void;
  /** A row-changing Mutation field returned (`ok`) or failed with this outcome (see outcomeOf). */
  callFinished(operation: RowMutation, outcome: string): void;
}

export interface DomainMetrics extends RowMetrics, EventMetrics {}

/** METRICS=false, and callers that count nothing (scripts, unit tests): every report is a no-op. */
export const NO_METRICS: DomainMetrics = { ...NO_EVENT_METRICS, rowsChanged: () => {}, callFinished: () => {} };

export interface MetricsSources {
  /** Rows in the trash, counted up to `limit` (src/db/trash.ts); read at scrape time. */
  trashSize: (limit: number) => Promise<number>;
  /** PostgreSQL's connection pool; SQLite has none. */
  pool?: PoolStats;
  /** Also the process' CPU, memory, event loop and GC metrics (prom-client's defaults): the server, not tests. */
  processMetrics?: boolean;
}

export interface Metrics extends DomainMetrics {
  registry: Registry;
}

/**
 * The trash is counted at scrape time, one COUNT over at most this many rows: a scrape costs a bounded index scan
 * however large the trash grew (the gauge then reads this value, meaning "at least"), and no write path pays for
 * keeping a count that every instance would have to agree on.
 */
export const TRASH_SIZE_COUNT_LIMIT = 1_000_000;

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/**
 * The `outcome` label of a failed call: its `extensions.code` when it is one of ours, INTERNAL_SERVER_ERROR for
 * anything else (what the masking plugin answers), so the label's values stay a fixed set.
 */
export function outcomeOf(error: unknown): string {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return typeof code === "string" && KNOWN_CODES.has(code) ? code : "INTERNAL_SERVER_ERROR";
}

export function createMetrics({ trashSize, pool, processMetrics = false }: MetricsSources): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const rows = Object.fromEntries(
    Object.entries(CHANGES).map(([change, operations]) => {
      const counter = new Counter({
        name: `things_rows_${change}_total`,
        help: `Rows ${change}, by the operation that did it`,
        labelNames: ["operation"],
        registers,
      });
      for (const operation of operations) counter.inc({ operation }, 0);
      return [change, counter];
    }),
  ) as Record<RowChange, Counter<"operation">>;
  const calls = new Counter({
    name: "things_delete_calls_total",
    help: "Calls of the row-changing mutations, by field and outcome (ok, or the error's extensions.code)",
    labelNames: ["operation", "outcome"],
    registers,
  });
  for (const operation of ROW_MUTATIONS) calls.inc({ operation, outcome: "ok" }, 0);
  const published = new Counter({
    name: "things_events_published_total",
    help: "thingsChanged events this instance published, by kind",
    labelNames: ["kind"],
    registers,
  });
  for (const kind of THINGS_CHANGE_KINDS) published.inc({ kind }, 0);
  const dropped = new Counter({
    name: "things_subscribers_dropped_total",
    help: "Subscriptions dropped because they fell SUBSCRIBER_QUEUE_MAX events behind",
    registers,
  });
  const subscriptions = new Gauge({
    name: "things_subscriptions_open",
    help: "Subscriptions open on this instance",
    registers,
  });
  new Gauge({
    name: "things_trash_rows",
    help: `Rows in the trash (all instances share it), counted up to ${TRASH_SIZE_COUNT_LIMIT} at each scrape`,
    registers,
    async collect() {
      this.set(await trashSize(TRASH_SIZE_COUNT_LIMIT));
    },
  });
  if (pool) registerPoolGauges(registers, pool);
  return {
    registry,
    rowsChanged: (operation, change, count) => rows[change].inc({ operation }, count),
    callFinished: (operation, outcome) => calls.inc({ operation, outcome }),
    eventPublished: (kind: ThingsChangeKind) => published.inc({ kind }),
    subscriberDropped: () => dropped.inc(),
    subscriptionOpened: () => subscriptions.inc(),
    subscriptionClosed: () => subscriptions.dec(),
  };
}

/** pg's own counts, read at scrape time: nothing is kept per query. */
function registerPoolGauges(registers: Registry[], pool: PoolStats): void {
  new Gauge({
    name: "things_db_pool_connections",
    help: "PostgreSQL connections of this instance's pool, by state (in_use, idle)",
    labelNames: ["state"],
    registers,
    collect() {
      this.set({ state: "in_use" }, pool.totalCount - pool.idleCount);
      this.set({ state: "idle" }, pool.idleCount);
    },
  });
  new Gauge({
    name: "things_db_pool_waiting",
    help: "Queries waiting for a PostgreSQL connection because the pool is at DATABASE_POOL_SIZE",
    registers,
    collect() {
      this.set(pool.waitingCount);
    },
  });
  new Gauge({
    name: "things_db_pool_max_connections",
    help: "The pool's size (DATABASE_POOL_SIZE)",
    registers,
    collect() {
      this.set(pool.options.max ?? 10);
    },
  });
}
