// kill -9 of a real server process (src/server.ts) while it runs one 100000-id deleteThings: after a restart on the
// same database (migrations, SQLite WAL recovery) the table is exactly as before the delete or exactly as after it,
// and the audit row exists exactly when the rows are gone. Kill moments are random from a fixed seed; CRASH_SEED=n
// replays another sequence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createScratchDatabase,
  deleteInProgress,
  openRawDatabase,
  sessionsGone,
  TEST_DATABASE,
  type ScratchDatabase,
} from "./support/databases.ts";
import { DeleteThingsDocument, ThingCountDocument, type DeleteThingsMutation } from "./gql/graphql.ts";
import { executeOverHttp, type GraphQLResponse } from "./support/server.ts";
import { startServerProcess, type ServerProcess } from "./support/processes.ts";

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
/** The application_name of `server`. */
let victimName = "";
let started = 0;

/** A server on the database; each its own application_name, so its PostgreSQL sessions can be told apart. */
async function startServer(): Promise<{ server: ServerProcess; applicationName: string }> {
  const applicationName = `crash-safety-${++started}`;
  const serverProcess = await startServerProcess({
    DATABASE_URL: database.url,
    // trace logs every statement with the time it was sent: the uninterrupted round learns when the DELETE runs.
    LOG_LEVEL: "trace",
    MAX_DELETE_IDS: String(DELETED),
    DATABASE_POOL_SIZE: "4",
    DATABASE_APPLICATION_NAME: applicationName,
  });
  return { server: serverProcess, applicationName };
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

/** When the server made its log calls for the DELETE and the COMMIT (epoch ms), from its complete log lines. */
function statementTimes(output: string): { delete?: number; commit?: number } {
  const lines = output.split("\n").slice(0, -1);
  const time = (statement: string) => {
    const line = lines.find((text) => text.includes(`"sql":"${statement}`));
    return line === undefined ? undefined : (JSON.parse(line) as { time: number }).time;
  };
  return { delete: time(String.raw`DELETE FROM \"Thing\"`), commit: time("COMMIT") };
}

/**
 * Where a kill landed. Told from outside the server, because its log is no clock: pino writes asynchronously, and on
 * SQLite the statement blocks the event loop, so the DELETE's log line only leaves the process after the statement.
 */
type Phase = "before the delete" | "during the delete" | "after COMMIT, before the answer" | "after the answer";
type Outcome = "before" | "after" | "partial";

interface Kill {
  /** Where the random delay is drawn from, after sending the request. */
  window: "whole request" | "statement";
  delayMs: number;
}

interface Round {
  phase?: Phase;
  outcome: Outcome;
  /** Milliseconds from sending the request to the log calls of the DELETE and the COMMIT, and to the answer. */
  deleteAt?: number;
  commitAt?: number;
  answerAt?: number;
}

/** One 100000-id delete over HTTP, killed as `kill` says (or not at all; then it is timed); the outcome. */
async function deleteRound(kill: Kill | undefined): Promise<Round> {
  const { all, doomed, kept } = await seedRound();
  const victim = server!;
  const from = victim.output().length;
  // Unless killed, the log may come after the answer; the COMMIT is the last statement logged.
  const logged = kill ? undefined : victim.outputMatches(/"sql":"COMMIT".*\n/);
  let answer: GraphQLResponse<DeleteThingsMutation> | undefined;
  let answerAt: number | undefined;
  const deleting = executeOverHttp(`${victim.origin}/graphql`, DeleteThingsDocument, { ids: doomed.map(String) }).then(
    (response) => {
      answer = response;
      answerAt = Date.now() - sentAt;
    },
    (error: Error) => error,
  );
  // Taken after the call: executeOverHttp serialises the 100000 ids before it sends anything.
  const sentAt = Date.now();

  let writing = false;
  let answered = false;
  if (kill) {
    // The random moment is the point of this test: there is no condition to wait for.
    await new Promise((resolve) => setTimeout(resolve, kill.delayMs));
    answered = answer !== undefined;
    writing = await deleteInProgress(database.url, victimName);
    await victim.kill();
    // On PostgreSQL its backends finish what they were sent (a COMMIT on the wire still commits), then go.
    await sessionsGone(database.url, victimName);
    ({ server, applicationName: victimName } = await startServer());
    expect((await fetch(`${server.origin}/ready`)).status).toBe(200);
  }
  await deleting;
  await logged;

  const raw = await openRawDatabase(database.url);
  try {
    const ids = (await raw.things()).map((thing) => thing.id);
    const outcome: Outcome = sameIds(ids, all) ? "before" : sameIds(ids, kept) ? "after" : "partial";
    const phase: Phase | undefined = !kill
      ? undefined
      : answered
        ? "after the answer"
        : writing
          ? "during the delete"
          : // No uncommitted write at the kill, yet the rows are gone: it had committed.
            outcome === "after"
            ? "after COMMIT, before the answer"
            : "before the delete";
    const keptSet = new Set(kept);
    const doomedLeft = ids.filter((id) => !keptSet.has(id)).length;
    const context = `seed ${SEED}, kill ${JSON.stringify(kill)} ${phase}: ${ids.length} rows, ${doomedLeft} doomed`;
    expect(outcome, context).not.toBe("partial");
    // The audit row is in the delete's transaction: there exactly when the rows are gone.
    expect(await raw.audit(), context).toEqual(
      outcome === "after" ? [{ subject: "test", operation: "deleteThings", idCount: DELETED, dryRun: false }] : [],
    );
    // An answered delete is durable: a crash of the process loses no commit.
    if (answer !== undefined) {
      expect(answer.data?.deleteThings.deletedCount, context).toBe(DELETED);
      expect(outcome, context).toBe("after");
    }
    // The restarted server sees what the raw connection sees.
    const count = await executeOverHttp(`${server!.origin}/graphql`, ThingCountDocument, {});
    expect(count.data?.thingCount, context).toBe(ids.length);
    const times = statementTimes(victim.output().slice(from));
    const at = (time?: number) => (time === undefined ? undefined : time - sentAt);
    return { phase, outcome, deleteAt: at(times.delete), commitAt: at(times.commit), answerAt };
  } finally {
    await raw.close();
  }
}

/** `ids` ascending; `expected` ascending. */
function sameIds(ids: readonly number[], expected: readonly number[]): boolean {
  return ids.length === expected.length && ids.every((id, i) => id === expected[i]);
}

describe("kill -9 during a 100000-id deleteThings", () => {
  it("leaves the table exactly before or exactly after the delete, with its audit row exactly when after", async () => {
    const startedAt = Date.now();
    ({ server, applicationName: victimName } = await startServer());

    // An uninterrupted round measures this machine: when the DELETE starts, how long it runs, when the answer comes.
    const calibration = await deleteRound(undefined);
    expect(calibration.outcome).toBe("after");
    expect(calibration.commitAt).toBeGreaterThan(calibration.deleteAt!);
    const { deleteAt = 0, commitAt = 0, answerAt = 0 } = calibration;

    const rounds: (Round & Kill)[] = [];
    for (let i = 0; i < KILLS; i++) {
      // Alternately anywhere from sending to a little past the answer, and where the statement ran.
      const kill: Kill =
        i % 2 === 0
          ? { window: "whole request", delayMs: Math.round(random() * answerAt * 1.1) }
          : { window: "statement", delayMs: Math.round(deleteAt + random() * (commitAt - deleteAt)) };
      rounds.push({ ...kill, ...(await deleteRound(kill)) });
    }

    const tally = (key: "phase" | "outcome") => {
      const counts = new Map<string, number>();
      for (const round of rounds) counts.set(String(round[key]), (counts.get(String(round[key])) ?? 0) + 1);
      return [...counts].map(([name, count]) => `${count} ${name}`);
    };
    console.info(
      `crash safety on ${TEST_DATABASE}, seed ${SEED}: ${KILLS} kills landed ${tally("phase").join(", ")}; ` +
        `table left ${tally("outcome").join(", ")}. Uninterrupted: DELETE sent at ${deleteAt} ms, COMMIT at ` +
        `${commitAt} ms, answer at ${answerAt} ms. Kills (window, delay → phase): ` +
        rounds.map((round) => `${round.window} +${round.delayMs} ms → ${round.phase} (${round.outcome})`).join("; ") +
        `. ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    );
  }, 120_000);
});
