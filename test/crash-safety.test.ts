// kill -9 of a real server process (src/server.ts) while it runs one 100000-id deleteThings: after a restart on the
// same database (migrations, SQLite WAL recovery) the table is exactly as before the delete or exactly as after it,
// and the audit row exists exactly when the rows are gone. Kill moments are random from a fixed seed; CRASH_SEED=n
// replays another sequence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createScratchDatabase,
  openRawDatabase,
  sessionsGone,
  TEST_DATABASE,
  type ScratchDatabase,
} from "./databases.ts";
import { DeleteThingsDocument, ThingCountDocument, type DeleteThingsMutation } from "./gql/graphql.ts";
import { executeOverHttp, type GraphQLResponse } from "./helpers.ts";
import { startServerProcess, type ServerProcess } from "./processes.ts";

const SEEDED = 120_000;
const DELETED = 100_000;
const KILLS = 8;
const SEED = Number(process.env.CRASH_SEED ?? 20_260_517);

/** mulberry32: the same seed gives the same id subsets and the same kill moments (as fractions of the timings). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(SEED);
let database: ScratchDatabase;
let server: ServerProcess | undefined;
let started = 0;

/** A server on the database; each its own application_name, so its PostgreSQL sessions can be told apart. */
async function startServer(): Promise<{ server: ServerProcess; applicationName: string }> {
  const applicationName = `crash-safety-${++started}`;
  const process = await startServerProcess({
    DATABASE_URL: database.url,
    // trace logs every statement just before it is sent: the output tells where the kill landed.
    LOG_LEVEL: "trace",
    MAX_DELETE_IDS: String(DELETED),
    DATABASE_POOL_SIZE: "4",
    DATABASE_APPLICATION_NAME: applicationName,
  });
  return { server: process, applicationName };
}

beforeAll(async () => {
  database = await createScratchDatabase();
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** SEEDED fresh rows and an empty audit; a random DELETED of them are doomed, the rest kept. */
async function seedRound(): Promise<{ all: number[]; doomed: number[]; kept: number[] }> {
  const raw = await openRawDatabase(database.url);
  try {
    await raw.clear();
    await raw.exec(`DELETE FROM "DeleteAudit"`);
    const all = await raw.seed(Array.from({ length: SEEDED }, (_, i) => `thing ${i}`));
    // Partial Fisher-Yates: the first SEEDED - DELETED places get the kept ids.
    const shuffled = [...all];
    const keptCount = SEEDED - DELETED;
    for (let i = 0; i < keptCount; i++) {
      const j = i + Math.floor(random() * (shuffled.length - i));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    return { all, doomed: shuffled.slice(keptCount), kept: shuffled.slice(0, keptCount).sort((a, b) => a - b) };
  } finally {
    // Closed while the server runs, so that a restart after a kill is the only connection and must recover the WAL.
    await raw.close();
  }
}

/** When the complete log lines of the DELETE and the COMMIT were written (epoch ms), if they were. */
function statementTimes(output: string): { delete?: number; commit?: number } {
  const times: { delete?: number; commit?: number } = {};
  // The last piece has no newline yet: a line cut off by the kill does not count.
  for (const line of output.split("\n").slice(0, -1)) {
    if (line.includes(`"sql":"DELETE FROM \\"Thing\\"`)) times.delete = (JSON.parse(line) as { time: number }).time;
    if (line.includes(`"sql":"COMMIT"`)) times.commit = (JSON.parse(line) as { time: number }).time;
  }
  return times;
}

type Phase = "before the statement" | "during the statement" | "after COMMIT was sent" | "after the answer";
type Outcome = "before" | "after" | "partial";

interface Kill {
  /** Counted from sending the request, or from the moment the DELETE appeared in the log. */
  mode: "from the request" | "from the statement";
  delayMs: number;
}

interface Round {
  phase: Phase;
  outcome: Outcome;
  answer?: GraphQLResponse<DeleteThingsMutation>;
  /** Milliseconds from sending the request. */
  deleteAt?: number;
  commitAt?: number;
  answerAt?: number;
}

/** One 100000-id delete over HTTP, killed as `kill` says (or not at all); then a restart and the outcome. */
async function deleteRound(kill: Kill | undefined): Promise<Round> {
  const { all, doomed, kept } = await seedRound();
  const victim = server!;
  const from = victim.output().length;
  let answer: GraphQLResponse<DeleteThingsMutation> | undefined;
  let answerAt: number | undefined;
  const deleting = executeOverHttp(`${victim.origin}/graphql`, DeleteThingsDocument, { ids: doomed.map(String) }).then(
    (response) => {
      answer = response;
      answerAt = Date.now() - sentAt;
    },
    (error: Error) => error,
  );
  // After the call: executeOverHttp serialises the 100000 ids before it sends anything.
  const sentAt = Date.now();

  if (kill) {
    if (kill.mode === "from the statement") {
      await Promise.race([victim.outputMatches(/"sql":"DELETE FROM \\"Thing\\"/), deleting]);
    }
    // The random moment is the point of this test: there is no condition to wait for.
    await new Promise((resolve) => setTimeout(resolve, kill.delayMs));
    await victim.kill();
    await sessionsGone(database.url, victimName);
    ({ server, applicationName: victimName } = await startServer());
    expect((await fetch(`${server.origin}/ready`)).status).toBe(200);
  }
  await deleting;

  const times = statementTimes(victim.output().slice(from));
  const phase: Phase =
    answer !== undefined
      ? "after the answer"
      : times.commit !== undefined
        ? "after COMMIT was sent"
        : times.delete !== undefined
          ? "during the statement"
          : "before the statement";

  const raw = await openRawDatabase(database.url);
  try {
    const ids = (await raw.things()).map((thing) => thing.id);
    const outcome: Outcome = sameIds(ids, all) ? "before" : sameIds(ids, kept) ? "after" : "partial";
    const doomedLeft = new Set(ids).size - ids.filter((id) => kept.includes(id)).length;
    const context = `seed ${SEED}, kill ${JSON.stringify(kill)} ${phase}: ${ids.length} rows, ${doomedLeft} of the doomed`;
    expect(outcome, context).not.toBe("partial");
    // The audit row is in the delete's transaction: there exactly when the rows are gone.
    expect(await raw.audit(), context).toEqual(
      outcome === "after" ? [{ subject: "test", operation: "deleteThings", idCount: DELETED, dryRun: false }] : [],
    );
    // Nothing is sent before the DELETE; an answered delete is durable (a process crash loses no commit).
    if (phase === "before the statement") expect(outcome, context).toBe("before");
    if (answer !== undefined) {
      expect(answer.data?.deleteThings.deletedCount, context).toBe(DELETED);
      expect(outcome, context).toBe("after");
    }
    // The restarted server sees what the raw connection sees.
    const count = await executeOverHttp(`${server!.origin}/graphql`, ThingCountDocument, {});
    expect(count.data?.thingCount, context).toBe(ids.length);
    const at = (time?: number) => (time === undefined ? undefined : time - sentAt);
    return { phase, outcome, answer, deleteAt: at(times.delete), commitAt: at(times.commit), answerAt };
  } finally {
    await raw.close();
  }
}

/** `ids` ascending; `expected` ascending. */
function sameIds(ids: readonly number[], expected: readonly number[]): boolean {
  return ids.length === expected.length && ids.every((id, i) => id === expected[i]);
}

let victimName = "";

describe("kill -9 during a 100000-id deleteThings", () => {
  it("leaves the table exactly before or exactly after the delete, with its audit row exactly when after", async () => {
    const startedAt = Date.now();
    ({ server, applicationName: victimName } = await startServer());

    // An uninterrupted round measures this machine: when the DELETE starts, how long it runs, when the answer comes.
    const calibration = await deleteRound(undefined);
    expect(calibration.outcome).toBe("after");
    const { deleteAt = 0, commitAt = 0, answerAt = 0 } = calibration;

    const rounds: (Round & Kill)[] = [];
    for (let i = 0; i < KILLS; i++) {
      // Alternately anywhere from sending to a little past the answer, and inside the statement itself.
      const kill: Kill =
        i % 2 === 0
          ? { mode: "from the request", delayMs: Math.round(random() * answerAt * 1.1) }
          : { mode: "from the statement", delayMs: Math.round(random() * (commitAt - deleteAt) * 1.1) };
      rounds.push({ ...kill, ...(await deleteRound(kill)) });
    }

    const tally = (key: "phase" | "outcome") =>
      Object.entries(Object.groupBy(rounds, (round) => round[key])).map(([name, group]) => `${group!.length} ${name}`);
    console.info(
      `crash safety on ${TEST_DATABASE}, seed ${SEED}: ${KILLS} kills landed ${tally("phase").join(", ")}; ` +
        `table left ${tally("outcome").join(", ")}. Uninterrupted: DELETE sent at ${deleteAt} ms, COMMIT at ` +
        `${commitAt} ms, answer at ${answerAt} ms. Kills (mode, delay → phase): ` +
        rounds.map((round) => `${round.mode} +${round.delayMs} ms → ${round.phase}`).join("; ") +
        `. ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    );
  }, 120_000);
});
