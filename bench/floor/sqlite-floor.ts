// The bare-Node floor on SQLite: node:http + JSON + better-sqlite3 with the server's pragmas, one statement per
// request (`npm run bench` starts it on a migrated database of its own). No GraphQL, no ORM, no checks beyond the body's.
import Database from "better-sqlite3";
import { SERVER_SETTINGS } from "../sqlite-target.ts";
import { databaseUrl, serveFloor } from "./http-floor.ts";

const db = new Database(databaseUrl().replace(/^file:/, ""), { fileMustExist: true });
for (const pragma of SERVER_SETTINGS.pragmas) db.pragma(pragma);
// Prepared once: the least a hand-written server would do, so the floor is the cheapest request there is.
const deleteIds = db.prepare<[string]>('DELETE FROM "Thing" WHERE "id" IN (SELECT value FROM json_each(?))');
// No WHERE clause: SQLite's truncate optimisation, as the server's deleteAllThings uses.
const deleteAll = db.prepare('DELETE FROM "Thing"');

serveFloor({
  deleteIds: (ids) => deleteIds.run(JSON.stringify(ids)).changes,
  deleteAll: () => deleteAll.run().changes,
  close: () => {
    db.close();
  },
});
