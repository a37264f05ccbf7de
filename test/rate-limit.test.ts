// DELETE_RATE_LIMIT: rows of Things one subject may delete (for good or into the trash) per window, reserved before
// any SQL and refunded for what was not deleted; in process on one instance, through Redis across instances.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDeleteRateLimit, type DeleteRateLimit } from "../src/delete-rate-limit.ts";
import {
  DeleteAllThingsDocument,
  DeleteThingsDetailedDocument,
  DeleteThingsWhereDocument,
  PurgeThingsDocument,
  TrashThingsDocument,
} from "./gql/graphql.ts";
import { servicesAvailable, TEST_REDIS_URL } from "./support/databases.ts";
import { captureLogs } from "./support/logs.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const JWT_SECRET = "a-test-secret-that-is-long-enough-for-hs256";
/** Long enough that no window can end during the test: expiry is checked through retryAfterMs, never by waiting. */
const WINDOW_MS = 3_600_000;
const LIMIT = 10;
const env = { JWT_SECRET, DELETE_RATE_LIMIT: `${LIMIT}/1h` };

/** A token of its own subject per test: each test starts with the whole allowance, whatever ran before. */
function tokenFor(sub: string): Promise<string> {
  return new SignJWT({ sub, scope: "things:read things:write things:delete things:delete-all" })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(JWT_SECRET));
}

const seedIds = async (server: TestServer, count: number) =>
  (await server.seed(Array.from({ length: count }, (_, i) => `thing ${i}`))).map(String);

const remainingIds = async (server: TestServer) => (await server.things()).map((thing) => String(thing.id));

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions;

describe("DELETE_RATE_LIMIT on one instance (in process)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env });
  });
  afterAll(() => server.close());
  beforeEach(() => server.clear());

  /** Deletes these ids for `token`'s subject. */
  const deleteIds = (ids: string[], token: string, dryRun = false) =>
    server.execute(DeleteThingsDetailedDocument, { ids, dryRun }, { token });

  it("refuses a delete that does not fit the window with RATE_LIMITED and retryAfterMs, before any SQL", async () => {
    const token = await tokenFor("hits-the-limit");
    const ids = await seedIds(server, 11);
    expect((await deleteIds(ids.slice(0, 8), token)).data?.deleteThings.deletedCount).toBe(8);

    server.sql.length = 0;
    const refused = await deleteIds(ids.slice(8), token);
    expect(server.sql).toEqual([]);
    expect(refused.data?.deleteThings).toBeUndefined();
    expect(refused.errors?.[0]?.message).toMatch(
      /Delete rate limit reached .* up to 3 rows, this window has 2 left; retry in \d+ ms/,
    );
    const extensions = codeOf(refused);
    expect(extensions).toMatchObject({ code: "RATE_LIMITED", limit: LIMIT, windowMs: WINDOW_MS, requested: 3 });
    expect(extensions).toMatchObject({ remaining: 2 });
    // The window the first delete opened ends within the hour, and has not ended yet.
    expect(extensions?.retryAfterMs).toBeGreaterThan(0);
    expect(extensions?.retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
    expect(await remainingIds(server)).toEqual(ids.slice(8));

    // The refusal itself cost nothing: the 2 remaining rows still fit.
    expect((await deleteIds(ids.slice(8, 10), token)).data?.deleteThings.deletedCount).toBe(2);
  });

  it("reports retryAfterMs counting down towards the end of the same window", async () => {
    const token = await tokenFor("counts-down");
    const ids = await seedIds(server, LIMIT + 1);
    await deleteIds(ids.slice(0, LIMIT), token);
    const first = codeOf(await deleteIds(ids.slice(LIMIT), token))?.retryAfterMs as number;
    const second = codeOf(await deleteIds(ids.slice(LIMIT), token))?.retryAfterMs as number;
    expect(second).toBeGreaterThan(0);
    expect(second).toBeLessThanOrEqual(first);
  });

  it("refuses a request larger than the whole window, with retryAfterMs null, before any SQL", async () => {
    const token = await tokenFor("too-large");
    const ids = await seedIds(server, LIMIT + 1);
    server.sql.length = 0;
    const refused = await deleteIds(ids, token);
    expect(server.sql).toEqual([]);
    expect(refused.errors?.[0]?.message).toMatch(/more than DELETE_RATE_LIMIT allows in a whole window .* split it/);
    expect(codeOf(refused)).toEqual({
      code: "RATE_LIMITED",
      retryAfterMs: null,
      requested: LIMIT + 1,
      limit: LIMIT,
      windowMs: WINDOW_MS,
    });
    expect(await remainingIds(server)).toEqual(ids);
    // Nothing was counted: the whole window is still there.
    expect((await deleteIds(ids.slice(0, LIMIT), token)).data?.deleteThings.deletedCount).toBe(LIMIT);
  });

  it("counts duplicate ids once", async () => {
    const token = await tokenFor("duplicates");
    const [id] = await seedIds(server, 1);
    const result = await deleteIds(
      Array.from({ length: LIMIT + 5 }, () => id!),
      token,
    );
    expect(result.data?.deleteThings.deletedCount).toBe(1);
  });

  it("gives back what a delete reserved but did not remove", async () => {
    const token = await tokenFor("refund");
    const ids = await seedIds(server, 13);
    // 10 reserved, 4 of them exist: 6 come back.
    const missing = ["2000000001", "2000000002", "2000000003", "2000000004", "2000000005", "2000000006"];
    expect((await deleteIds([...ids.slice(0, 4), ...missing], token)).data?.deleteThings.deletedCount).toBe(4);
    // 6 left, all reserved by atMost, 3 match: 3 come back.
    const where = { idIn: ids.slice(4, 7) };
    const matched = await server.execute(DeleteThingsWhereDocument, { where, atMost: 6 }, { token });
    expect(matched.data?.deleteThingsWhere.deletedCount).toBe(3);
    // 4 + 3 deleted: exactly 3 more fit, and no more.
    expect((await deleteIds(ids.slice(7, 10), token)).data?.deleteThings.deletedCount).toBe(3);
    expect(codeOf(await deleteIds(ids.slice(10, 11), token))).toMatchObject({ code: "RATE_LIMITED", remaining: 0 });
    expect(await remainingIds(server)).toEqual(ids.slice(10));
  });

  it("gives back everything when the delete fails", async () => {
    const token = await tokenFor("failure");
    const ids = await seedIds(server, LIMIT);
    const allowDelete = await server.refuseDeleteOf({ id: Number(ids[0]) });
    const failed = await deleteIds(ids, token);
    await allowDelete();
    expect(failed.errors).toHaveLength(1);
    expect(await remainingIds(server)).toEqual(ids);
    expect((await deleteIds(ids, token)).data?.deleteThings.deletedCount).toBe(LIMIT);
  });

  it("does not count dry runs", async () => {
    const token = await tokenFor("dry-run");
    const ids = await seedIds(server, LIMIT);
    for (let run = 0; run < 3; run++) {
      expect((await deleteIds(ids, token, true)).data?.deleteThings).toMatchObject({ dryRun: true, deletedCount: 0 });
    }
    expect((await deleteIds(ids, token)).data?.deleteThings.deletedCount).toBe(LIMIT);
  });

  it("counts each subject apart", async () => {
    const [alice, bob] = await Promise.all([tokenFor("alice"), tokenFor("bob")]);
    const ids = await seedIds(server, 2 * LIMIT + 1);
    expect((await deleteIds(ids.slice(0, LIMIT), alice)).data?.deleteThings.deletedCount).toBe(LIMIT);
    expect((await deleteIds(ids.slice(LIMIT, 2 * LIMIT), bob)).data?.deleteThings.deletedCount).toBe(LIMIT);
    expect(codeOf(await deleteIds(ids.slice(2 * LIMIT), alice))?.code).toBe("RATE_LIMITED");
    expect(codeOf(await deleteIds(ids.slice(2 * LIMIT), bob))?.code).toBe("RATE_LIMITED");
  });

  it("reserves aliased deletes of one request together: all fit, or none runs", async () => {
    const token = await tokenFor("aliases");
    const ids = await seedIds(server, 12);
    const refused = await server.post(
      {
        query: `mutation TwoDeletes($a: [ID!]!, $b: [ID!]!) {
          a: deleteThings(ids: $a) { deletedCount }
          b: deleteThings(ids: $b) { deletedCount }
        }`,
        variables: { a: ids.slice(0, 6), b: ids.slice(6) },
      },
      { token },
    );
    expect(codeOf(refused)).toMatchObject({ code: "RATE_LIMITED", requested: 12 });
    expect(await remainingIds(server)).toEqual(ids);
  });

  it("counts deletes into the trash, but not purging them from it", async () => {
    const token = await tokenFor("trash");
    const ids = await seedIds(server, LIMIT + 1);
    const trashed = await server.execute(TrashThingsDocument, { ids: ids.slice(0, 6) }, { token });
    expect(trashed.data?.deleteThings.deletedCount).toBe(6);
    const purged = await server.execute(PurgeThingsDocument, { ids: ids.slice(0, 6) }, { token });
    expect(purged.data?.purgeThings.purgedCount).toBe(6);
    expect((await deleteIds(ids.slice(6, 10), token)).data?.deleteThings.deletedCount).toBe(4);
    expect(codeOf(await deleteIds(ids.slice(10), token))?.code).toBe("RATE_LIMITED");
  });

  it("reserves deleteAllThings' expectedCount before any SQL, and counts the rows it removed", async () => {
    const token = await tokenFor("delete-all");
    await seedIds(server, 3);
    server.sql.length = 0;
    const refused = await server.execute(DeleteAllThingsDocument, { expectedCount: LIMIT + 1 }, { token });
    expect(codeOf(refused)).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: null, requested: LIMIT + 1 });
    expect(server.sql).toEqual([]);
    const emptied = await server.execute(DeleteAllThingsDocument, { expectedCount: 3 }, { token });
    expect(emptied.data?.deleteAllThings.deletedCount).toBe(3);
    expect(await remainingIds(server)).toEqual([]);
    const more = await seedIds(server, LIMIT - 2);
    expect(codeOf(await deleteIds(more, token))).toMatchObject({ code: "RATE_LIMITED", remaining: LIMIT - 3 });
  });
});

describe("DELETE_RATE_LIMIT when Redis does not answer", () => {
  it("counts in process instead, at once, and says so once", async () => {
    const logs = captureLogs();
    // Port 1: nothing listens there, so every connection attempt is refused.
    const limit = createDeleteRateLimit({
      limit: { rows: LIMIT, windowMs: WINDOW_MS },
      redisUrl: "redis://127.0.0.1:1",
      logger: logs.logger,
    });
    try {
      expect((await limit.reserve("subject", LIMIT - 1)).granted).toBe(true);
      const refused = await limit.reserve("subject", 2);
      expect(refused.granted ? "granted" : refused.error.extensions).toMatchObject({
        code: "RATE_LIMITED",
        remaining: 1,
      });
      await expect
        .poll(() => logs.lines.map((line) => line.msg), { timeout: 20_000 })
        .toContain("delete rate limit: Redis unreachable, counting in this process until it answers");
    } finally {
      await limit.close();
    }
  });
});

const redisAvailable = await servicesAvailable("rate limit across instances", ["redis"]);

describe.skipIf(!redisAvailable)("DELETE_RATE_LIMIT across two instances sharing Redis", () => {
  // A prefix of its own, so another test run on the same Redis counts apart.
  const keyPrefix = `test-${randomBytes(4).toString("hex")}:`;
  const limits: DeleteRateLimit[] = [];
  const servers: TestServer[] = [];
  const redis = new Redis(TEST_REDIS_URL);
  beforeAll(async () => {
    const instance = (databaseUrl?: string) => {
      const deleteRateLimit = createDeleteRateLimit({
        limit: { rows: LIMIT, windowMs: WINDOW_MS },
        redisUrl: TEST_REDIS_URL,
        keyPrefix,
      });
      limits.push(deleteRateLimit);
      return startTestServer({ env, deleteRateLimit, databaseUrl });
    };
    const first = await instance();
    servers.push(first, await instance(first.databaseUrl));
  });
  afterAll(async () => {
    for (const server of servers.reverse()) await server.close();
    await Promise.all(limits.map((limit) => limit.close()));
    redis.disconnect();
  });

  it("refuses on the second instance once the first used up the window", async () => {
    const [first, second] = servers as [TestServer, TestServer];
    const token = await tokenFor("shared");
    const ids = await seedIds(first, LIMIT + 1);
    const deleted = await first.execute(DeleteThingsDetailedDocument, { ids: ids.slice(0, LIMIT) }, { token });
    expect(deleted.data?.deleteThings.deletedCount).toBe(LIMIT);
    expect(await redis.get(`${keyPrefix}delete-rows:shared`)).toBe(String(LIMIT));

    second.sql.length = 0;
    const refused = await second.execute(DeleteThingsDetailedDocument, { ids: ids.slice(LIMIT) }, { token });
    expect(codeOf(refused)).toMatchObject({ code: "RATE_LIMITED", remaining: 0 });
    expect(codeOf(refused)?.retryAfterMs).toBeGreaterThan(0);
    expect(second.sql).toEqual([]);
    expect(await remainingIds(second)).toEqual(ids.slice(LIMIT));
    // The refusal gave back what it counted.
    expect(await redis.get(`${keyPrefix}delete-rows:shared`)).toBe(String(LIMIT));
  });

  it("gives a refund made on one instance to the other", async () => {
    const [first, second] = servers as [TestServer, TestServer];
    const token = await tokenFor("shared-refund");
    const ids = await seedIds(first, LIMIT);
    const where = { idIn: ids.slice(0, 2) };
    await first.execute(DeleteThingsWhereDocument, { where, atMost: LIMIT }, { token });
    expect(await redis.get(`${keyPrefix}delete-rows:shared-refund`)).toBe("2");
    const rest = await second.execute(DeleteThingsDetailedDocument, { ids: ids.slice(2) }, { token });
    expect(rest.data?.deleteThings.deletedCount).toBe(LIMIT - 2);
  });
});
