// The floor servers' HTTP side: node:http, the body read and parsed as JSON, one answer as JSON. Nothing else, so
// that what the GraphQL server spends above it is its own layers' cost.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { FLOOR_READY_PATH, parseFloorRequest } from "./protocol.ts";

/** What a floor's database does for each operation; each returns the rows removed. */
export interface FloorDriver {
  deleteIds(ids: readonly number[]): number | Promise<number>;
  deleteAll(): number | Promise<number>;
  close(): void | Promise<void>;
}

function answer(res: ServerResponse, status: number, body: object): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json", "content-length": bytes.length }).end(bytes);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function handle(db: FloorDriver, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === "GET" && req.url === FLOOR_READY_PATH) return answer(res, 200, {});
  if (req.method !== "POST") return answer(res, 405, { error: "POST a JSON body" });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let request;
  try {
    request = parseFloorRequest(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    return answer(res, 400, { error: messageOf(error) });
  }
  try {
    if (request.op === "noop") return answer(res, 200, {});
    const deletedCount = await (request.op === "deleteIds" ? db.deleteIds(request.ids) : db.deleteAll());
    answer(res, 200, { deletedCount });
  } catch (error) {
    answer(res, 500, { error: messageOf(error) });
  }
}

/** Listens on HOST:PORT (set by bench/server-process.ts) until SIGTERM, then closes the database and exits. */
export function serveFloor(db: FloorDriver): void {
  const server = createServer((req, res) => void handle(db, req, res));
  server.listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
  process.once("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    void Promise.resolve(db.close()).finally(() => process.exit(0));
  });
}

/** DATABASE_URL, which bench/server-process.ts sets as for the real server. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  return url;
}
