// A bare-Node floor server (a script beside this file) as a peer of the server: started through tsx on a database
// the target has migrated for it.
import type { Cleanup } from "../cleanup.ts";
import { startFloor } from "../server-process.ts";
import type { BenchDatabase, PeerServer } from "../target.ts";
import { floorProtocol } from "./protocol.ts";

/** A floor's own database, migrated and empty, and how to point the floor at it. */
export interface FloorDatabase {
  /** Environment for the floor process (DATABASE_URL). */
  env: Record<string, string>;
  database: BenchDatabase;
}

/** The floor in `script`, run by `node` (the target's). */
export function floorPeer(
  label: string,
  node: string,
  script: string,
  createDatabase: () => Promise<FloorDatabase>,
): PeerServer {
  return {
    kind: "floor",
    label,
    protocol: floorProtocol,
    async start(cleanup: Cleanup) {
      const { env, database } = await createDatabase();
      cleanup.defer(() => database.close());
      const server = await startFloor(node, script, env);
      cleanup.defer(() => server.stop());
      return { server, database };
    },
  };
}
