// Concurrent clients create and delete over keep-alive HTTP while the server process is killed (SIGKILL) and started
// again on the same database: afterwards every acknowledged operation is in the database, every unacknowledged one
// is there entirely or not at all, and nothing else is.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createScratchDatabase,
  openRawDatabase,
  sessionsGone,
  TEST_DATABASE,
  type ScratchDatabase,
} from "./support/databases.ts";
import { CreateThingsDocument, DeleteThingsDetailedDocument } from "./gql/graphql.ts";
import { executeOverHttp, type GraphQLResponse } from "./support/server.ts";
import { startServerProcess, type ServerProcess } from "./support/processes.ts";

const CLIENTS = 16;
/**
 * Acknowledged creates and deletes every client needs from a server before the kill (and, on the restarted one, before
 * the end): counted, not timed, so that a slow machine runs longer rather than fails.
 */
const ACKNOWLEDGED_PER_SERVER = 5;
/** Requests per client at most, so that a server that never acknowledges ends the test instead of hanging it. */
const MAX_REQUESTS = 3000;

interface Create {
  kind: "create";
  texts: string[];
  /** Only for an acknowledged create: the ids the server returned, in the order of `texts`. */
  ids?: number[];
  /** Which server process it was sent to: 0 the first, 1 the restarted one. */
  generation: number;
}

interface Delete {
  kind: "delete";
  ids: number[];
  /** Only for an acknowledged delete. */
  deletedIds?: number[];
  generation: number;
}

type Operation = Create | Delete;

interface ClientLog {
  /** Answered 200 with data and no errors. */
  acknowledged: Operation[];
  /** A connection error, another status, or errors: the outcome is unknown to the client. */
  unacknowledged: Operation[];
}

let database: ScratchDatabase;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  database = await createScratchDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database?.drop();
});

/** Where the clients send requests; while the server is down, `available` holds them back. */
const endpoint = {
  url: "",
  generation: 0,
  available: Promise.resolve(),
};

async function attempt<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<TData | undefined> {
  let response: GraphQLResponse<TData>;
  try {
    response = await executeOverHttp(endpoint.url, document, variables);
  } catch {
    return undefined;
  }
  return response.status === 200 && response.data && !response.errors ? response.data : undefined;
}

/** Called after every acknowledged operation. */
let acknowledgedOne = () => {};

/** Resolves once every client has ACKNOWLEDGED_PER_SERVER creates and deletes acknowledged by server `generation`. */
function everyClientAcknowledged(logs: readonly ClientLog[], generation: number): Promise<void> {
  const enough = (log: ClientLog, kind: Operation["kind"]) =>
    log.acknowledged.filter((op) => op.kind === kind && op.generation === generation).length >= ACKNOWLEDGED_PER_SERVER;
  return new Promise((resolve) => {
    acknowledgedOne = () => {
      if (logs.every((log) => enough(log, "create") && enough(log, "delete"))) resolve();
    };
    acknowledgedOne();
  });
}

/** Creates a few tagged Things, or deletes some it created earlier and never sent in a delete, until `stopped()`. */
async function runClient(client: number, log: ClientLog, stopped: () => boolean): Promise<void> {
  const live: number[] = [];
  for (let request = 0; request < MAX_REQUESTS && !stopped(); request++) {
    await endpoint.available;
    const generation = endpoint.generation;
    if (live.length > 0 && Math.random() < 0.4) {
      const count = 1 + Math.floor(Math.random() * Math.min(5, live.length));
      // Taken out of `live` for good: if unacknowledged, the ids are in doubt and never touched again.
      const ids = Array.from({ length: count }, () => live.splice(Math.floor(Math.random() * live.length), 1)[0]!);
      const data = await attempt(DeleteThingsDetailedDocument, { ids: ids.map(String) });
      if (!data) log.unacknowledged.push({ kind: "delete", ids, generation });
      else {
        log.acknowledged.push({
          kind: "delete",
          ids,
          deletedIds: data.deleteThings.deletedIds.map(Number),
          generation,
        });
        acknowledgedOne();
      }
    } else {
      const texts = Array.from({ length: 1 + Math.floor(Math.random() * 4) }, (_, i) => `c${client}-r${request}-${i}`);
      const data = await attempt(CreateThingsDocument, { texts });
      if (data) {
        const things = data.createThings.things;
        const ids = things.map((thing) => Number(thing.id));
        log.acknowledged.push({ kind: "create", texts: things.map((thing) => thing.text), ids, generation });
        live.push(...ids);
        acknowledgedOne();
      } else {
        log.unacknowledged.push({ kind: "create", texts, generation });
      }
    }
  }
}

/** Everything in which `rows` differ from what the logs allow, as readable lines; empty when they agree. */
function violations(logs: readonly ClientLog[], rows: readonly { id: number; text: string }[]): string[] {
  const found: string[] = [];
  const idOf = new Map(rows.map((row) => [row.text, row.id]));
  const present = new Set(rows.map((row) => row.id));
  if (idOf.size !== rows.length) found.push(`${rows.length - idOf.size} texts are stored twice`);
  const acknowledged = logs.flatMap((log) => log.acknowledged);
  const unacknowledged = logs.flatMap((log) => log.unacknowledged);
  const deleted = new Set(acknowledged.flatMap((op) => (op.kind === "delete" ? op.ids : [])));
  const inDoubt = new Set(unacknowledged.flatMap((op) => (op.kind === "delete" ? op.ids : [])));
  const created = new Set<string>();

  for (const op of acknowledged) {
    if (op.kind === "delete") {
      // Only this client ever had these ids, and none was deleted before: all of them must be reported.
      const reported = [...op.deletedIds!].sort((a, b) => a - b);
      const requested = [...op.ids].sort((a, b) => a - b);
      if (reported.join() !== requested.join()) found.push(`delete of ${requested.join()} reported ${reported.join()}`);
      for (const id of op.ids) if (present.has(id)) found.push(`acknowledged-deleted id ${id} exists`);
      continue;
    }
    op.texts.forEach((text, i) => {
      created.add(text);
      const id = op.ids![i]!;
      if (deleted.has(id) || inDoubt.has(id)) return;
      const stored = idOf.get(text);
      if (stored !== id) found.push(`acknowledged create ${text} (id ${id}) is ${stored ? `id ${stored}` : "missing"}`);
    });
  }
  for (const op of unacknowledged) {
    const all: (string | number)[] = op.kind === "create" ? op.texts : op.ids;
    const stored = all.filter((key) => (typeof key === "string" ? idOf.has(key) : present.has(key)));
    if (stored.length !== 0 && stored.length !== all.length) {
      found.push(`unacknowledged ${op.kind} of ${all.join()} is half done: ${stored.join()} still there`);
    }
    if (op.kind === "create") for (const text of op.texts) created.add(text);
  }
  for (const row of rows)
    if (!created.has(row.text)) found.push(`row ${row.id} "${row.text}" was created by no client`);
  return found;
}

describe("load with a crash in the middle", () => {
  it("keeps every acknowledged create and delete, unacknowledged ones all or nothing, and nothing else", async () => {
    const startedAt = Date.now();
    const env = { DATABASE_URL: database.url, DATABASE_APPLICATION_NAME: "load-faults-first", DATABASE_POOL_SIZE: "4" };
    servers.push(await startServerProcess(env));
    endpoint.url = `${servers[0]!.origin}/graphql`;

    let stop = false;
    const logs = Array.from({ length: CLIENTS }, (): ClientLog => ({ acknowledged: [], unacknowledged: [] }));
    const clients = logs.map((log, client) => runClient(client, log, () => stop));
    const clientsDone = Promise.all(clients);

    await Promise.race([everyClientAcknowledged(logs, 0), clientsDone]);
    let restored = () => {};
    endpoint.available = new Promise((resolve) => (restored = resolve));
    const killedAt = Date.now();
    await servers[0]!.kill();
    await sessionsGone(database.url, env.DATABASE_APPLICATION_NAME);
    // The same address if it is still free, as a restarted service would have; the clients follow either way.
    const port = new URL(servers[0]!.origin).port;
    const second = { ...env, DATABASE_APPLICATION_NAME: "load-faults-second" };
    const restarted = await startServerProcess({ ...second, PORT: port }).catch(() => startServerProcess(second));
    servers.push(restarted);
    endpoint.url = `${restarted.origin}/graphql`;
    endpoint.generation = 1;
    restored();
    const downMs = Date.now() - killedAt;

    await Promise.race([everyClientAcknowledged(logs, 1), clientsDone]);
    stop = true;
    await clientsDone;
    await restarted.stop();

    const raw = await openRawDatabase(database.url);
    const rows = await raw.things();
    await raw.close();
    expect(violations(logs, rows)).toEqual([]);

    // The crash hit work in flight, and every client carried on on the new process.
    const unacknowledged = logs.flatMap((log) => log.unacknowledged);
    expect(unacknowledged.length).toBeGreaterThan(0);
    for (const log of logs) {
      for (const kind of ["create", "delete"]) {
        for (const generation of [0, 1]) {
          const acknowledged = log.acknowledged.filter((op) => op.kind === kind && op.generation === generation);
          expect(acknowledged.length, `${kind}s acknowledged by server ${generation}`).toBeGreaterThanOrEqual(
            ACKNOWLEDGED_PER_SERVER,
          );
        }
      }
    }

    const texts = new Set(rows.map((row) => row.text));
    const ids = new Set(rows.map((row) => row.id));
    const acknowledged = logs.flatMap((log) => log.acknowledged);
    const count = (ops: Operation[], kind: Operation["kind"]) => ops.filter((op) => op.kind === kind).length;
    const doneCreates = unacknowledged.filter((op) => op.kind === "create" && texts.has(op.texts[0]!)).length;
    const doneDeletes = unacknowledged.filter((op) => op.kind === "delete" && !ids.has(op.ids[0]!)).length;
    console.info(
      `load with faults on ${TEST_DATABASE}: ${CLIENTS} clients, ` +
        `${acknowledged.length + unacknowledged.length} requests; ` +
        `acknowledged ${count(acknowledged, "create")} creates and ${count(acknowledged, "delete")} deletes; ` +
        `unacknowledged ${count(unacknowledged, "create")} creates (${doneCreates} done) and ` +
        `${count(unacknowledged, "delete")} deletes (${doneDeletes} done); ${rows.length} rows at the end; ` +
        `killed to listening again ${downMs} ms (${restarted.origin === servers[0]!.origin ? "same" : "new"} port); ` +
        `${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    );
  }, 120_000);
});
