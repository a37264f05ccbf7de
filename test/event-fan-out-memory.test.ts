// Fan-out cost on a real server process: 1000 subscribers (MAX_SUBSCRIPTIONS' default) and one deleteThings of 1
// real row among 100,000 requested ids. Before, the event listed all 100,000 ids and every subscriber serialized
// its own ~1.1 MB copy: gigabytes of RSS, or the process died. Now the count-only delete's event is `truncated`
// (a few hundred bytes), built once, and RSS barely moves. The figures are in docs/operations.md#events.
import { readFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { DeleteThingsDocument, ThingsDeletedDocument, type ThingsDeletedSubscription } from "./gql/graphql.ts";
import { createScratchDatabase, openRawDatabase, type RawDatabase, type ScratchDatabase } from "./support/databases.ts";
import { startServerProcess, type ServerProcess } from "./support/processes.ts";
import { executeOverHttp, subscribe, type Subscription } from "./support/server.ts";

const SUBSCRIBERS = 1000;
const REQUESTED_IDS = 100_000;
/** Generous: the old code grew by gigabytes here; what is left is allocator noise and the request itself. */
const MAX_GROWTH_MIB = 300;

let database: ScratchDatabase | undefined;
let server: ServerProcess | undefined;
let raw: RawDatabase | undefined;
const subscriptions: Subscription<ThingsDeletedSubscription>[] = [];
afterAll(async () => {
  for (const subscription of subscriptions) subscription.close();
  await server?.stop();
  await raw?.close();
  await database?.drop();
});

/** Resident memory of a process, from Linux's /proc. */
function rssMiB(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib) / 1024;
}

it(`${SUBSCRIBERS} subscribers and a ${REQUESTED_IDS}-id delete of 1 real row: the delete answers, every subscriber gets one small event, RSS grows < ${MAX_GROWTH_MIB} MiB`, async () => {
  database = await createScratchDatabase();
  // Each subscriber holds a connection, so the delete needs one past MAX_CONNECTIONS' default (1000).
  server = await startServerProcess({
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "4",
    MAX_CONNECTIONS: String(SUBSCRIBERS + 10),
  });
  raw = await openRawDatabase(database.url);
  const url = `${server.origin}/graphql`;
  const pid = server.child.pid!;
  const atStart = rssMiB(pid);

  // In batches: a thousand connections at once would mostly measure the accept queue.
  for (let opened = 0; opened < SUBSCRIBERS; opened += 100) {
    const batch = Array.from({ length: 100 }, () => subscribe(fetch, url, ThingsDeletedDocument));
    subscriptions.push(...(await Promise.all(batch)));
  }
  const [real, kept] = await raw.seed(["real", "kept"]);
  const ids = [String(real), ...Array.from({ length: REQUESTED_IDS - 1 }, (_, i) => String(10_000_000 + i))];
  const before = rssMiB(pid);

  const result = await executeOverHttp(url, DeleteThingsDocument, { ids });
  expect(result.data?.deleteThings.deletedCount).toBe(1);
  const events = await Promise.all(subscriptions.map(async (subscription) => (await subscription.next(120_000)).data));
  const after = rssMiB(pid);

  expect(new Set(events.map((event) => JSON.stringify({ ...event?.thingsDeleted, at: undefined })))).toEqual(
    new Set([JSON.stringify({ ids: [], count: 1, allThings: false, truncated: true })]),
  );
  expect(await raw.things()).toEqual([{ id: kept, text: "kept" }]);
  console.log(
    `fan-out: RSS ${atStart.toFixed(0)} MiB at start, ${before.toFixed(0)} MiB with ${SUBSCRIBERS} subscribers, ` +
      `${after.toFixed(0)} MiB after the ${REQUESTED_IDS}-id delete reached them all`,
  );
  expect(after - before).toBeLessThan(MAX_GROWTH_MIB);
}, 300_000);
