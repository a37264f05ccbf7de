import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { print } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CreateThingDocument,
  DeleteAllThingsCountDocument,
  DeleteThingsDetailedDocument,
  DeleteThingsDocument,
  DeleteThingsWhereDocument,
  ThingCountDocument,
} from "./gql/graphql.ts";
import { captureLogs } from "./support/logs.ts";
import { SCOPED_API_KEYS, startTestServer, type TestServer } from "./support/server.ts";

const JWT_SECRET = "a-test-secret-that-is-long-enough-for-hs256";

function hs256(claims: Record<string, unknown>, expiresIn = "5m", secret = JWT_SECRET): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

describe("authorization with API keys and HS256 JWTs", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { JWT_SECRET } });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.clear();
    await server.raw.exec(`DELETE FROM "DeleteAudit"`);
    server.sql.length = 0;
  });

  it("refuses every mutation without a token with UNAUTHENTICATED, before any SQL", async () => {
    const [id] = (await server.seed(["keep"])).map(String);
    const attempts = [
      server.execute(CreateThingDocument, { text: "x" }, { token: null }),
      server.execute(DeleteThingsDocument, { ids: [id!] }, { token: null }),
      server.execute(DeleteThingsWhereDocument, { where: { textEquals: "keep" }, atMost: 1 }, { token: null }),
      server.execute(DeleteAllThingsCountDocument, { expectedCount: 1 }, { token: null }),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect(server.sql).toEqual([]);
    expect(await server.things()).toHaveLength(1);
  });

  it("refuses a token without the field's scope with FORBIDDEN naming the scope, before any SQL", async () => {
    const [id] = (await server.seed(["keep"])).map(String);
    const cases = [
      { token: SCOPED_API_KEYS.read.key, run: DeleteThingsDocument, scope: "things:delete" },
      { token: SCOPED_API_KEYS.write.key, run: DeleteThingsDocument, scope: "things:delete" },
      { token: SCOPED_API_KEYS.delete.key, run: CreateThingDocument, scope: "things:write" },
      { token: SCOPED_API_KEYS.delete.key, run: DeleteAllThingsCountDocument, scope: "things:delete-all" },
    ] as const;
    for (const { token, run, scope } of cases) {
      const variables = { ids: [id!], text: "x", expectedCount: 1 };
      const result = await server.post({ query: print(run), variables }, { token });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", scope });
    }
    expect(server.sql).toEqual([]);
    expect(await server.things()).toHaveLength(1);
  });

  it("lets a token with things:delete delete, and records its subject in one audit row", async () => {
    const ids = (await server.seed(["a", "b"])).map(String);
    const result = await server.execute(DeleteThingsDocument, { ids }, { token: SCOPED_API_KEYS.delete.key });
    expect(result.data?.deleteThings.deletedCount).toBe(2);
    expect(await server.audit()).toEqual([
      { subject: "deleter", operation: "deleteThings", idCount: 2, dryRun: false },
    ]);
  });

  it("refuses an unknown or malformed token with UNAUTHENTICATED, even for a public read", async () => {
    for (const token of ["not-a-key-and-not-a-jwt", `${SCOPED_API_KEYS.read.key}x`]) {
      const result = await server.execute(ThingCountDocument, {}, { token });
      expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    const response = await server.app.fetch("http://yoga/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${btoa("user:password")}` },
      body: JSON.stringify({ query: "{ thingCount }" }),
    });
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("serves reads without a token by default", async () => {
    await server.seed(["a"]);
    const result = await server.execute(ThingCountDocument, {}, { token: null });
    expect(result.data?.thingCount).toBe(1);
  });

  it("accepts an HS256 JWT with the scope in its `scope` claim and audits its subject", async () => {
    const [id] = (await server.seed(["a"])).map(String);
    const token = await hs256({ sub: "alice", scope: "things:read things:delete" });
    const result = await server.execute(DeleteThingsDetailedDocument, { ids: [id!] }, { token });
    expect(result.data?.deleteThings.deletedIds).toEqual([id]);
    expect(await server.audit()).toEqual([{ subject: "alice", operation: "deleteThings", idCount: 1, dryRun: false }]);
  });

  it("refuses an expired JWT, one signed with another secret, and one without the scope", async () => {
    const [id] = (await server.seed(["a"])).map(String);
    const expired = await hs256({ sub: "alice", scope: "things:delete" }, "-1m");
    const forged = await hs256({ sub: "alice", scope: "things:delete" }, "5m", `${JWT_SECRET}-other`);
    for (const token of [expired, forged]) {
      const result = await server.execute(DeleteThingsDocument, { ids: [id!] }, { token });
      expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    const readOnly = await hs256({ sub: "alice", scope: "things:read" });
    const result = await server.execute(DeleteThingsDocument, { ids: [id!] }, { token: readOnly });
    expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await server.things()).toHaveLength(1);
  });
});

describe("JWT claims a token must carry", () => {
  const logs = captureLogs();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { JWT_SECRET }, logger: logs.logger });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.clear();
    await server.raw.exec(`DELETE FROM "DeleteAudit"`);
    logs.lines.length = 0;
  });

  const secret = new TextEncoder().encode(JWT_SECRET);
  const aYearFromNow = Math.floor(Date.now() / 1000) + 365 * 24 * 3600;
  const scope = "things:read things:delete";
  const refused: [string, () => Promise<string>][] = [
    ["a number as sub", () => hs256({ sub: 12345, scope })],
    ["an object as sub", () => hs256({ sub: { a: 1 }, scope })],
    ["an empty sub", () => hs256({ sub: "", scope })],
    ["no sub", () => hs256({ scope })],
    ["no exp", () => new SignJWT({ sub: "alice", scope }).setProtectedHeader({ alg: "HS256" }).sign(secret)],
    [
      "an iat a year in the future",
      () =>
        new SignJWT({ sub: "alice", scope })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuedAt(aYearFromNow)
          .setExpirationTime(aYearFromNow + 300)
          .sign(secret),
    ],
  ];

  it.each(refused)(
    "refuses a JWT with %s with UNAUTHENTICATED: nothing deleted, no audit row, no error logged",
    async (_case, sign) => {
      const ids = (await server.seed(["a"])).map(String);
      const token = await sign();
      for (const document of [DeleteThingsDocument, DeleteThingsDetailedDocument]) {
        const result = await server.execute(document, { ids }, { token });
        expect(result.data ?? null).toBeNull();
        expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      }
      expect(await server.things()).toHaveLength(1);
      expect(await server.audit()).toEqual([]);
      expect(logs.errors()).toEqual([]);
    },
  );

  it("accepts a JWT with a string sub, an exp, and an iat within the clock tolerance", async () => {
    const ids = (await server.seed(["a", "b"])).map(String);
    const withoutIat = await new SignJWT({ sub: "carol", scope })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("5m")
      .sign(secret);
    const slightlyAhead = await new SignJWT({ sub: "dave", scope })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(Math.floor(Date.now() / 1000) + 5)
      .setExpirationTime("5m")
      .sign(secret);
    expect((await server.execute(DeleteThingsDocument, { ids: [ids[0]!] }, { token: withoutIat })).data).toEqual({
      deleteThings: { deletedCount: 1 },
    });
    expect((await server.execute(DeleteThingsDocument, { ids: [ids[1]!] }, { token: slightlyAhead })).data).toEqual({
      deleteThings: { deletedCount: 1 },
    });
    expect((await server.audit()).map((row) => row.subject)).toEqual(["carol", "dave"]);
  });
});

describe("READS_REQUIRE_AUTH=true", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { READS_REQUIRE_AUTH: "true" } });
  });
  afterAll(() => server.close());

  it("needs a token with things:read for queries", async () => {
    expect((await server.execute(ThingCountDocument, {}, { token: null })).errors?.[0]?.extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
    expect(
      (await server.execute(ThingCountDocument, {}, { token: SCOPED_API_KEYS.write.key })).errors?.[0]?.extensions,
    ).toMatchObject({ code: "FORBIDDEN", scope: "things:read" });
    expect((await server.execute(ThingCountDocument, {}, { token: SCOPED_API_KEYS.read.key })).data).toEqual({
      thingCount: 0,
    });
  });
});

describe("JWTs verified with a public key or a JWKS endpoint", () => {
  let jwks: Server;
  let jwksUrl: string;
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  let publicKeyPem: string;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    publicKeyPem = await exportSPKI(publicKey);
    const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
    sign = (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setExpirationTime("5m")
        .sign(privateKey);
    // A loopback identity provider publishing the key set, as a real one would at /.well-known/jwks.json.
    jwks = createServer((_request, response) => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

  it.each([
    ["JWT_PUBLIC_KEY", () => ({ JWT_PUBLIC_KEY: publicKeyPem, JWT_ALGORITHM: "RS256" })],
    ["JWT_JWKS_URL", () => ({ JWT_JWKS_URL: jwksUrl })],
  ])("accepts an RS256 token verified through %s", async (_name, env) => {
    const server = await startTestServer({ env: env() });
    try {
      const [id] = (await server.seed(["a"])).map(String);
      const token = await sign({ sub: "bob", scopes: ["things:delete"] });
      const result = await server.execute(DeleteThingsDocument, { ids: [id!] }, { token });
      expect(result.data?.deleteThings.deletedCount).toBe(1);
      expect((await server.audit())[0]?.subject).toBe("bob");
    } finally {
      await server.close();
    }
  });
});
