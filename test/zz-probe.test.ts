import { it } from "vitest";
import { createScratchDatabase, openRawDatabase } from "./databases.ts";
import { DeleteThingsDocument } from "./gql/graphql.ts";
import { executeOverHttp } from "./helpers.ts";
import { startServerProcess } from "./processes.ts";

it("probe", async () => {
  const db = await createScratchDatabase();
  const s = await startServerProcess({ DATABASE_URL: db.url, LOG_LEVEL: "trace", MAX_DELETE_IDS: "100000" });
  const raw = await openRawDatabase(db.url);
  for (let k = 0; k < 3; k++) {
    await raw.clear();
    const ids = await raw.seed(Array.from({ length: 120000 }, (_, i) => `thing ${i}`));
    const sel = ids.filter((id) => id % 6 !== k).slice(0, 100000).map(String);
    const start = s.output().length;
    const t0 = Date.now();
    const r = await executeOverHttp(`${s.origin}/graphql`, DeleteThingsDocument, { ids: sel });
    const t1 = Date.now(); await new Promise((r) => setTimeout(r, 300));
    const lines = s.output().slice(start).split("\n").filter(Boolean).map((l) => { const j = JSON.parse(l); return `${j.time - t0} ${j.msg} ${(j.sql ?? "").slice(0, 60)}`; });
    console.info(JSON.stringify(r.data), "response", t1 - t0, "\n" + lines.join("\n"));
  }
  await s.stop();
  await raw.close(); await db.drop();
}, 120000);
