// What the bare-Node floor servers understand, for them and for the benchmark that calls them: one POST route whose
// JSON body names the operation, as a GraphQL request does, so one URL serves every request (autocannon's too).
import type { DeleteProtocol } from "../delete-api.ts";

export type FloorRequest = { op: "deleteIds"; ids: number[] } | { op: "deleteAll" } | { op: "noop" };

/** GET here answers 200 once the floor listens: its database was opened and its statements prepared before that. */
export const FLOOR_READY_PATH = "/ready";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The request in `text`, checked as a server checks untrusted input: ids must be safe integers. */
export function parseFloorRequest(text: string): FloorRequest {
  const json: unknown = JSON.parse(text);
  if (!isRecord(json)) throw new Error("the body must be a JSON object");
  if (json.op === "deleteAll" || json.op === "noop") return { op: json.op };
  const { ids } = json;
  if (json.op !== "deleteIds" || !Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id))) {
    throw new Error('expected { "op": "deleteIds", "ids": [integers] }, { "op": "deleteAll" } or { "op": "noop" }');
  }
  return { op: "deleteIds", ids: ids as number[] };
}

const request = (body: FloorRequest) => JSON.stringify(body);

export const floorProtocol: DeleteProtocol = {
  deleteIds: (ids) => request({ op: "deleteIds", ids: [...ids] }),
  // The floor does not check the count first: a plain `DELETE FROM "Thing"` is the cheapest empty table.
  deleteAll: () => request({ op: "deleteAll" }),
  noop: request({ op: "noop" }),
  deletedCount(status, text, operation) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status !== 200 || !isRecord(json) || typeof json.deletedCount !== "number") {
      throw new Error(`floor ${operation} failed: HTTP ${status} ${text.slice(0, 500)}`);
    }
    return json.deletedCount;
  },
};
