// A minimal GraphQL-over-HTTP client on one keep-alive connection, so a timed request measures the server and not
// TCP setup, and the request body is serialised before the clock starts.
import { Agent, request } from "node:http";

/** The API key the benchmark's server is started with (API_KEYS) and every request sends; it has every scope. */
export const BENCH_API_KEY = "bench-key-with-every-scope";
export const BENCH_API_KEYS_ENV = JSON.stringify([
  { key: BENCH_API_KEY, sub: "bench", scopes: ["things:read", "things:write", "things:delete", "things:delete-all"] },
]);

/** The operations the benchmark sends: named, selecting only deletedCount (the one-statement path). */
export const BENCH_DELETE = "mutation BenchDelete($ids: [ID!]!) { deleteThings(ids: $ids) { deletedCount } }";
export const BENCH_DELETE_ALL =
  "mutation BenchDeleteAll($expectedCount: Int!) { deleteAllThings(expectedCount: $expectedCount) { deletedCount } }";
const PROBE = "query BenchProbe { __typename }";
const IDLE_SOCKET_MS = 4_000;

export type DeleteField = "deleteThings" | "deleteAllThings";

function body(query: string, operationName: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, operationName, variables });
}

/** IDs go over the wire as strings, as GraphQL clients send an `ID`. */
export function deleteThingsBody(ids: readonly number[]): string {
  return body(BENCH_DELETE, "BenchDelete", { ids: ids.map(String) });
}

export function deleteAllThingsBody(expectedCount: number): string {
  return body(BENCH_DELETE_ALL, "BenchDeleteAll", { expectedCount });
}

export const probeBody = body(PROBE, "BenchProbe", {});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** `deletedCount` of a successful delete response; anything else (HTTP error, GraphQL errors) throws with the body. */
export function readDeletedCount(status: number, text: string, field: DeleteField): number {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const data = isRecord(json) && isRecord(json.data) ? json.data[field] : undefined;
  const count = isRecord(data) ? data.deletedCount : undefined;
  if (status !== 200 || (isRecord(json) && json.errors !== undefined) || typeof count !== "number") {
    throw new Error(`${field} failed: HTTP ${status} ${text.slice(0, 500)}`);
  }
  return count;
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

  /** Sends one delete and returns its deletedCount and time; a failed delete throws. */
  async delete(payload: string, field: DeleteField): Promise<{ deletedCount: number; ms: number }> {
    const response = await this.post(payload);
    return { deletedCount: readDeletedCount(response.status, response.text, field), ms: response.ms };
  }

  close(): void {
    this.#agent.destroy();
  }
}
