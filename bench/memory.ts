// Peak server memory during one very large delete, permanent or undoable: the ids arrive as one JSON body, are
// coerced by GraphQL and bound as one parameter, and every copy on the way costs resident memory the operator has
// to provision. The undoable one should add no copy of the rows: they move inside the database.
import { deleteThingsBody, trashThingsBody, type GraphQLClient } from "./graphql-client.ts";
import { progress } from "./progress.ts";
import { randomIds } from "./stats.ts";
import type { MemorySample, ServerProcess } from "./server-process.ts";
import type { BenchDatabase } from "./target.ts";
import { verifyDeleted, verifyTrashed } from "./verify.ts";

const SAMPLE_INTERVAL_MS = 5;
/** A delete of this many ids first, so the baseline already includes the code paths' JIT and caches. */
const WARMUP_IDS = 1_000;
const KIB_PER_MIB = 1024;

export interface MemoryResult {
  /** deleteThings with `undoable: true`, into the trash. */
  undoable: boolean;
  /** Rows seeded and ids deleted in one call. */
  ids: number;
  /** VmRSS just before the delete, MiB. */
  rssBeforeMiB: number;
  /** Highest VmRSS sampled during the delete, MiB. */
  rssPeakSampledMiB: number;
  /** VmHWM before and after the delete, MiB: if it rose, the delete set the process's all-time peak. */
  hwmBeforeMiB: number;
  hwmAfterMiB: number;
  /** The higher of the two peaks above: what the delete needed at most. */
  peakMiB: number;
  deleteMs: number;
}

const mib = (kib: number) => kib / KIB_PER_MIB;

/** `server` must have been started with MAX_DELETE_IDS of at least `rows`, and MAX_BODY_BYTES to match. */
export async function measurePeakMemory(
  server: ServerProcess,
  client: GraphQLClient,
  db: BenchDatabase,
  rows: number,
  undoable: boolean,
): Promise<MemoryResult> {
  const bodyOf = undoable ? trashThingsBody : deleteThingsBody;
  const send = async (body: string): Promise<{ deletedCount: number; ms: number; deletionId: string | null }> =>
    undoable ? client.trash(body) : { ...(await client.delete(body, "deleteThings")), deletionId: null };
  await db.seed(rows);
  await send(bodyOf(randomIds(WARMUP_IDS, rows)));
  await db.seed(rows);
  const ids = randomIds(rows, rows);
  const body = bodyOf(ids);

  const before = server.memory();
  let peak: MemorySample = before;
  const sampler = setInterval(() => {
    const sample = server.memory();
    if (sample.rssKiB > peak.rssKiB) peak = sample;
  }, SAMPLE_INTERVAL_MS);
  let deleted: Awaited<ReturnType<typeof send>>;
  try {
    deleted = await send(body);
  } finally {
    clearInterval(sampler);
  }
  const after = server.memory();
  const what = `HTTP deleteThings${undoable ? "(undoable)" : ""} K=${rows} (memory)`;
  const { deletedCount, deletionId } = deleted;
  await (deletionId === null
    ? verifyDeleted(db, what, { rowsBefore: rows, ids, deletedCount })
    : verifyTrashed(db, what, { rowsBefore: rows, ids, deletedCount, deletionId }));

  const result: MemoryResult = {
    undoable,
    ids: rows,
    rssBeforeMiB: mib(before.rssKiB),
    rssPeakSampledMiB: mib(Math.max(peak.rssKiB, after.rssKiB)),
    hwmBeforeMiB: mib(before.peakKiB),
    hwmAfterMiB: mib(after.peakKiB),
    peakMiB: mib(Math.max(peak.rssKiB, after.rssKiB, after.peakKiB > before.peakKiB ? after.peakKiB : 0)),
    deleteMs: deleted.ms,
  };
  progress(
    `memory${undoable ? " (undoable)" : ""} K=${rows}: ${result.rssBeforeMiB.toFixed(0)} → peak ${result.peakMiB.toFixed(0)} MiB`,
  );
  return result;
}
