// Property-based: thousands of hostile requests. Whatever arrives, the server answers without a 5xx, every error
// carries extensions.code, and the table changes only through valid, authorized calls, exactly as a model says.
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogs } from "./support/logs.ts";
import { SCOPED_API_KEYS, TEST_API_KEY, startTestServer, type TestServer } from "./support/server.ts";

/**
 * fast-check draws a new seed on every run (a failure prints it to replay), so CI runs add up to far more than this;
 * 10000 took 80 s of the PostgreSQL pass on a loaded 2-core CI machine.
 */
const RUNS = 3_000;

let server: TestServer;
/** What the table must hold: id → text. */
const model = new Map<number, string>();
beforeAll(async () => {
  server = await startTestServer({ maxDeleteIds: 50 });
  const ids = await server.seed(Array.from({ length: 300 }, (_, i) => `seed ${i}`));
  ids.forEach((id, i) => model.set(id, `seed ${i}`));
});
afterAll(() => server.close());

const hostileScalar = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.integer(),
  fc.integer({ min: 1, max: 400 }).map(String),
  fc.double(),
  fc.bigInt().map((n) => n.toString()),
  fc.constantFrom(null, true, "", "-1", "0", "1.5", "1e3", "0x10", " 7", "99999999999999999999", "NaN", "٣"),
  fc.string({ minLength: 5_000, maxLength: 10_000 }),
);
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileScalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie("value"), { maxKeys: 3 }),
  ),
})).value;
const idList = fc.array(fc.oneof(fc.integer({ min: 1, max: 400 }).map(String), hostileScalar, hostileValue), {
  maxLength: 60,
});

const DOCUMENTS = [
  "mutation D($ids: [ID!]!, $dryRun: Boolean! = false) { deleteThings(ids: $ids, dryRun: $dryRun) { deletedCount deletedIds notFoundIds } }",
  "mutation W($where: ThingWhere!, $atMost: Int!) { deleteThingsWhere(where: $where, atMost: $atMost) { deletedCount deletedIds } }",
  "mutation A($expectedCount: Int!) { deleteAllThings(expectedCount: $expectedCount) { deletedCount deletedIds } }",
  "mutation C($texts: [String!]!) { createThings(texts: $texts) { things { id text } } }",
  "query Q($id: ID!) { thing(id: $id) { id text } thingCount }",
  "mutation { deleteThings(ids: [1, 2]) { nope } }",
  "{ __typename ...on Query { things(first: -5) { totalCount } } }",
];

const request = fc.record({
  token: fc.constantFrom<string | null>(
    TEST_API_KEY,
    SCOPED_API_KEYS.read.key,
    SCOPED_API_KEYS.delete.key,
    null,
    "garbage",
  ),
  contentType: fc.constantFrom(
    "application/json",
    "application/json",
    "text/plain",
    "application/graphql",
    "multipart/form-data",
    "",
  ),
  body: fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .record({
          query: fc.oneof(fc.constantFrom(...DOCUMENTS), fc.string()),
          variables: fc.record(
            {
              ids: idList,
              dryRun: fc.oneof(fc.boolean(), hostileScalar),
              where: fc.oneof(
                fc.record(
                  { textContains: fc.oneof(fc.constantFrom("seed 1", "zzz"), hostileScalar), idIn: idList },
                  { requiredKeys: [] },
                ),
                hostileValue,
              ),
              atMost: fc.oneof(fc.integer({ min: -2, max: 60 }), hostileScalar),
              expectedCount: fc.oneof(fc.integer({ min: -1, max: 400 }), hostileScalar),
              texts: fc.oneof(fc.array(fc.string({ maxLength: 30 }), { maxLength: 5 }), hostileValue),
              id: hostileScalar,
            },
            { requiredKeys: [] },
          ),
        })
        .map((envelope) => JSON.stringify(envelope)),
    },
    { weight: 1, arbitrary: fc.string().map((text) => `{"query": ${text}`) },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.record({ query: fc.constantFrom(...DOCUMENTS) }), { minLength: 2, maxLength: 3 })
        .map((batch) => JSON.stringify(batch)),
    },
  ),
});

interface Reply {
  data?: Record<string, { deletedIds?: string[]; things?: { id: string; text: string }[] } | null> | null;
  errors?: { extensions?: { code?: unknown } }[];
}

async function tableMatchesModel(): Promise<void> {
  const rows = await server.things();
  expect(rows.length).toBe(model.size);
  for (const row of rows) expect(model.get(row.id)).toBe(row.text);
}

let run = 0;

describe("hostile requests", () => {
  it(`never get a 5xx, always get a coded error, and change the table only as the model says (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ token, contentType, body }) => {
        const response = await server.app.fetch("http://yoga/graphql", {
          method: "POST",
          headers: {
            ...(contentType ? { "content-type": contentType } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body,
        });
        expect(response.status).toBeLessThan(500);
        const reply = JSON.parse(await response.text()) as Reply;
        for (const error of reply.errors ?? []) expect(error.extensions?.code).toEqual(expect.any(String));

        // Apply what the server says it did; the table must then match exactly.
        const dryRun = body.includes('"dryRun":true');
        for (const field of Object.values(reply.data ?? {})) {
          const deleted = dryRun ? [] : (field?.deletedIds ?? []);
          const created = field?.things ?? [];
          // Only tokens with the scope may change anything.
          if (deleted.length > 0) expect([TEST_API_KEY, SCOPED_API_KEYS.delete.key]).toContain(token);
          if (created.length > 0) expect(token).toBe(TEST_API_KEY);
          for (const id of deleted) expect(model.delete(Number(id))).toBe(true);
          for (const thing of created) model.set(Number(thing.id), thing.text);
        }
        // Comparing the whole table costs more than the request; every 50th run (and the end) is enough to
        // catch an unreported change, and a failing run replays the same sequence.
        if (++run % 50 === 0) await tableMatchesModel();
      }),
      { numRuns: RUNS },
    );
    await tableMatchesModel();
  }, 300_000);
});

describe("arbitrary texts", () => {
  const MAX_TEXT_LENGTH = 12;
  const MAX_CREATE_TEXTS = 4;
  const TEXT_RUNS = 500;
  let textServer: TestServer;
  /** What this server's table must hold: id → text. */
  const stored = new Map<number, string>();
  beforeAll(async () => {
    textServer = await startTestServer({
      env: { MAX_TEXT_LENGTH: String(MAX_TEXT_LENGTH), MAX_CREATE_TEXTS: String(MAX_CREATE_TEXTS) },
    });
    const texts = ["legit \ufffd char", "\ufffd", "a😀b"];
    (await textServer.seed(texts)).forEach((id, i) => stored.set(id, texts[i]!));
  });
  afterAll(() => textServer.close());

  // Code units a text can be made of: lone surrogate halves and NUL among plain, astral and replacement characters.
  const unit = fc.oneof(
    fc.constantFrom("a", "b", " ", "\ufffd", "\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "😀", "%", "_"),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  );
  const text = fc.oneof(
    fc.string({ unit, maxLength: MAX_TEXT_LENGTH + 2 }),
    fc.string({ unit, minLength: MAX_TEXT_LENGTH - 1, maxLength: 2 * MAX_TEXT_LENGTH + 1 }),
  );

  /** The rules of src/schema/text.ts, written independently: code points, none of them NUL or a surrogate. */
  const storable = (value: string) => {
    const codePoints = Array.from(value, (char) => char.codePointAt(0)!);
    return codePoints.length <= MAX_TEXT_LENGTH && codePoints.every((cp) => cp !== 0 && (cp < 0xd800 || cp > 0xdfff));
  };
  const idsWhere = (matches: (stored: string) => boolean) =>
    [...stored]
      .filter(([, value]) => matches(value))
      .map(([id]) => String(id))
      .sort((a, b) => Number(a) - Number(b));

  const call = fc.oneof(
    fc.record({ kind: fc.constant("createThing" as const), texts: fc.tuple(text) }),
    fc.record({
      kind: fc.constant("createThings" as const),
      texts: fc.array(text, { maxLength: MAX_CREATE_TEXTS + 1 }),
    }),
    fc.record({ kind: fc.constant("textContains" as const), texts: fc.tuple(text) }),
    fc.record({ kind: fc.constant("textEquals" as const), texts: fc.tuple(text) }),
  );
  const deleteWhere = (field: string, dryRun: boolean) =>
    `mutation ($needle: String!) { deleteThingsWhere(where: { ${field}: $needle }, atMost: 1000, dryRun: ${dryRun}) ` +
    "{ deletedIds } }";
  const QUERIES = {
    createThing: "mutation ($text: String!) { createThing(text: $text) { id text } }",
    createThings: "mutation ($texts: [String!]!) { createThings(texts: $texts) { things { id text } } }",
    // A dry run, so textContains checks matching without emptying the table; textEquals really deletes.
    textContains: deleteWhere("textContains", true),
    textEquals: deleteWhere("textEquals", false),
  };

  interface TextReply {
    data?: {
      createThing?: { id: string; text: string };
      createThings?: { things: { id: string; text: string }[] };
      deleteThingsWhere?: { deletedIds: string[] };
    } | null;
    errors?: { extensions?: { code?: unknown } }[];
  }

  it(`are stored exactly or refused with a code, and filters match exactly (${TEXT_RUNS} runs)`, async () => {
    let textRun = 0;
    await fc.assert(
      fc.asyncProperty(call, async ({ kind, texts }) => {
        const [first = ""] = texts;
        let variables: Record<string, unknown> = { needle: first };
        if (kind === "createThings") variables = { texts };
        if (kind === "createThing") variables = { text: first };
        const response = await textServer.app.fetch("http://yoga/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${TEST_API_KEY}` },
          body: JSON.stringify({ query: QUERIES[kind], variables }),
        });
        expect(response.status).toBe(200);
        const reply = JSON.parse(await response.text()) as TextReply;
        const valid =
          texts.every(storable) &&
          (kind !== "createThings" || texts.length <= MAX_CREATE_TEXTS) &&
          (kind !== "textContains" || first !== "");
        if (!valid) {
          expect(reply.data).toBeNull();
          expect(reply.errors?.map((error) => error.extensions?.code)).toEqual([
            expect.stringMatching(/^(BAD_USER_INPUT|TOO_MANY_TEXTS)$/),
          ]);
        } else {
          expect(reply.errors).toBeUndefined();
          const created = reply.data?.createThings?.things ?? (reply.data?.createThing ? [reply.data.createThing] : []);
          if (kind.startsWith("create")) expect(created.map((thing) => thing.text)).toEqual(texts);
          for (const thing of created) stored.set(Number(thing.id), thing.text);
          const matched = reply.data?.deleteThingsWhere?.deletedIds;
          if (kind === "textContains") expect(matched).toEqual(idsWhere((value) => value.includes(first)));
          if (kind === "textEquals") {
            expect(matched).toEqual(idsWhere((value) => value === first));
            for (const id of matched ?? []) stored.delete(Number(id));
          }
        }
        if (++textRun % 25 === 0) await textTableMatches();
      }),
      { numRuns: TEXT_RUNS },
    );
    await textTableMatches();
  }, 300_000);

  async function textTableMatches(): Promise<void> {
    const rows = await textServer.things();
    expect(new Map(rows.map((row) => [row.id, row.text]))).toEqual(stored);
  }
});

describe("hostile cursors and JWT claims", () => {
  const JWT_SECRET = "a-fuzz-secret-that-is-long-enough-for-hs256";
  const CLAIM_RUNS = 2000;
  /** A hang guard, not a speed check: 2000 requests took over 30 s on PostgreSQL with both cores busy. */
  const CLAIM_TIMEOUT_MS = 300_000;
  const logs = captureLogs();
  let jwtServer: TestServer;
  let thingIds: string[];
  beforeAll(async () => {
    jwtServer = await startTestServer({ env: { JWT_SECRET }, logger: logs.logger });
    thingIds = (await jwtServer.seed(["a", "b", "c"])).map(String);
  });
  afterAll(() => jwtServer.close());

  const base64 = (text: string) => Buffer.from(text).toString("base64");
  const cursor = fc.oneof(
    fc.string(),
    fc.base64String(),
    fc.string().map((text) => base64(`GPC:${text}`)),
    fc
      .tuple(
        fc.constantFrom("N", "S", "I", "D", "B", "M", "O", "Z", "T", "J", "X"),
        fc.oneof(hostileScalar.map(String), fc.json()),
      )
      .map(([tag, payload]) => base64(`GPC:${tag}:${payload}`)),
    fc.oneof(fc.integer(), fc.double()).map((id) => base64(`GPC:N:${id}`)),
  );

  it(
    `answer forged cursors with BAD_USER_INPUT, never a 5xx or an error log (${CLAIM_RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(cursor, fc.boolean(), async (value, forward) => {
          const query = forward
            ? "query P($c: String) { things(first: 2, after: $c) { edges { cursor } } }"
            : "query P($c: String) { things(last: 2, before: $c) { edges { cursor } } }";
          const result = await jwtServer.post({ query, variables: { c: value } });
          expect(result.status).toBe(200);
          for (const error of result.errors ?? []) expect(error.extensions?.code).toBe("BAD_USER_INPUT");
          expect(logs.errors()).toEqual([]);
        }),
        { numRuns: CLAIM_RUNS },
      );
    },
    CLAIM_TIMEOUT_MS,
  );

  // Far from the clock's edges, so the model's answer cannot change while a request is in flight.
  const now = Math.floor(Date.now() / 1000);
  const claims = fc.record(
    {
      sub: fc.oneof(fc.string({ minLength: 1 }), hostileValue, fc.constant("")),
      exp: fc.oneof(
        fc.integer({ min: now + 600, max: now + 86_400 }),
        fc.integer({ min: 0, max: now - 600 }),
        hostileScalar,
      ),
      iat: fc.oneof(
        fc.integer({ min: now - 86_400, max: now - 600 }),
        fc.integer({ min: now + 600, max: now + 10 ** 8 }),
        hostileScalar,
      ),
      scope: fc.constantFrom("things:delete", "things:read things:delete"),
    },
    { requiredKeys: ["scope"] },
  );

  /**
   * Signed by hand: jose's SignJWT refuses some of these claims, and the server must cope with whatever an issuer
   * holding the secret put in (a misconfigured identity provider, a leaked secret).
   */
  function signHs256(payload: unknown): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const signed = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
    return `${signed}.${createHmac("sha256", JWT_SECRET).update(signed).digest("base64url")}`;
  }

  /**
   * The rules of docs/security.md: a non-empty string sub, an unexpired numeric exp, no iat in the future. A number
   * JSON cannot hold (NaN, Infinity) arrives as null, which is no number.
   */
  function accepted({ sub, exp, iat }: { sub?: unknown; exp?: unknown; iat?: unknown }): boolean {
    const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
    const validIat = iat === undefined || (isNumber(iat) && iat <= now);
    return typeof sub === "string" && sub !== "" && isNumber(exp) && exp > now && validIat;
  }

  it(
    `accept a JWT exactly when its claims follow the rules, and audit its sub (${CLAIM_RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(claims, async (payload) => {
          await jwtServer.raw.exec(`DELETE FROM "DeleteAudit"`);
          const query = "mutation D($ids: [ID!]!) { deleteThings(ids: $ids, dryRun: true) { deletedCount } }";
          const result = await jwtServer.post({ query, variables: { ids: thingIds } }, { token: signHs256(payload) });
          expect(result.status).toBeLessThan(500);
          const audit = await jwtServer.audit();
          if (accepted(payload)) {
            expect(result.errors).toBeUndefined();
            expect(audit.map((row) => row.subject)).toEqual([payload.sub]);
          } else {
            expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
            expect(audit).toEqual([]);
          }
          expect(logs.errors()).toEqual([]);
        }),
        { numRuns: CLAIM_RUNS },
      );
      expect(await jwtServer.things()).toHaveLength(thingIds.length);
    },
    CLAIM_TIMEOUT_MS,
  );
});
