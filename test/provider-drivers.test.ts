// A server process loads only the driver of the database it runs on: better-sqlite3 (a native addon) and its Prisma
// adapter on SQLite, pg and its adapter on PostgreSQL; the other provider's driver costs it no memory and no start
// time. On the configured provider (TEST_DATABASE).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DatabaseProvider } from "../src/config.ts";
import { createScratchDatabase, servicesAvailable, testProvider } from "./support/databases.ts";
import { moduleLog } from "./support/module-log.ts";
import { startServerProcess } from "./support/processes.ts";

const available = await servicesAvailable("provider driver tests", testProvider === "postgresql" ? ["postgres"] : []);

/** The packages each provider's driver is made of, and the native addon it maps, if any. */
const DRIVERS: Record<DatabaseProvider, { packages: string[]; addon?: string }> = {
  sqlite: { packages: ["@prisma/adapter-better-sqlite3", "better-sqlite3"], addon: "better_sqlite3.node" },
  postgresql: { packages: ["@prisma/adapter-pg", "pg"] },
};
const otherProvider: DatabaseProvider = testProvider === "sqlite" ? "postgresql" : "sqlite";

const directory = mkdtempSync(join(tmpdir(), "provider-drivers-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// /proc/<pid>/maps lists the shared objects a process mapped: Linux only, as production and CI are.
describe.runIf(available && process.platform === "linux")("a server process", () => {
  it(`loads ${testProvider}'s driver and not ${otherProvider}'s, on a migrating start and on a start with nothing to migrate`, async () => {
    const database = await createScratchDatabase();
    try {
      for (const start of ["migrating", "up to date"]) {
        const modules = moduleLog(mkdtempSync(join(directory, "modules-")));
        const server = await startServerProcess({
          DATABASE_URL: database.url,
          NODE_OPTIONS: `--import ${modules.hook}`,
        });
        const maps = readFileSync(`/proc/${server.child.pid}/maps`, "utf8");
        expect({ start, exit: await server.stop() }).toEqual({ start, exit: { code: 0, signal: null } });

        const imported = (name: string) => modules.urls().some((url) => url.includes(`/node_modules/${name}/`));
        const mapped = (provider: DatabaseProvider) => {
          const addon = DRIVERS[provider].addon;
          return addon !== undefined && maps.includes(addon) ? [addon] : [];
        };
        expect({ start, imported: DRIVERS[testProvider].packages.filter(imported) }).toEqual({
          start,
          imported: DRIVERS[testProvider].packages,
        });
        expect({ start, mapped: mapped(testProvider) }).toEqual({
          start,
          mapped: DRIVERS[testProvider].addon === undefined ? [] : [DRIVERS[testProvider].addon],
        });
        expect({
          start,
          imported: DRIVERS[otherProvider].packages.filter(imported),
          mapped: mapped(otherProvider),
        }).toEqual({
          start,
          imported: [],
          mapped: [],
        });
      }
    } finally {
      await database.drop();
    }
  });
});
