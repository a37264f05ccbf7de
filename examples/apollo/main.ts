// A runnable tour of the example against a running server (`npm start` first):
//   npx tsx examples/apollo/main.ts [http://127.0.0.1:4000/graphql]
// The token is THINGS_API_TOKEN, or the development key `npm start` keeps in data/dev-api-key.
// Lists the first page, follows thingsChanged, deletes the first two Things (undoable) plus an id that does not
// exist, prints the list from the cache, undoes the delete, and prints it again, from the cache.
import { existsSync, readFileSync } from "node:fs";
import { createThingsClient } from "./client.ts";
import type { ThingsChangedEvent } from "./evict-deleted-things.ts";
import { followThingsChanged } from "./follow-things-changed.ts";
import { ThingsListDocument } from "./gql/graphql.ts";
import { deleteSelectionUndoable, undoDeletion } from "./undo-deletion.ts";

const url = process.argv[2] ?? "http://127.0.0.1:4000/graphql";
let connected!: () => void;
const isConnected = new Promise<void>((resolve) => (connected = resolve));
const devKeyFile = "data/dev-api-key";
const token =
  process.env.THINGS_API_TOKEN ?? (existsSync(devKeyFile) ? readFileSync(devKeyFile, "utf8").trim() : undefined);
const client = createThingsClient({ url, token, sse: { on: { connected: () => connected() } } });

const list = async () => (await client.query({ query: ThingsListDocument, variables: { first: 10 } })).data;
const before = await list().catch((error: unknown) => {
  const reason = unreachableReason(error);
  if (reason === undefined) throw error;
  // One line instead of fetch's stack: the usual cause is a server that is not running yet.
  console.error(`Cannot reach the API at ${url} (${reason}); start it with \`npm start\`, or pass its URL.`);
  process.exit(1);
});
console.log(
  `thingCount ${before?.thingCount}, first ids:`,
  before?.things.edges.map((edge) => edge.node.id).join(", "),
);

// Each step resolves when its thingsChanged event has been applied to the cache.
const waiting: ((event: ThingsChangedEvent) => void)[] = [];
const nextEvent = () => new Promise<ThingsChangedEvent>((resolve) => waiting.push(resolve));
const live = followThingsChanged(client, {
  onEvent: (event) => {
    console.log("thingsChanged:", event);
    waiting.shift()?.(event);
  },
});
await isConnected;
// cache-first: answered from the corrected cache, no request.
const printCached = (step: string) => {
  const cached = client.readQuery({ query: ThingsListDocument, variables: { first: 10 } });
  console.log(
    `${step}: thingCount ${cached?.thingCount}, first ids:`,
    cached?.things.edges.map((edge) => edge.node.id).join(", "),
  );
};

const selection = [...(before?.things.edges.slice(0, 2).map((edge) => edge.node.id) ?? []), "2147483647"];
const trashed = nextEvent();
const payload = await deleteSelectionUndoable(client, selection, { subscribed: true });
console.log(`deleted ${payload.deletedIds.join(", ") || "nothing"}; not found: ${payload.notFoundIds.join(", ")}`);
if (payload.undo) {
  await trashed;
  printCached("after the delete");
  const restoredEvent = nextEvent();
  const undone = await undoDeletion(client, payload.undo, { subscribed: true });
  console.log(`undo: restored ${undone.restoredIds.join(", ") || "nothing"}`);
  if (undone.restoredCount > 0) await restoredEvent;
  printCached("after the undo");
}
live.unsubscribe();
client.stop();

/**
 * Why Node's fetch could not reach the server (`TypeError: fetch failed`, whose cause is the socket error, e.g.
 * ECONNREFUSED), or undefined for any other failure.
 */
function unreachableReason(error: unknown): string | undefined {
  if (!(error instanceof TypeError) || error.message !== "fetch failed") return undefined;
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? "no answer";
}
