// Pages of the things connection: the id scan the Relay arguments ask for, and cursors bound to the order and the
// filter, so that a cursor continues only the list it came from. Keyset paging: a cursor names the id it stands
// after, and stays valid when that Thing is deleted.
import { createHash } from "node:crypto";
import { getConnectionPageSize, PothosValidationError, validateConnectionArguments } from "@pothos/core";
import { formatPrismaCursor } from "@pothos/plugin-prisma";
import { matchesEverything, type ThingFilter } from "../db/thing-filter.ts";
import type { IdScan } from "../db/thing-reads.ts";
import { decodeCursor } from "./cursors.ts";
import { isThingId } from "./ids.ts";
import type { ThingOrderValue } from "./thing-filter.ts";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * The list a cursor belongs to. `stamp` is null for the default list (oldest first, everything), whose cursors
 * are plugin-prisma's `GPC:N:<id>` as before, so cursors issued before ThingFilter keep working; every other list's
 * cursors are `[stamp, id]` tuples in the same encoding, the stamp a hash of the order and the filter.
 */
export interface ThingsScope {
  order: ThingOrderValue;
  filter: ThingFilter;
  stamp: string | null;
}

/**
 * The stamp only tells lists apart, it guards nothing: a cursor is a position, and a forged one reaches no Thing
 * the arguments do not. 66 bits of SHA-256 make an accidental match between two lists negligible. idIn is a set.
 */
export function thingsScope(order: ThingOrderValue, filter: ThingFilter): ThingsScope {
  if (order === "asc" && matchesEverything(filter)) return { order, filter, stamp: null };
  const idIn = filter.idIn && [...filter.idIn].sort((a, b) => a - b);
  const canonical = JSON.stringify([order, filter.textContains ?? null, filter.textEquals ?? null, idIn ?? null]);
  const stamp = createHash("sha256").update(canonical).digest("base64url").slice(0, 11);
  return { order, filter, stamp };
}

function cursorOf(scope: ThingsScope, id: number): string {
  return scope.stamp === null
    ? formatPrismaCursor({ id }, "id")
    : formatPrismaCursor({ stamp: scope.stamp, id }, ["stamp", "id"]);
}

/** The id a decoded cursor value stands for in this scope, or undefined when the scope never issued it. */
function idOf(scope: ThingsScope, value: unknown): number | undefined {
  if (scope.stamp === null) return isThingId(value) ? value : undefined;
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== scope.stamp) return undefined;
  const id: unknown = value[1];
  return isThingId(id) ? id : undefined;
}

/** BAD_USER_INPUT, before any SQL, for a cursor of another order or filter, or one no server issued. */
function cursorId(scope: ThingsScope, cursor: string | null | undefined, argumentName: string): number | undefined {
  const value = decodeCursor(cursor, argumentName, (decoded) => idOf(scope, decoded) !== undefined);
  return value === undefined ? undefined : idOf(scope, value);
}

/** Argument combinations plugin-prisma's connections refuse; refused the same way so that calls answer as before. */
const EXCLUSIVE_ARGUMENTS = [
  ["before", "after"],
  ["before", "first"],
  ["after", "last"],
] as const;

export interface PageRequest {
  scan: IdScan;
  /** Read from the end of the list (before/last): the scan runs against the order and is reversed. */
  backward: boolean;
}

export function pageRequest(args: ConnectionArgs, scope: ThingsScope, maxSize: number): PageRequest {
  validateConnectionArguments(args);
  for (const [one, other] of EXCLUSIVE_ARGUMENTS) {
    if (args[one] != null && args[other] != null) {
      throw new PothosValidationError(`Arguments "${one}" and "${other}" are not supported at the same time`);
    }
  }
  const cursor = cursorId(scope, args.after, "after") ?? cursorId(scope, args.before, "before");
  const backward = args.before != null || args.last != null;
  const ascending = (scope.order === "asc") !== backward;
  // One row more than the page, to know whether there is another.
  const { limit } = getConnectionPageSize({ args, maxSize });
  const scan: IdScan = { direction: ascending ? "asc" : "desc", take: limit };
  if (cursor !== undefined) scan[ascending ? "idAbove" : "idBelow"] = cursor;
  return { scan, backward };
}

export interface ThingsPage<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
}

/** The connection of the scanned rows, with plugin-prisma's pageInfo rules. */
export function thingsPage<Node extends { id: number }>(
  rows: readonly Node[],
  { scan, backward }: PageRequest,
  args: ConnectionArgs,
  scope: ThingsScope,
): ThingsPage<Node> {
  const full = rows.length === scan.take;
  const page = full ? rows.slice(0, -1) : [...rows];
  if (backward) page.reverse();
  const edges = page.map((node) => ({ cursor: cursorOf(scope, node.id), node }));
  const hasNextPage = args.before != null || (args.last == null && full);
  const hasPreviousPage = args.after != null || (backward && full);
  const pageInfo = { startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
  return { edges, pageInfo: { ...pageInfo, hasNextPage, hasPreviousPage } };
}
