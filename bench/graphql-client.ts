// A minimal GraphQL-over-HTTP client on one keep-alive connection, so a timed request measures the server and not
// TCP setup, and the request body is serialised before the clock starts. Its POST also serves the bare-Node floors,
// which take JSON on one route as GraphQL does (and ignore the Authorization header).
import { Agent, request } from "node:http";
import type { DeleteProtocol } from "./delete-api.ts";

/** The API key the benchmark's server is started with (API_KEYS) and every request sends; it has every scope. */
export const BENCH_API_KEY = "bench-key-with-every-scope";
export const BENCH_API_KEYS_ENV = JSON.stringify([
  { key: BENCH_API_KEY, sub: "bench", scopes: ["things:read", "things:write", "things:delete", "things:delete-all"] },
]);

/** The operations the benchmark sends: named, selecting only deletedCount (the one-statement path). */
export const BENCH_DELETE = "mutation BenchDelete($ids: [ID!]!) { deleteThings(ids: $ids) { deletedCount } }";
export const BENCH_DELETE_ALL =
  "mutation BenchDeleteAll($expectedCount: Int!) { deleteAllThings(expectedCount: $expectedCount) { deletedCount } }";
/** The same delete into the trash: the count and the Deletion id are all the undo needs. */
export const BENCH_TRASH =
  "mutation BenchTrash($ids: [ID!]!) { deleteThings(ids: $ids, undoable: true) { deletedCount deletion { id } } }";
export const BENCH_UNDO =
  "mutation BenchUndo($deletionId: ID!) { undoDelete(deletionId: $deletionId) { restoredCount } }";
const PROBE = "query BenchProbe { __typename }";
const IDLE_SOCKET_MS = 4_000;

export type DeleteField = "deleteThings" | "deleteAllThings";
/** The root fields whose payload the benchmark reads. */
export type PayloadField = DeleteField | "undoDelete" | "createThings" | "things";

/** A GraphQL request body. */
export function body(query: string, operationName: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, operationName, variables });
}

/** IDs go over the wire as strings, as GraphQL clients send an `ID`. */
export function deleteThingsBody(ids: readonly number[]): string {
  return body(BENCH_DELETE, "BenchDelete", { ids: ids.map(String) });
}

export function deleteAllThingsBody(expectedCount: number): string {
  return body(BENCH_DELETE_ALL, "BenchDeleteAll", { expectedCount });
}

export function trashThingsBody(ids: readonly number[]): string {
  return body(BENCH_TRASH, "BenchTrash", { ids: ids.map(String) });
}

export function undoDeleteBody(deletionId: string): string {
  return body(BENCH_UNDO, "BenchUndo", { deletionId });
}

export const probeBody = body(PROBE, "BenchProbe", {});

/** The server's side of what the floors are compared on: count-only deleteThings, deleteAllThings, `{ __typename }`. */
export const graphqlProtocol: DeleteProtocol = {
  deleteIds: deleteThingsBody,
  deleteAll: deleteAllThingsBody,
  noop: probeBody,
  deletedCount: (status, text, operation) =>
    readDeletedCount(status, text, operation === "deleteIds" ? "deleteThings" : "deleteAllThings"),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Reads a successful operation's payload; anything else (HTTP error, GraphQL errors, a missing field) throws. */
export class PayloadReader {
  readonly #payload: Record<string, unknown>;

  constructor(
    private readonly status: number,
    private readonly text: string,
    private readonly field: PayloadField,
  ) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const data = isRecord(json) && isRecord(json.data) ? json.data[field] : undefined;
    if (status !== 200 || (isRecord(json) && json.errors !== undefined) || !isRecord(data)) throw this.failure();
    this.#payload = data;
  }

  count(name: string): number {
    const count = this.#payload[name];
    if (typeof count !== "number") throw this.failure();
    return count;
  }

  /** The list in `name`, e.g. deleteThings' `deletedIds` or a connection's `edges`. */
  list(name: string): unknown[] {
    const list = this.#payload[name];
    if (!Array.isArray(list)) throw this.failure();
    return list;
  }

  /** The id of the object in `name`, e.g. the undoable delete's `deletion { id }`. */
  id(name: string): string {
    const object = this.#payload[name];
    const id = isRecord(object) ? object.id : undefined;
    if (typeof id !== "string") throw this.failure();
    return id;
  }

  private failure(): Error {
    return new Error(`${this.field} failed: HTTP ${this.status} ${this.text.slice(0, 500)}`);
  }
}

/** `deletedCount` of a successful delete response; anything else (HTTP error, GraphQL errors) throws with the body. */
export function readDeletedCount(status: number, text: string, field: DeleteField): number {
  return new PayloadReader(status, text, field).count("deletedCount");
}

export interface TimedResponse {
  status: number;
  text: string;
  /** From sending the request to the last byte of the response. */
  ms: number;
}

export class GraphQLClient {
  readonly #url: URL;
  // One socket: requests are sequential, and reusing it keeps connection setup out of every timing after the first.
  // The agent drops it after an idle while shorter than Node's server keep-alive timeout (5 s); otherwise the
  // first request after a long raw-driver phase could be written to a socket the server is closing.
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1, timeout: IDLE_SOCKET_MS });

  constructor(url: string) {
    this.#url = new URL(url);
  }

  post(payload: string): Promise<TimedResponse> {
    const bytes = Buffer.from(payload);
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(
        this.#url,
        {
          method: "POST",
          agent: this.#agent,
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            authorization: `Bearer ${BENCH_API_KEY}`,
            "content-length": bytes.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const ms = performance.now() - started;
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ms });
          });
        },
      );
      req.on("error", reject);
      req.end(bytes);
    });
  }

  /** Sends one operation and returns the reader of `field`'s payload; a failed operation throws. */
  async send(payload: string, field: PayloadField): Promise<PayloadReader> {
    const { status, text } = await this.post(payload);
    return new PayloadReader(status, text, field);
  }

  /** Sends one delete and returns its deletedCount and time; a failed delete throws. */
  async delete(payload: string, field: DeleteField): Promise<{ deletedCount: number; ms: number }> {
    const response = await this.post(payload);
    return { deletedCount: readDeletedCount(response.status, response.text, field), ms: response.ms };
  }

  /** Sends one undoable deleteThings (`trashThingsBody`); it must have moved rows, so that it made a Deletion. */
  async trash(payload: string): Promise<{ deletedCount: number; deletionId: string; ms: number }> {
    const { status, text, ms } = await this.post(payload);
    const reader = new PayloadReader(status, text, "deleteThings");
    return { deletedCount: reader.count("deletedCount"), deletionId: reader.id("deletion"), ms };
  }

  /** Sends one undoDelete (`undoDeleteBody`) and returns its restoredCount and time. */
  async undo(payload: string): Promise<{ restoredCount: number; ms: number }> {
    const { status, text, ms } = await this.post(payload);
    return { restoredCount: new PayloadReader(status, text, "undoDelete").count("restoredCount"), ms };
  }

  close(): void {
    this.#agent.destroy();
  }
}
