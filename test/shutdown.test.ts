// SIGTERM on a real server process (dist/server.js, alone or under `npm start`): in-flight requests finish, SSE
// streams close, the database is left either fully before or fully after a running delete, and the process exits 0.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, openRawDatabase, type RawDatabase, type ScratchDatabase } from "./support/databases.ts";
import { DeleteThingsDetailedDocument, ThingsDeletedDocument } from "./gql/graphql.ts";
import { executeOverHttp, subscribe, TEST_API_KEY } from "./support/server.ts";
import { spawnServerProcess, startServerProcess, type Launch } from "./support/processes.ts";

const ROWS = 100_000;
/** The largest SHUTDOWN_TIMEOUT_MS: a process that waited for it instead of draining fails by the test's timeout. */
const NEVER_MS = "600000";
/** trace logs every SQL statement just before it is sent: the signal can be aimed at the running DELETE. */
const DELETE_SENT = /"sql":"DELETE FROM \\"Thing\\"/;
let database: ScratchDatabase;
let raw: RawDatabase | undefined;
beforeAll(async () => {
  database = await createScratchDatabase();
});
afterAll(async () => {
  await raw?.close();
  await database.drop();
});

/** ROWS fresh Things, as ids for deleteThings; the raw connection opens once a server has migrated the database. */
async function seedRows(): Promise<{ raw: RawDatabase; ids: string[] }> {
  raw ??= await openRawDatabase(database.url);
  await raw.clear();
  return { raw, ids: (await raw.seed(Array.from({ length: ROWS }, (_, i) => `thing ${i}`))).map(String) };
}

/**
 * A POST whose body never comes. `Expect: 100-continue` makes the server answer "100 Continue" in the same step in
 * which it takes the request up, so once that arrived the request is in flight for certain; it never ends by itself.
 */
function stalledRequest(origin: string): Promise<{ closed: Promise<string> }> {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  let received = "";
  const closed = new Promise<string>((resolve) => socket.once("close", () => resolve(received)));
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
      if (/^HTTP\/1\.1 100 Continue\r\n\r\n/.test(received)) resolve({ closed });
    });
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${TEST_API_KEY}\r\n` +
        "Content-Type: application/json\r\nAccept: application/json\r\n" +
        "Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n",
    );
  });
}

describe("SIGTERM", () => {
  it("during a 100000-id delete: the delete completes as a whole, SSE streams close, and the process exits 0", async () => {
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      LOG_LEVEL: "trace",
      MAX_DELETE_IDS: String(ROWS),
      SHUTDOWN_TIMEOUT_MS: NEVER_MS,
    });
    const { raw, ids } = await seedRows();
    const stream = await subscribe(fetch, `${server.origin}/graphql`, ThingsDeletedDocument);
    // Read while the delete runs, as a client does: once the server closes the stream, fetch discards what it
    // received but nobody read yet (a small event, now that events no longer list 100000 ids).
    const event = stream.next(30_000);

    const deleteSent = server.outputMatches(DELETE_SENT);
    const deleting = executeOverHttp(`${server.origin}/graphql`, DeleteThingsDetailedDocument, { ids });
    await deleteSent;
    server.child.kill("SIGTERM");

    const [result, exit] = await Promise.all([deleting, server.exited]);
    expect(exit).toEqual({ code: 0, signal: null });
    // Finished, not cut off: the client got its answer and the table is fully "after".
    expect(result.errors).toBeUndefined();
    expect(result.data?.deleteThings.deletedCount).toBe(ROWS);
    expect(await raw.things()).toEqual([]);
    // The subscriber got the event of the committed delete, then its stream ended.
    expect((await event).data?.thingsDeleted.count).toBe(ROWS);
    await expect(stream.next()).rejects.toThrow(/subscription ended|terminated|aborted|socket/i);
    expect(server.output()).toMatch(/"msg":"stopped"/);
  }, 120_000);

  it("past SHUTDOWN_TIMEOUT_MS a request that never ends is cut off, and the process exits 1", async () => {
    const server = await startServerProcess({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: "200" });
    const request = await stalledRequest(server.origin);

    server.child.kill("SIGTERM");

    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.output()).toMatch(/"inFlight":1,"timeoutMs":200,"msg":"shutdown timeout/);
    // Its connection was closed without an answer beyond the 100 Continue.
    expect(await request.closed).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n$/);
  });

  // On PostgreSQL the request is usually cut off (exit 1). better-sqlite3 runs the statement synchronously, so on
  // SQLite the signal is only handled after it finished, and the process exits 0. Either way the delete is all or
  // nothing.
  it("past SHUTDOWN_TIMEOUT_MS during a 100000-id delete, the table is left fully before or after", async () => {
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      LOG_LEVEL: "trace",
      MAX_DELETE_IDS: String(ROWS),
      SHUTDOWN_TIMEOUT_MS: "1",
    });
    const { raw, ids } = await seedRows();

    const deleteSent = server.outputMatches(DELETE_SENT);
    const deleting = executeOverHttp(`${server.origin}/graphql`, DeleteThingsDetailedDocument, { ids }).catch(
      (error: Error) => error,
    );
    await deleteSent;
    server.child.kill("SIGTERM");

    const exit = await server.exited;
    expect(exit).toEqual({ code: /shutdown timeout/.test(server.output()) ? 1 : 0, signal: null });
    await deleting;
    expect([0, ROWS]).toContain((await raw.things()).length);
  }, 120_000);

  // Aimed at the start's last steps (connecting the event bus, building the schema, listening), after the
  // migrations: without a handler that early, Node's default action ends the process with the signal. Whether the
  // signal lands before the server listens or just after, it exits 0 and says it stopped.
  it("during the start, after its migrations: the process finishes starting, drains at once and exits 0", async () => {
    const fresh = await createScratchDatabase();
    try {
      const server = spawnServerProcess({ DATABASE_URL: fresh.url, SHUTDOWN_TIMEOUT_MS: NEVER_MS });
      await server.outputMatches(/"msg":"applied migration"/);
      server.child.kill("SIGTERM");

      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.output()).toMatch(/"code":0,"msg":"stopped"/);
      // Held during the start, it never announced an address it was about to stop serving.
      if (/"msg":"stopping once started"/.test(server.output())) {
        expect(server.output()).not.toMatch(/GraphQL API on/);
      }
    } finally {
      await fresh.drop();
    }
  });

  // Docker and Kubernetes signal the container's first process: `npm start` must hand the signal to node (its script
  // execs node), or npm exits at once and node keeps serving without ever draining.
  it.each<Launch>(["node dist/server.js", "npm start"])(
    "to `%s` with nothing in flight: drains without waiting for the timeout, even with an idle SSE stream, and exits 0",
    async (launch) => {
      const server = await startServerProcess({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: NEVER_MS }, launch);
      const stream = await subscribe(fetch, `${server.origin}/graphql`, ThingsDeletedDocument);

      expect(await server.stop()).toEqual({ code: 0, signal: null });
      expect(server.output()).toMatch(/"signal":"SIGTERM","timeoutMs":600000,"msg":"shutting down"/);
      expect(server.output()).toMatch(/"code":0,"msg":"stopped"/);
      await expect(stream.next()).rejects.toThrow();
      // Nothing is left serving on the port.
      await expect(fetch(`${server.origin}/ready`)).rejects.toThrow();
    },
  );
});
