// `npm run example:apollo` without a server: one line saying so and exit code 1, not fetch's stack.
import { createServer } from "node:net";
import { join } from "node:path";
import { expect, test } from "vitest";
import { root, run } from "../support/processes.ts";

/** A loopback port nothing listens on: one the system just handed out, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

test("the Apollo example prints one line and exits 1 when nothing listens at the API's address", async () => {
  const url = `http://127.0.0.1:${await closedPort()}/graphql`;

  const result = await run(process.execPath, ["--import", "tsx", join(root, "examples", "apollo", "main.ts"), url], {
    cwd: root,
    env: process.env,
  });

  expect(result.stderr.trim()).toBe(
    `Cannot reach the API at ${url} (ECONNREFUSED); start it with \`npm start\`, or pass its URL.`,
  );
  expect(result.stdout).toBe("");
  expect(result.code).toBe(1);
});
