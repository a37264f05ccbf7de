// What the benchmark needs from a database it runs the server on. One object per database: adding PostgreSQL
// means writing one more `TargetFactory` and listing it in `TARGETS`; the scenarios do not change.
import { sqliteTarget } from "./sqlite-target.ts";

/** A database the benchmark prepares and checks directly, never through the API and never while timing. */
export interface BenchDatabase {
  /** Leaves the Thing table holding exactly the ids 1..rows (untimed; one transaction). */
  seed(rows: number): Promise<void>;
  count(): Promise<number>;
  /** How many of these ids still exist. */
  countPresent(ids: readonly number[]): Promise<number>;
  close(): Promise<void>;
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

export interface Target {
  name: string;
  /** Environment that points a server at this target's (fresh) database. */
  serverEnv: Record<string, string>;
  /** The server's database, opened after the server has started and migrated it. */
  openServerDatabase(): Promise<BenchDatabase>;
  /** Raw-driver databases, one per configuration worth comparing (the faster one is the limit). */
  openRawDatabases(): Promise<RawDatabase[]>;
}

/** Creates a target whose files live in `dir` (a fresh temp directory per server the benchmark starts). */
export type TargetFactory = (dir: string) => Target;

export const TARGETS: readonly TargetFactory[] = [sqliteTarget];
