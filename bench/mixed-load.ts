// A mixed load of the requests a client sends (count-only and deletedIds deletes, an undoable delete and its undo,
// a page of Things, createThings) on several keep-alive connections at once, so the server's memory is read after
// use rather than at rest. Every answer is checked, and the table afterwards: the deleted ids gone, the restored
// ones back, the created ones added.
import { body, deleteThingsBody, GraphQLClient, trashThingsBody, undoDeleteBody } from "./graphql-client.ts";
import { progress } from "./progress.ts";
import { randomIds } from "./stats.ts";
import type { BenchDatabase } from "./target.ts";
import { VerificationError } from "./verify.ts";

const IDS_PER_DELETE = 10;
const TEXTS_PER_CREATE = 5;
const PAGE_SIZE = 20;
/** The steps of STEPS that take fresh ids: the two permanent deletes and the undoable one. */
const DELETING_STEPS = 3;

const DELETE_WITH_IDS =
  "mutation BenchDeleteWithIds($ids: [ID!]!) { deleteThings(ids: $ids) { deletedCount deletedIds } }";
const PAGE = "query BenchPage($first: Int!) { things(first: $first) { totalCount edges { node { id text } } } }";
const CREATE = "mutation BenchCreate($texts: [String!]!) { createThings(texts: $texts) { count things { id } } }";

export interface MixedLoadResult {
  requests: number;
  connections: number;
  seconds: number;
}

/** What the load did to the table, for the check at the end. */
interface Ledger {
  deleted: number[];
  restored: number[];
  created: number;
}

/** One request (or two: the undoable delete and its undo) of the mix; returns how many it sent. */
type Step = (client: GraphQLClient, takeIds: () => number[], ledger: Ledger) => Promise<number>;

function expect(condition: boolean, what: string): void {
  if (!condition) throw new VerificationError(`mixed load: ${what}`);
}

const STEPS: readonly Step[] = [
  async (client, takeIds, ledger) => {
    const ids = takeIds();
    const { deletedCount } = await client.delete(deleteThingsBody(ids), "deleteThings");
    expect(deletedCount === ids.length, `count-only deleteThings deleted ${deletedCount} of ${ids.length}`);
    ledger.deleted.push(...ids);
    return 1;
  },
  async (client, takeIds, ledger) => {
    const ids = takeIds();
    const reader = await client.send(
      body(DELETE_WITH_IDS, "BenchDeleteWithIds", { ids: ids.map(String) }),
      "deleteThings",
    );
    const reported = new Set(reader.list("deletedIds"));
    expect(reported.size === ids.length && ids.every((id) => reported.has(String(id))), "deletedIds differ");
    ledger.deleted.push(...ids);
    return 1;
  },
  async (client, takeIds, ledger) => {
    const ids = takeIds();
    const { deletionId, deletedCount } = await client.trash(trashThingsBody(ids));
    expect(deletedCount === ids.length, `undoable deleteThings moved ${deletedCount} of ${ids.length}`);
    const { restoredCount } = await client.undo(undoDeleteBody(deletionId));
    expect(restoredCount === ids.length, `undoDelete restored ${restoredCount} of ${ids.length}`);
    ledger.restored.push(...ids);
    return 2;
  },
  async (client) => {
    const reader = await client.send(body(PAGE, "BenchPage", { first: PAGE_SIZE }), "things");
    expect(reader.count("totalCount") > 0 && reader.list("edges").length === PAGE_SIZE, "the page is not full");
    return 1;
  },
  async (client, _takeIds, ledger) => {
    const texts = Array.from({ length: TEXTS_PER_CREATE }, (_, index) => `mixed load ${index}`);
    const reader = await client.send(body(CREATE, "BenchCreate", { texts }), "createThings");
    expect(reader.count("count") === texts.length && reader.list("things").length === texts.length, "createThings");
    ledger.created += texts.length;
    return 1;
  },
];

/** Sends about `requests` mixed requests (each connection finishes its last step) and verifies the table. */
export async function runMixedLoad(
  url: string,
  db: BenchDatabase,
  requests: number,
  connections: number,
): Promise<MixedLoadResult> {
  // Every delete takes ids no other request had. A cycle through STEPS sends more requests than it has steps (the
  // undo), so requests / STEPS.length cycles is an upper bound; plus one cycle's worth in flight per connection.
  const rows = (Math.ceil(requests / STEPS.length) + connections) * DELETING_STEPS * IDS_PER_DELETE;
  await db.seed(rows);
  const pool = randomIds(rows, rows);
  let next = 0;
  const takeIds = () => {
    const ids = pool.slice(next, (next += IDS_PER_DELETE));
    if (ids.length < IDS_PER_DELETE) throw new Error("mixed load: the seeded ids ran out");
    return ids;
  };
  const ledger: Ledger = { deleted: [], restored: [], created: 0 };
  let sent = 0;
  let step = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new GraphQLClient(url);
      try {
        while (sent < requests) {
          // Not `sent += await …`: that reads `sent` before the await and would drop the other connections' counts.
          const stepRequests = await STEPS[step++ % STEPS.length]!(client, takeIds, ledger);
          sent += stepRequests;
        }
      } finally {
        client.close();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const count = await db.count();
  const expected = rows - ledger.deleted.length + ledger.created;
  expect(count === expected, `${count} rows left, expected ${expected}`);
  expect((await db.countPresent(ledger.deleted)) === 0, "deleted ids still exist");
  expect((await db.countPresent(ledger.restored)) === ledger.restored.length, "restored ids are missing");
  progress(`mixed load: ${sent} requests on ${connections} connections in ${seconds.toFixed(1)} s, verified`);
  return { requests: sent, connections, seconds };
}
