// A thingsDeleted subscriber that stops reading its socket, against a real server process: it is dropped with
// SUBSCRIBER_TOO_SLOW, the process survives, and a subscriber that reads keeps receiving. Before, the stalled
// subscriber's Repeater overflowed after 1024 events and the error, thrown in the event listener, ended the process.
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { print } from "graphql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DeleteThingsDocument, ThingsDeletedDocument, type ThingsDeletedSubscription } from "./gql/graphql.ts";
import { createScratchDatabase, openRawDatabase, servicesAvailable, TEST_REDIS_URL } from "./support/databases.ts";
import { startServerProcess } from "./support/processes.ts";
import { executeOverHttp, subscribe, TEST_API_KEY, type Subscription } from "./support/server.ts";

const redis = await servicesAvailable("slow subscriber over Redis", ["redis"]);

/** Small, so that the queue overflows soon after the sockets' buffers are full. */
const SUBSCRIBER_QUEUE_MAX = 2;
/**
 * Rows per delete call, all listed in its event (EVENT_MAX_IDS is raised to match): ~90 KB per event, so that the
 * ~4 MB a loopback connection buffers fill after a few dozen calls rather than tens of thousands.
 */
const BATCH = 10_000;
/** Far more bytes than any socket buffers hold; the test stops deleting as soon as the drop is logged. */
const MAX_ROUNDS = 300;

interface StalledSubscriber {
  /** Starts reading again and resolves with everything the server sent, once it ended the response. */
  resume(): Promise<string>;
  close(): void;
}

/** A subscription over its own socket that, once the response started, reads nothing more. */
function stalledSubscriber(url: string): Promise<StalledSubscriber> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          authorization: `Bearer ${TEST_API_KEY}`,
        },
      },
      (response) => {
        // The kernel's buffers fill, then the server's write waits for 'drain' and Yoga stops pulling events.
        response.socket.pause();
        resolve({
          resume: () =>
            new Promise((ended, failed) => {
              let text = "";
              response.setEncoding("utf8");
              response.on("data", (chunk: string) => (text += chunk));
              response.on("end", () => ended(text));
              response.on("error", failed);
              response.socket.resume();
            }),
          close: () => outgoing.destroy(),
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(JSON.stringify({ query: print(ThingsDeletedDocument) }));
  });
}

/** Reads a subscription continuously, as a healthy client does, collecting the ids of its events. */
function keepReading(subscription: Subscription<ThingsDeletedSubscription>): string[] {
  const ids: string[] = [];
  void (async () => {
    for (;;) ids.push(...((await subscription.next(60_000)).data?.thingsDeleted.ids ?? []));
  })().catch(() => {});
  return ids;
}

/** The SSE messages of a response, as [event, data] pairs. */
function messages(text: string): [string, string][] {
  return text
    .split("\n\n")
    .map((message) => message.split("\n"))
    .filter((lines) => lines[0]?.startsWith("event: "))
    .map((lines) => [
      lines[0]!.slice("event: ".length),
      lines.find((line) => line.startsWith("data:"))?.slice(5) ?? "",
    ]);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each([
  { transport: "in process", env: {}, skip: false },
  { transport: "through Redis", env: { REDIS_URL: TEST_REDIS_URL }, skip: !redis },
])("a subscriber that stops reading ($transport)", ({ env, skip }) => {
  it.skipIf(skip)(
    "is dropped with SUBSCRIBER_TOO_SLOW; the process lives on and a reading subscriber gets every event",
    async () => {
      const database = await createScratchDatabase();
      cleanups.push(() => database.drop());
      const server = await startServerProcess({
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: "4",
        SUBSCRIBER_QUEUE_MAX: String(SUBSCRIBER_QUEUE_MAX),
        EVENT_MAX_IDS: String(BATCH),
        REDIS_CHANNEL_PREFIX: `test-${randomBytes(4).toString("hex")}:`,
        ...env,
      });
      cleanups.push(() => void server.stop());
      const raw = await openRawDatabase(database.url);
      cleanups.push(() => raw.close());
      const url = `${server.origin}/graphql`;

      const healthy = await subscribe(fetch, url, ThingsDeletedDocument);
      cleanups.push(() => healthy.close());
      const received = keepReading(healthy);
      const stalled = await stalledSubscriber(url);
      cleanups.push(() => stalled.close());

      const [kept] = await raw.seed(["kept"]);
      let dropped = false;
      void server.outputMatches(/slow subscriber dropped/).then(() => (dropped = true));
      const deleted: string[] = [];
      let rounds = 0;
      for (; !dropped && rounds < MAX_ROUNDS; rounds++) {
        const ids = (await raw.seed(Array.from({ length: BATCH }, (_, i) => `r${rounds}-${i}`))).map(String);
        const result = await executeOverHttp(url, DeleteThingsDocument, { ids });
        expect(result.data?.deleteThings.deletedCount).toBe(BATCH);
        deleted.push(...ids);
      }
      expect(dropped).toBe(true);
      expect(server.output()).toMatch(/"level":40,.*"code":"SUBSCRIBER_TOO_SLOW"/);

      // Still serving: one more delete answers, and the subscriber that reads gets every event, in order.
      const [last] = (await raw.seed(["last"])).map(String);
      expect((await executeOverHttp(url, DeleteThingsDocument, { ids: [last!] })).data?.deleteThings.deletedCount).toBe(
        1,
      );
      await vi.waitFor(() => expect(received.at(-1)).toBe(last), { timeout: 30_000 });
      expect(received).toEqual([...deleted, last]);
      expect(server.child.exitCode).toBeNull();
      expect(await raw.things()).toEqual([{ id: kept, text: "kept" }]);

      // The stalled client, reading again, gets what was in flight, then the error, then the end of the stream.
      const sent = messages(await stalled.resume());
      expect(sent.at(-1)).toEqual(["complete", ""]);
      const [event, data] = sent.at(-2)!;
      expect(event).toBe("next");
      expect(JSON.parse(data)).toMatchObject({
        errors: [{ extensions: { code: "SUBSCRIBER_TOO_SLOW", max: SUBSCRIBER_QUEUE_MAX } }],
      });
      expect(sent.length - 2).toBeLessThan(rounds);
    },
    180_000,
  );
});
