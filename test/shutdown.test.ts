// SIGTERM on a real server process (src/server.ts): in-flight requests finish, SSE streams close, the database
// is left either fully before or fully after a running delete, and the process exits 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, openRawDatabase, type RawDatabase, type ScratchDatabase } from "./support/databases.ts";
import { DeleteThingsDetailedDocument, ThingsDeletedDocument } from "./gql/graphql.ts";
import { executeOverHttp, subscribe } from "./support/server.ts";
import { startServerProcess } from "./support/processes.ts";

const ROWS = 100_000;
let database: ScratchDatabase;
let raw: RawDatabase;
beforeAll(async () => {
  database = await createScratchDatabase();
});
afterAll(async () => {
  await raw?.close();
  await database.drop();
});

describe("SIGTERM", () => {
  it("during a 100000-id delete: the delete completes as a whole, SSE streams close, and the process exits 0", async () => {
    // trace logs every SQL statement just before it is sent: the signal can be aimed at the running DELETE.
    const server = await startServerProcess({ DATABASE_URL: database.url, LOG_LEVEL: "trace", MAX_DELETE_IDS: String(ROWS) });
    raw = await openRawDatabase(database.url);
    const ids = (await raw.seed(Array.from({ length: ROWS }, (_, i) => `thing ${i}`))).map(String);
    const stream = await subscribe(fetch, `${server.origin}/graphql`, ThingsDeletedDocument);
    // Read while the delete runs, as a client does: once the server closes the stream, fetch discards what it
    // received but nobody read yet (a small event, now that events no longer list 100000 ids).
    const event = stream.next(30_000);

    const deleting = executeOverHttp(`${server.origin}/graphql`, DeleteThingsDetailedDocument, { ids });
    await waitFor(() => /"sql":"DELETE FROM \\"Thing\\"/.test(server.output()), 20_000);
    const signalledAt = Date.now();
    server.child.kill("SIGTERM");

    const [result, exit] = await Promise.all([deleting, server.exited]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    // Finished, not cut off: the client got its answer and the table is fully "after".
    expect(result.errors).toBeUndefined();
    expect(result.data?.deleteThings.deletedCount).toBe(ROWS);
    expect(await raw.things()).toEqual([]);
    // The subscriber got the event of the committed delete, then its stream ended.
    expect((await event).data?.thingsDeleted.count).toBe(ROWS);
    await expect(stream.next()).rejects.toThrow(/subscription ended|terminated|aborted|socket/i);
    expect(server.output()).toMatch(/"msg":"stopped"/);
  });

  // On PostgreSQL the request is cut off (exit 1). better-sqlite3 runs the statement synchronously, so on SQLite the
  // signal is only handled after it finished, and the process exits 0. Either way the delete is all or nothing.
  it("past SHUTDOWN_TIMEOUT_MS exits anyway (1 when it cut a request off), the table fully before or after", async () => {
    const server = await startServerProcess({
      DATABASE_URL: database.url,
      LOG_LEVEL: "trace",
      MAX_DELETE_IDS: String(ROWS),
      SHUTDOWN_TIMEOUT_MS: "1",
    });
    raw ??= await openRawDatabase(database.url);
    await raw.clear();
    const ids = (await raw.seed(Array.from({ length: ROWS }, (_, i) => `thing ${i}`))).map(String);

    const deleting = executeOverHttp(`${server.origin}/graphql`, DeleteThingsDetailedDocument, { ids }).catch(
      (error: Error) => error,
    );
    await waitFor(() => /"sql":"DELETE FROM \\"Thing\\"/.test(server.output()), 20_000);
    const signalledAt = Date.now();
    server.child.kill("SIGTERM");

    const exit = await server.exited;
    expect(Date.now() - signalledAt).toBeLessThan(6000);
    expect(exit).toEqual({ code: /shutdown timeout/.test(server.output()) ? 1 : 0, signal: null });
    await deleting;
    expect([0, ROWS]).toContain((await raw.things()).length);
  });

  it("with nothing in flight exits 0 at once, even with an idle SSE stream open", async () => {
    const server = await startServerProcess({ DATABASE_URL: database.url });
    const stream = await subscribe(fetch, `${server.origin}/graphql`, ThingsDeletedDocument);
    const signalledAt = Date.now();

    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(3000);
    await expect(stream.next()).rejects.toThrow();
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
