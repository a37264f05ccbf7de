// One delete at a time: deleteThings for each K and deleteAllThings, over HTTP and through the raw driver, each
// round re-seeded (untimed) so it deletes from the full table, and checked in the database afterwards.
import { deleteAllThingsBody, deleteThingsBody, type GraphQLClient } from "./graphql-client.ts";
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

/** Seeds, runs and verifies `warmups + runs` rounds; only the last `runs` are recorded. */
async function repeat(plan: Plan, db: BenchDatabase, what: string, round: Round): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < plan.warmups + plan.runs; i++) {
    await db.seed(plan.rows);
    const { ids, deletedCount, ms } = await round();
    await verifyDeleted(db, what, { rowsBefore: plan.rows, ids, deletedCount });
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

export async function measureLatency(
  plan: Plan,
  client: GraphQLClient,
  server: BenchDatabase,
  raws: readonly RawDatabase[],
): Promise<LatencyResults> {
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
  return { rows: plan.rows, deleteThings, deleteAllThings: await compare(deleteAllHttp, deleteAllRaw) };
}
