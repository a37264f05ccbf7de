import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAuthenticator } from "../src/auth/tokens.ts";
import { ConfigError, loadConfig } from "../src/config.ts";
import { authenticationForStart } from "../src/auth/development-key.ts";
import { createLogger } from "../src/logger.ts";

const logger = createLogger("silent");
const directories: string[] = [];
const scratch = () => {
  const directory = mkdtempSync(join(tmpdir(), "dev-key-"));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe("authentication at start", () => {
  it("without API_KEYS or JWT_* makes one development key with every scope, kept and pre-filled in GraphiQL", async () => {
    const data = scratch();
    const first = authenticationForStart(loadConfig({}), logger, data);
    const second = authenticationForStart(loadConfig({}), logger, data);
    const [key] = first.auth.apiKeys;
    expect(second.auth.apiKeys).toEqual([key]);
    expect(first.graphiqlHeaders).toEqual({ authorization: `Bearer ${key!.key}` });
    expect(statSync(join(data, "dev-api-key")).mode & 0o777).toBe(0o600);

    const principal = await (
      await createAuthenticator(first.auth)
    )(new Request("http://x/", { headers: { authorization: `Bearer ${key!.key}` } }));
    expect([...principal!.scopes].sort()).toEqual([
      "things:any-document",
      "things:audit",
      "things:delete",
      "things:delete-all",
      "things:read",
      "things:restore-any",
      "things:write",
    ]);
  });

  it("uses the configured keys, and no development key, when API_KEYS is set", () => {
    const data = scratch();
    const config = loadConfig({
      API_KEYS: JSON.stringify([{ key: "k".repeat(20), sub: "ci", scopes: ["things:read"] }]),
    });
    const start = authenticationForStart(config, logger, data);
    expect(start.auth.apiKeys.map((key) => key.sub)).toEqual(["ci"]);
    expect(start.graphiqlHeaders).toBeUndefined();
  });

  it("refuses to start in production without authentication configured", () => {
    expect(() => authenticationForStart(loadConfig({ NODE_ENV: "production" }), logger, scratch())).toThrow(
      ConfigError,
    );
  });

  it("stops the real server process in production without authentication, with one clear line and exit code 1", () => {
    const data = scratch();
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: `file:${join(data, "t.db")}`,
        API_KEYS: "",
        JWT_SECRET: "",
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Cannot start: NODE_ENV=production needs authentication/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("rejects malformed API_KEYS with a message naming the problem", () => {
    expect(() => loadConfig({ API_KEYS: "[{" })).toThrow(/API_KEYS .* not valid JSON/);
    expect(() => loadConfig({ API_KEYS: JSON.stringify([{ key: "short", sub: "x", scopes: [] }]) })).toThrow(/16\+/);
    expect(() =>
      loadConfig({ API_KEYS: JSON.stringify([{ key: "k".repeat(20), sub: "x", scopes: ["things:everything"] }]) }),
    ).toThrow(/scopes/);
  });
});
