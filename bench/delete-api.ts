// A process the benchmark deletes through over HTTP (the GraphQL server, or a bare-Node floor), with the database it
// deletes from: the two differ only in the bodies they take and the answers they give, so every round, check and
// load is written once for both.
import type { GraphQLClient } from "./graphql-client.ts";
import type { BenchDatabase } from "./target.ts";

export type DeleteOperation = "deleteIds" | "deleteAll";

/** The request bodies of one API, and how to read its answers. */
export interface DeleteProtocol {
  /** Deletes exactly these ids, answering how many went. */
  deleteIds(ids: readonly number[]): string;
  /** Empties the table, which holds `expectedCount` rows. */
  deleteAll(expectedCount: number): string;
  /** Touches no database: what HTTP and the API's own layer cost alone. */
  noop: string;
  /** `deletedCount` of a successful answer; anything else (HTTP error, error body, missing field) throws. */
  deletedCount(status: number, text: string, operation: DeleteOperation): number;
}

export interface DeleteApi {
  /** As the report names the row, e.g. "this server". */
  name: string;
  url: string;
  client: GraphQLClient;
  protocol: DeleteProtocol;
  db: BenchDatabase;
}

export interface TimedDelete {
  deletedCount: number;
  ms: number;
}

export async function deleteIds(api: DeleteApi, ids: readonly number[]): Promise<TimedDelete> {
  const { status, text, ms } = await api.client.post(api.protocol.deleteIds(ids));
  return { deletedCount: api.protocol.deletedCount(status, text, "deleteIds"), ms };
}

export async function deleteAll(api: DeleteApi, expectedCount: number): Promise<TimedDelete> {
  const { status, text, ms } = await api.client.post(api.protocol.deleteAll(expectedCount));
  return { deletedCount: api.protocol.deletedCount(status, text, "deleteAll"), ms };
}

/** The no-op's time; a failed one throws. */
export async function noop(api: DeleteApi): Promise<number> {
  const { status, text, ms } = await api.client.post(api.protocol.noop);
  if (status !== 200) throw new Error(`${api.name}: the no-op failed: HTTP ${status} ${text.slice(0, 500)}`);
  return ms;
}
