// HTTP_REQUEST_TIMEOUT_MS and MAX_CONNECTIONS on a real server process over real sockets: a client that sends its
// request too slowly is cut off, one connection too many is refused, and neither touches healthy clients or SSE
// subscriptions.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteThingsDocument, ThingsDeletedDocument } from "./gql/graphql.ts";
import { createScratchDatabase, openRawDatabase, type RawDatabase, type ScratchDatabase } from "./support/databases.ts";
import { startServerProcess, type ServerProcess } from "./support/processes.ts";
import { executeOverHttp, subscribe } from "./support/server.ts";

const REQUEST_TIMEOUT_MS = 1000;

let database: ScratchDatabase;
let raw: RawDatabase;
const servers: ServerProcess[] = [];
const sockets: Socket[] = [];
beforeAll(async () => {
  database = await createScratchDatabase();
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => server.stop()));
  await raw?.close();
  await database.drop();
});

async function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const server = await startServerProcess({ DATABASE_URL: database.url, ...env });
  servers.push(server);
  raw ??= await openRawDatabase(database.url);
  return server;
}

interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the server (or the network) closed the socket. */
  closed: Promise<void>;
}

/** A plain TCP connection to `origin`, once established; nothing is sent yet. */
async function open(origin: string): Promise<RawConnection> {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  // A refused connection may end with a reset; 'close' follows either way.
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, received: () => received, closed };
}

/** GET /health on a kept-alive connection; resolves with the status line of the answer. */
async function health({ socket }: RawConnection): Promise<string> {
  const answer = new Promise<string>((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString())));
  socket.write("GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
  return (await answer).split("\r\n")[0]!;
}

/**
 * A POST whose body never completes: the headers, then one byte every 100 ms, so the socket never goes idle.
 * Resolves with what the server answered and how long after the headers it closed the connection.
 */
async function slowBody(origin: string): Promise<{ answer: string; closedAfterMs: number }> {
  const connection = await open(origin);
  connection.socket.write(
    "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
  );
  const sentAt = performance.now();
  const drip = setInterval(() => connection.socket.write("{"), 100);
  await connection.closed;
  clearInterval(drip);
  return { answer: connection.received(), closedAfterMs: performance.now() - sentAt };
}

// Server processes start slowly on a busy machine.
describe("HTTP_REQUEST_TIMEOUT_MS", { timeout: 120_000 }, () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  }, 120_000);

  it("answers 408 and closes a connection whose request body arrives too slowly", async () => {
    const { answer, closedAfterMs } = await slowBody(server.origin);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // Wide margin: Node sweeps for expired requests periodically, and the machine may be busy.
    expect(closedAfterMs).toBeLessThan(10 * REQUEST_TIMEOUT_MS);
  });

  it("leaves an SSE subscription open past the timeout, and it still receives the next event", async () => {
    const stream = await subscribe(fetch, `${server.origin}/graphql`, ThingsDeletedDocument);
    try {
      // The slow request, opened after the stream, was cut off: the stream has been open longer than the timeout.
      expect((await slowBody(server.origin)).answer).toMatch(/^HTTP\/1\.1 408 /);
      const [id] = await raw.seed(["kept open"]);
      const result = await executeOverHttp(`${server.origin}/graphql`, DeleteThingsDocument, { ids: [String(id)] });
      expect(result.data?.deleteThings.deletedCount).toBe(1);
      expect((await stream.next()).data?.thingsDeleted).toMatchObject({ ids: [String(id)], count: 1 });
      expect(await raw.things()).toEqual([]);
    } finally {
      stream.close();
    }
  });
});

describe("MAX_CONNECTIONS", { timeout: 120_000 }, () => {
  it("closes the connection beyond the limit at once, while the open ones keep being served", async () => {
    const server = await startServer({ MAX_CONNECTIONS: "2" });
    const first = await open(server.origin);
    const second = await open(server.origin);
    // Answered, so the server has accepted (and counts) both.
    expect(await health(first)).toBe("HTTP/1.1 200 OK");
    expect(await health(second)).toBe("HTTP/1.1 200 OK");

    const warned = server.outputMatches(/MAX_CONNECTIONS reached/);
    const third = await open(server.origin);
    third.socket.write("GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
    await third.closed;
    expect(third.received()).toBe("");
    await warned;

    expect(await health(first)).toBe("HTTP/1.1 200 OK");
    expect(await health(second)).toBe("HTTP/1.1 200 OK");
  });
});
