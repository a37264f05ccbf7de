// One delete at a time: deleteThings for each K and deleteAllThings, over HTTP and through the raw driver, each
// round checked in the database afterwards and refilled (untimed), so the next one deletes from the full table.
import { deleteAllThingsBody, deleteThingsBody, probeBody, type GraphQLClient } from "./graphql-client.ts";
import type { Plan } from "./plan.ts";
import { progress } from "./progress.ts";
import { fastest, randomIds, summarize, type Summary } from "./stats.ts";
import type { BenchDatabase, RawDatabase } from "./target.ts";
import { verifyDeleted } from "./verify.ts";

export interface RawResult {
  /** The raw database's settings, e.g. "WAL, synchronous=NORMAL (server's)". */
  database: string;
  method: string;
  summary: Summary;
}

export interface Comparison {
  http: Summary;
  /** Every raw configuration measured. */
  raw: RawResult[];
  /** The fastest of `raw`: the physical limit the HTTP figure is compared with. */
  limit: RawResult;
}

export interface LatencyResults {
  rows: number;
  /** `{ __typename }` over the same connection after the same untimed gap: HTTP with no database work. */
  httpFloor: Summary;
  deleteThings: (Comparison & { idCount: number })[];
  deleteAllThings: Comparison;
}

/** One timed delete: the ids it was given ("all" to empty the table), what it reported, how long it took. */
type Round = () => Promise<{ ids: readonly number[] | "all"; deletedCount: number; ms: number }>;

async function timed(run: () => Promise<number>): Promise<{ deletedCount: number; ms: number }> {
  const started = performance.now();
  const deletedCount = await run();
  return { deletedCount, ms: performance.now() - started };
}

/** Seeds, then runs, verifies and refills `warmups + runs` rounds; only the last `runs` are recorded. */
async function repeat(plan: Plan, db: BenchDatabase, what: string, round: Round): Promise<Summary> {
  const samples: number[] = [];
  await db.seed(plan.rows);
  for (let i = 0; i < plan.warmups + plan.runs; i++) {
    const { ids, deletedCount, ms } = await round();
    await verifyDeleted(db, what, { rowsBefore: plan.rows, ids, deletedCount });
    await db.refill(plan.rows, ids);
    if (i >= plan.warmups) samples.push(ms);
  }
  const summary = summarize(samples);
  progress(`${what}: median ${summary.median.toFixed(3)} ms`);
  return summary;
}

/** A raw-driver measurement still to be run: which database, which SQL shape. */
interface RawCandidate {
  database: RawDatabase;
  method: string;
  measure: () => Promise<Summary>;
}

async function compare(http: () => Promise<Summary>, candidates: readonly RawCandidate[]): Promise<Comparison> {
  const httpSummary = await http();
  const raw: RawResult[] = [];
  for (const { database, method, measure } of candidates) {
    raw.push({ database: database.label, method, summary: await measure() });
  }
  const limit = fastest(raw);
  if (!limit) throw new Error("no raw configuration could run this delete");
  return { http: httpSummary, raw, limit };
}

/** Untimed warm-up requests per K: many small ones, a few big ones (about the same time for each K). */
function warmUpRequests(idCount: number): number {
  return Math.max(5, Math.min(500, Math.floor(200_000 / idCount)));
}

/**
 * Untimed requests of every shape the scenarios time (the deleteMany path up to 999 ids, the one-parameter path
 * above, deleteAllThings), so V8 has compiled the server's hot paths as it has in any server that has been up for a
 * while. Without it the first scenarios mostly timed JIT compilation: K=1 took 10.5 ms instead of 3.6. The
 * per-scenario warm-up rounds below then only settle the database's caches.
 */
async function warmUpServer(plan: Plan, client: GraphQLClient, server: BenchDatabase): Promise<void> {
  await server.seed(plan.rows);
  let requests = 0;
  for (const idCount of plan.idCounts) {
    for (let i = 0; i < warmUpRequests(idCount); i++, requests++) {
      await client.delete(deleteThingsBody(randomIds(idCount, plan.rows)), "deleteThings");
    }
  }
  for (let i = 0; i < warmUpRequests(plan.rows); i++, requests++) {
    await server.seed(plan.rows);
    await client.delete(deleteAllThingsBody(plan.rows), "deleteAllThings");
  }
  progress(`server warmed up with ${requests} untimed deletes`);
}

/**
 * What no delete over HTTP can go below on this machine: a request that touches no database, to the same server
 * over the same connection, after the same untimed work (checking and refilling the table) a delete waits through.
 */
async function measureHttpFloor(plan: Plan, client: GraphQLClient, server: BenchDatabase): Promise<Summary> {
  const samples: number[] = [];
  await server.seed(plan.rows);
  for (let i = 0; i < plan.warmups + plan.runs; i++) {
    await server.count();
    await server.refill(plan.rows, []);
    const { status, text, ms } = await client.post(probeBody);
    if (status !== 200) throw new Error(`the HTTP floor probe failed: HTTP ${status} ${text.slice(0, 500)}`);
    if (i >= plan.warmups) samples.push(ms);
  }
  const summary = summarize(samples);
  progress(`HTTP floor ({ __typename }): median ${summary.median.toFixed(3)} ms`);
  return summary;
}

export async function measureLatency(
  plan: Plan,
  client: GraphQLClient,
  server: BenchDatabase,
  raws: readonly RawDatabase[],
): Promise<LatencyResults> {
  await warmUpServer(plan, client, server);
  const httpFloor = await measureHttpFloor(plan, client, server);
  const deleteThings: LatencyResults["deleteThings"] = [];
  for (const idCount of plan.idCounts) {
    const http = () =>
      repeat(plan, server, `HTTP deleteThings K=${idCount}`, async () => {
        const ids = randomIds(idCount, plan.rows);
        const body = deleteThingsBody(ids);
        return { ids, ...(await client.delete(body, "deleteThings")) };
      });
    const candidates = raws.flatMap((database) =>
      database.methods
        .filter((method) => method.fits(idCount))
        .map((method) => ({
          database,
          method: method.name,
          measure: () =>
            repeat(plan, database.database, `raw ${database.label} ${method.name} K=${idCount}`, async () => {
              const ids = randomIds(idCount, plan.rows);
              return { ids, ...(await timed(() => database.deleteIds(ids, method))) };
            }),
        })),
    );
    deleteThings.push({ idCount, ...(await compare(http, candidates)) });
  }

  const deleteAllHttp = () =>
    repeat(plan, server, `HTTP deleteAllThings N=${plan.rows}`, async () => ({
      ids: "all",
      ...(await client.delete(deleteAllThingsBody(plan.rows), "deleteAllThings")),
    }));
  const method = 'DELETE FROM "Thing"';
  const deleteAllRaw = raws.map((database) => ({
    database,
    method,
    measure: () =>
      repeat(plan, database.database, `raw ${database.label} ${method}`, async () => ({
        ids: "all" as const,
        ...(await timed(() => database.deleteAll())),
      })),
  }));
  return { rows: plan.rows, httpFloor, deleteThings, deleteAllThings: await compare(deleteAllHttp, deleteAllRaw) };
}
