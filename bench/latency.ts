// One delete at a time: deleteThings for each K (permanent, and undoable followed by its undo) and deleteAllThings,
// over HTTP, the same deletes through each peer server (the bare-Node floor, PostGraphile) and through the raw driver,
// each round checked in
// the database afterwards and refilled (untimed), so the next one deletes from the full table.
import { deleteAll, deleteIds, noop, type DeleteApi } from "./delete-api.ts";
import { trashThingsBody, undoDeleteBody, type GraphQLClient } from "./graphql-client.ts";
import type { Plan } from "./plan.ts";
import { progress } from "./progress.ts";
import { fastest, randomIds, summarize, type Summary } from "./stats.ts";
import type { BenchDatabase, RawDatabase } from "./target.ts";
import { verifyDeleted, verifyRestored, verifyTrashed } from "./verify.ts";

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
  serverNoop: Summary;
  /** Each peer's no-op, likewise, in the target's order of peers (the floor's: node:http and JSON alone). */
  peerNoops: Summary[];
  /**
   * `undoable`: the same deleteThings with `undoable: true`, into the trash; `undo`: undoDelete of that deletion,
   * which puts the K rows back. Both over HTTP, compared with `http` (the permanent delete) rather than the raw
   * driver: what the trash costs on top of a permanent delete. `peers`: the same delete through each peer server,
   * in the rounds right after the server's, in the target's order of peers.
   */
  deleteThings: (Comparison & { idCount: number; undoable: Summary; undo: Summary; peers: Summary[] })[];
  deleteAllThings: Comparison & { peers: Summary[] };
}

/** One timed delete: the ids it was given ("all" to empty the table), what it reported, how long it took. */
type DeleteRound = () => Promise<{ ids: readonly number[] | "all"; deletedCount: number; ms: number }>;

/** One round of a scenario: the time of each request it timed, in order, each verified; what refill puts back. */
type Round = () => Promise<{ ms: readonly number[]; removed: readonly number[] | "all" }>;

async function timed(run: () => Promise<number>): Promise<{ deletedCount: number; ms: number }> {
  const started = performance.now();
  const deletedCount = await run();
  return { deletedCount, ms: performance.now() - started };
}

/**
 * Seeds, then runs and refills `warmups + runs` rounds; only the last `runs` are recorded, as one summary per
 * timed request of a round (`names`, in the round's order).
 */
async function repeatRounds(plan: Plan, db: BenchDatabase, names: readonly string[], round: Round): Promise<Summary[]> {
  const samples = names.map((): number[] => []);
  await db.seed(plan.rows);
  for (let i = 0; i < plan.warmups + plan.runs; i++) {
    const { ms, removed } = await round();
    await db.refill(plan.rows, removed);
    if (i >= plan.warmups) ms.forEach((value, index) => samples[index]?.push(value));
  }
  return names.map((name, index) => {
    const summary = summarize(samples[index] ?? []);
    progress(`${name}: median ${summary.median.toFixed(3)} ms`);
    return summary;
  });
}

/** Rounds of one timed delete each, verified gone. */
async function repeat(plan: Plan, db: BenchDatabase, what: string, round: DeleteRound): Promise<Summary> {
  const [summary] = await repeatRounds(plan, db, [what], async () => {
    const { ids, deletedCount, ms } = await round();
    await verifyDeleted(db, what, { rowsBefore: plan.rows, ids, deletedCount });
    return { ms: [ms], removed: ids };
  });
  if (!summary) throw new Error(`${what}: no summary`);
  return summary;
}

/**
 * Rounds of an undoable deleteThings of K random ids, verified in the trash, then undoDelete of it, verified back:
 * the undo leaves the table full again, so there is nothing to refill but what the database needs (PostgreSQL's
 * re-seed, for the dead rows both moves left).
 */
async function repeatUndoable(
  plan: Plan,
  client: GraphQLClient,
  server: BenchDatabase,
  idCount: number,
): Promise<{ undoable: Summary; undo: Summary }> {
  const trashWhat = `HTTP deleteThings(undoable) K=${idCount}`;
  const undoWhat = `HTTP undoDelete K=${idCount}`;
  const [undoable, undo] = await repeatRounds(plan, server, [trashWhat, undoWhat], async () => {
    const ids = randomIds(idCount, plan.rows);
    const trashed = await client.trash(trashThingsBody(ids));
    const { deletionId } = trashed;
    await verifyTrashed(server, trashWhat, {
      rowsBefore: plan.rows,
      ids,
      deletedCount: trashed.deletedCount,
      deletionId,
    });
    const undone = await client.undo(undoDeleteBody(deletionId));
    await verifyRestored(server, undoWhat, { rows: plan.rows, ids, deletionId, restoredCount: undone.restoredCount });
    return { ms: [trashed.ms, undone.ms], removed: [] };
  });
  if (!undoable || !undo) throw new Error(`${trashWhat}: no summary`);
  return { undoable, undo };
}

/** A raw-driver measurement still to be run: which database, which SQL shape. */
interface RawCandidate {
  database: RawDatabase;
  method: string;
  measure: () => Promise<Summary>;
}

async function compare(http: Summary, candidates: readonly RawCandidate[]): Promise<Comparison> {
  const raw: RawResult[] = [];
  for (const { database, method, measure } of candidates) {
    raw.push({ database: database.label, method, summary: await measure() });
  }
  const limit = fastest(raw);
  if (!limit) throw new Error("no raw configuration could run this delete");
  return { http, raw, limit };
}

/** Untimed warm-up requests per K: many small ones, a few big ones (about the same time for each K). */
function warmUpRequests(plan: Plan, idCount: number): number {
  return Math.min(plan.maxWarmUpRequests, Math.max(5, Math.floor(200_000 / idCount)));
}

/**
 * Untimed deletes of every shape the scenarios time through `api` (the deleteMany path up to 999 ids, the
 * one-parameter path above, deleteAllThings), so V8 has compiled its hot paths as it has in any server that has
 * been up for a while. Without it the first scenarios mostly timed JIT compilation: K=1 took 10.5 ms instead of
 * 3.6. The per-scenario warm-up rounds below then only settle the database's caches. Returns the requests sent.
 */
async function warmUpDeletes(plan: Plan, api: DeleteApi): Promise<number> {
  await api.db.seed(plan.rows);
  let requests = 0;
  for (const idCount of plan.idCounts) {
    for (let i = 0; i < warmUpRequests(plan, idCount); i++, requests++) {
      await deleteIds(api, randomIds(idCount, plan.rows));
    }
  }
  for (let i = 0; i < warmUpRequests(plan, plan.rows); i++, requests++) {
    await api.db.seed(plan.rows);
    await deleteAll(api, plan.rows);
  }
  return requests;
}

/** The same for the undoable delete and its undo, which only the server has. */
async function warmUpTrash(plan: Plan, client: GraphQLClient, server: BenchDatabase): Promise<number> {
  // On a full table, so every undoable delete moves rows and makes a Deletion; each undo fills the table again.
  await server.seed(plan.rows);
  let requests = 0;
  for (const idCount of plan.idCounts) {
    for (let i = 0; i < warmUpRequests(plan, idCount); i++, requests += 2) {
      const { deletionId } = await client.trash(trashThingsBody(randomIds(idCount, plan.rows)));
      await client.undo(undoDeleteBody(deletionId));
    }
  }
  return requests;
}

/**
 * What no delete through `api` can go below on this machine: a request that touches no database, to the same
 * process over the same connection, after the same untimed work (checking and refilling the table) a delete
 * waits through.
 */
async function measureNoop(plan: Plan, api: DeleteApi, what: string): Promise<Summary> {
  const samples: number[] = [];
  await api.db.seed(plan.rows);
  for (let i = 0; i < plan.warmups + plan.runs; i++) {
    await api.db.count();
    await api.db.refill(plan.rows, []);
    const ms = await noop(api);
    if (i >= plan.warmups) samples.push(ms);
  }
  const summary = summarize(samples);
  progress(`${what}: median ${summary.median.toFixed(3)} ms`);
  return summary;
}

/** Rounds of deleteIds of K random ids through `api`, each verified. */
function repeatDeleteIds(plan: Plan, api: DeleteApi, what: string, idCount: number): Promise<Summary> {
  return repeat(plan, api.db, what, async () => {
    const ids = randomIds(idCount, plan.rows);
    return { ids, ...(await deleteIds(api, ids)) };
  });
}

function repeatDeleteAll(plan: Plan, api: DeleteApi, what: string): Promise<Summary> {
  return repeat(plan, api.db, what, async () => ({ ids: "all", ...(await deleteAll(api, plan.rows)) }));
}

/** Each of `peers` in turn. */
async function eachPeer(peers: readonly DeleteApi[], measure: (peer: DeleteApi) => Promise<Summary>) {
  const summaries: Summary[] = [];
  for (const peer of peers) summaries.push(await measure(peer));
  return summaries;
}

/** `server` is the GraphQL server (its client also sends the undoable deletes), `peers` the others (floor first). */
export async function measureLatency(
  plan: Plan,
  server: DeleteApi,
  peers: readonly DeleteApi[],
  raws: readonly RawDatabase[],
): Promise<LatencyResults> {
  const warmUps = (await warmUpDeletes(plan, server)) + (await warmUpTrash(plan, server.client, server.db));
  progress(`server warmed up with ${warmUps} untimed deletes`);
  for (const peer of peers) progress(`${peer.name} warmed up with ${await warmUpDeletes(plan, peer)}`);
  const serverNoop = await measureNoop(plan, server, "server no-op ({ __typename })");
  const peerNoops = await eachPeer(peers, (peer) => measureNoop(plan, peer, `${peer.name} no-op`));
  const deleteThings: LatencyResults["deleteThings"] = [];
  for (const idCount of plan.idCounts) {
    // The peers and the undoable rounds right after the permanent ones, so they all run in the same conditions.
    const http = await repeatDeleteIds(plan, server, `HTTP deleteThings K=${idCount}`, idCount);
    const peerSummaries = await eachPeer(peers, (peer) =>
      repeatDeleteIds(plan, peer, `${peer.name} delete K=${idCount}`, idCount),
    );
    const trash = await repeatUndoable(plan, server.client, server.db, idCount);
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
    deleteThings.push({ idCount, ...trash, peers: peerSummaries, ...(await compare(http, candidates)) });
  }

  const deleteAllHttp = await repeatDeleteAll(plan, server, `HTTP deleteAllThings N=${plan.rows}`);
  const deleteAllPeers = await eachPeer(peers, (peer) =>
    repeatDeleteAll(plan, peer, `${peer.name} delete all N=${plan.rows}`),
  );
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
  return {
    rows: plan.rows,
    serverNoop,
    peerNoops,
    deleteThings,
    deleteAllThings: { peers: deleteAllPeers, ...(await compare(deleteAllHttp, deleteAllRaw)) },
  };
}
