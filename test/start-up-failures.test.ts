// A start that cannot succeed ends with exit code 1 and one line naming the cause (the address, the path, the
// Redis URL), the way a bad setting already does; the stack trace only with LOG_LEVEL=debug.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../src/db/migrations/index.ts";
import { failedStart } from "./support/processes.ts";

let directory: string;
/** Already migrated, so that a failing start has nothing else to log. */
let databaseUrl: string;
let occupied: Server;
/** Files made immutable (`chattr +i`), which even root cannot write; undone after the tests. */
const immutable: string[] = [];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "start-up-"));
  databaseUrl = `file:${join(directory, "things.db")}`;
  await migrateDatabase({ databaseUrl });
  occupied = createServer();
  await new Promise<void>((resolve) => occupied.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  if (immutable.length > 0) spawnSync("chattr", ["-i", ...immutable]);
  rmSync(directory, { recursive: true, force: true });
  await new Promise((resolve) => occupied.close(resolve));
});

/** Tests run as root, for whom permission bits do not stop a write; the immutable attribute does. */
function makeImmutable(path: string): boolean {
  const result = spawnSync("chattr", ["+i", path], { encoding: "utf8" });
  if (result.status !== 0) {
    console.warn(
      `SKIPPED: chattr +i ${path} failed (${result.stderr?.trim() || result.error?.message}); needs ext4/xfs and CAP_LINUX_IMMUTABLE`,
    );
    return false;
  }
  immutable.push(path);
  return true;
}

/** Starts the server twice with `env`: at the default log level and with LOG_LEVEL=debug. */
async function expectOneLine(env: NodeJS.ProcessEnv, cause: RegExp): Promise<void> {
  const [plain, debug] = await Promise.all([failedStart(env), failedStart({ ...env, LOG_LEVEL: "debug" })]);
  const lines = (plain.stdout + plain.stderr).trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Cannot start: /);
  expect(lines[0]).toMatch(cause);
  expect(plain.code).toBe(1);
  expect(debug.code).toBe(1);
  expect(debug.stderr).toContain(lines[0]);
  expect(debug.stderr).toMatch(/\n\s+at /);
}

// Each test starts two server processes, slow on a busy machine.
describe("a start that cannot succeed", { timeout: 120_000 }, () => {
  it("names the address when the port is in use", async () => {
    const { port } = occupied.address() as { port: number };
    await expectOneLine(
      { DATABASE_URL: databaseUrl, PORT: String(port) },
      new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use.*EADDRINUSE`),
    );
  });

  it("names the address when this machine does not have it", async () => {
    // 192.0.2.0/24 is reserved for documentation (RFC 5737): no interface has it, and binding sends no traffic.
    await expectOneLine(
      { DATABASE_URL: databaseUrl, HOST: "192.0.2.1" },
      /Cannot listen on 192\.0\.2\.1:0: this machine has no such address.*EADDRNOTAVAIL/,
    );
  });

  it("names the directory when the SQLite directory is not writable", async (context) => {
    const readOnly = join(directory, "read-only");
    mkdirSync(readOnly);
    if (!makeImmutable(readOnly)) return context.skip();
    await expectOneLine(
      { DATABASE_URL: `file:${join(readOnly, "things.db")}` },
      new RegExp(`The SQLite directory ${readOnly} is not writable \\(EPERM\\)`),
    );
  });

  it("names the file when the SQLite database file is read-only", async (context) => {
    const file = databaseUrl.slice("file:".length);
    if (!makeImmutable(file)) return context.skip();
    try {
      await expectOneLine(
        { DATABASE_URL: databaseUrl },
        new RegExp(`The SQLite database file ${file} is not writable \\(EPERM\\)`),
      );
    } finally {
      spawnSync("chattr", ["-i", file]);
      immutable.splice(immutable.indexOf(file), 1);
    }
  });

  it("names the Redis URL when Redis is unreachable, without logging every reconnection attempt", async () => {
    await expectOneLine(
      { DATABASE_URL: databaseUrl, REDIS_URL: "redis://127.0.0.1:1" },
      /Cannot connect to Redis at redis:\/\/127\.0\.0\.1:1 \(REDIS_URL\): connect ECONNREFUSED/,
    );
  });
});
