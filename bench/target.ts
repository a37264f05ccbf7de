// What the benchmark needs from a database it runs the server on. One object per database: adding a database
// means writing one more `TargetFactory` and listing it in `TARGETS`; the scenarios do not change.
import type { Cleanup } from "./cleanup.ts";
import type { DeleteProtocol } from "./delete-api.ts";
import { postgresTarget } from "./postgres-target.ts";
import type { ServerProcess } from "./server-process.ts";
import { sqliteTarget } from "./sqlite-target.ts";

/** A database the benchmark prepares and checks directly, never through the API and never while timing. */
export interface BenchDatabase {
  /** Leaves the Thing table holding exactly the ids 1..rows, and the trash empty (untimed; one transaction). */
  seed(rows: number): Promise<void>;
  /**
   * After a verified delete of `removed` ("all": deleteAllThings) from a seeded table, leaves it holding 1..rows
   * again, as seed() does, but in time proportional to what was removed where the database allows. The untimed gap
   * before the next timed request then stays a few ms, as between the requests of a busy server: after 10 ms or
   * more of idling, this VM adds ~0.6 ms to any HTTP round trip (even a no-op Node server's), which would be
   * charged to the API.
   */
  refill(rows: number, removed: readonly number[] | "all"): Promise<void>;
  count(): Promise<number>;
  /** How many of these ids still exist. */
  countPresent(ids: readonly number[]): Promise<number>;
  /** The rows of this Deletion in the trash, and how many of these ids are among them. */
  countTrashed(deletionId: string, ids: readonly number[]): Promise<TrashedCount>;
  close(): Promise<void>;
}

export interface TrashedCount {
  rows: number;
  ofIds: number;
}

/** One SQL shape for deleting a set of ids through the raw driver. */
export interface RawMethod {
  name: string;
  /** False when this shape cannot bind `idCount` ids (e.g. more than the driver's parameter limit). */
  fits(idCount: number): boolean;
}

/** The physical limit: the same DELETE through the raw driver, in-process, on its own database. */
export interface RawDatabase {
  /** The settings this connection runs with, e.g. "WAL, synchronous=NORMAL". */
  label: string;
  methods: readonly RawMethod[];
  /** Prepares and seeds this database; never the server's, so the server is not touched concurrently. */
  database: BenchDatabase;
  /** Returns the rows removed. */
  deleteIds(ids: readonly number[], method: RawMethod): Promise<number>;
  /** Empties the table the fastest way this database has. */
  deleteAll(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A server the benchmark runs beside this one, on a database of its own: the bare-Node floor (every target), and
 * PostGraphile (PostgreSQL). Each gets the same rounds, checks and load as the server, right after the server's.
 */
export interface PeerServer {
  /** Which goals it sets: SQLite's are stated against the floor, PostgreSQL's against PostGraphile. */
  kind: "floor" | "postgraphile";
  /** As the report names its row. */
  label: string;
  protocol: DeleteProtocol;
  /** Starts it on a fresh, migrated database of its own, stopped and closed through `cleanup`. */
  start(cleanup: Cleanup): Promise<StartedPeer>;
}

export interface StartedPeer {
  server: ServerProcess;
  /** Its database, seeded and checked as the server's own. */
  database: BenchDatabase;
}

export interface Target {
  name: string;
  /**
   * Which database this is: the goals differ (SQLite's are stated against the bare-Node floor, PostgreSQL's against
   * PostGraphile), and the throughput and footprint goals are stated for SQLite only.
   */
  provider: "sqlite" | "postgresql";
  /**
   * The Node binary every server of this target runs on, the server and its peers alike, so they are compared on
   * the same Node: this process's own for SQLite (better-sqlite3 is built for it), PostGraphile's for PostgreSQL.
   */
  node: string;
  /** Environment that points a server at this target's (fresh) database. */
  serverEnv: Record<string, string>;
  /** The server's database, opened after the server has started and migrated it. */
  openServerDatabase(): Promise<BenchDatabase>;
  /** Raw-driver databases, one per configuration worth comparing (the faster one is the limit). */
  openRawDatabases(): Promise<RawDatabase[]>;
  /** The bare-Node floor first, then any other server this database's goals name. */
  peers: readonly PeerServer[];
}

/**
 * Creates a target on fresh databases, once per server the benchmark starts: its files live in `dir` (a fresh temp
 * directory); whatever it creates elsewhere (databases on a PostgreSQL server) it hands to `cleanup` to remove, at
 * the end and also when the run fails. Throws TargetUnavailableError when its database cannot be reached at all.
 */
export type TargetFactory = (dir: string, cleanup: Cleanup) => Target | Promise<Target>;

/** Benchmarked in this order. SQLite always runs; PostgreSQL when reachable (required with CI=true). */
export const TARGETS: readonly TargetFactory[] = [sqliteTarget, postgresTarget];
