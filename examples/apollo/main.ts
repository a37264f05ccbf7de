// A runnable tour of the example against a running server (`npm start` first):
//   npx tsx examples/apollo/main.ts [http://127.0.0.1:4000/graphql]
// The token is THINGS_API_TOKEN, or the development key `npm start` keeps in data/dev-api-key.
// Lists the first page, watches thingsDeleted, deletes the first two Things plus an id that does not exist, and
// prints the list again, from the cache.
import { existsSync, readFileSync } from "node:fs";
import { createThingsClient } from "./client.ts";
import { deleteSelection } from "./delete-selection.ts";
import { evictOnThingsDeleted } from "./evict-on-things-deleted.ts";
import { ThingsListDocument } from "./gql/graphql.ts";

const url = process.argv[2] ?? "http://127.0.0.1:4000/graphql";
let connected!: () => void;
const isConnected = new Promise<void>((resolve) => (connected = resolve));
const devKeyFile = "data/dev-api-key";
const token =
  process.env.THINGS_API_TOKEN ?? (existsSync(devKeyFile) ? readFileSync(devKeyFile, "utf8").trim() : undefined);
const client = createThingsClient({ url, token, sse: { on: { connected: () => connected() } } });

const list = async () => (await client.query({ query: ThingsListDocument, variables: { first: 10 } })).data;
const before = await list();
console.log(`${before?.thingCount} Things:`, before?.things.edges.map((edge) => edge.node.id).join(", "));

const eventSeen = new Promise<void>((resolve) => {
  const live = evictOnThingsDeleted(client, {
    onEvent: (event) => {
      console.log("thingsDeleted:", event);
      live.unsubscribe();
      resolve();
    },
  });
});
await isConnected;

const selection = [...(before?.things.edges.slice(0, 2).map((edge) => edge.node.id) ?? []), "2147483647"];
const payload = await deleteSelection(client, selection, { subscribed: true });
console.log(`deleted ${payload.deletedIds.join(", ") || "nothing"}; not found: ${payload.notFoundIds.join(", ")}`);
if (payload.deletedCount > 0) await eventSeen;

// cache-first: answered from the corrected cache, no request.
const after = client.readQuery({ query: ThingsListDocument, variables: { first: 10 } });
console.log(`${after?.thingCount} Things:`, after?.things.edges.map((edge) => edge.node.id).join(", "));
client.stop();
