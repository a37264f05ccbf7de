// kill -9 of a real server process (src/server.ts) while it runs one call that moves 100000 rows: a deleteThings,
// an undoable deleteThings (into the trash), or an undoDelete (back out of it). After a restart on the same database
// (migrations, SQLite WAL recovery) the rows, the trash, the Deletions and the audit are exactly as before the call
// or exactly as after it: every row live or trashed, never both, never neither. Kill moments are random from a
// fixed seed; CRASH_SEED=n replays another sequence.
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createScratchDatabase,
  deleteInProgress,
  openRawDatabase,
  sessionsGone,
  TEST_DATABASE,
  type AuditRow,
  type ScratchDatabase,
} from "./support/databases.ts";
import {
  DeleteThingsDocument,
  ThingCountDocument,
  TrashThingsCountDocument,
  UndoDeleteCountDocument,
} from "./gql/graphql.ts";
import { executeOverHttp } from "./support/server.ts";
import { startServerProcess, type ServerProcess } from "./support/processes.ts";

const SEEDED = 120_000;
const DELETED = 100_000;
/**
 * Kills per call, half of them anywhere in the request and half where the statement runs. A round costs seconds
 * (120000 rows seeded, a server restart, on SQLite one that recovers a large WAL, and for undoDelete a 100000-row
 * trash move to undo), several times more with both cores busy, so each CI run kills a few times per call; the kill
 * moments come from the seed, and CRASH_SEED=n replays another sequence to kill elsewhere.
 */
const KILLS = { deleteThings: 4, trash: 2 };
/** A hang guard for one call's rounds on a loaded 2-core machine, not a speed check. */
const ROUNDS_TIMEOUT_MS = 180_000;
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
    const all = await raw.seedNumbered(SEEDED);
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

/**
 * When the server made its log calls for the statement that moves the rows (the first of `work` it logged) and the
 * COMMIT (epoch ms), from its complete log lines.
 */
function statementTimes(output: string, work: readonly string[]): { work?: number; commit?: number } {
  const lines = output.split("\n").slice(0, -1);
  const time = (statements: readonly string[]) => {
    const line = lines.find((text) => statements.some((statement) => text.includes(`"sql":"${statement}`)));
    return line === undefined ? undefined : (JSON.parse(line) as { time: number }).time;
  };
  return { work: time(work), commit: time(["COMMIT"]) };
}

/**
 * Where a kill landed. Told from outside the server, because its log is no clock: pino writes asynchronously, and on
 * SQLite the statement blocks the event loop, so the statement's log line only leaves the process after it ran.
 */
type Phase = "before the write" | "during the write" | "after COMMIT, before the answer" | "after the answer";
type Outcome = "before" | "after" | "partial";

interface Kill {
  /** Where the random delay is drawn from, after sending the request. */
  window: "whole request" | "statement";
  delayMs: number;
}

interface Round {
  phase?: Phase;
  outcome: Outcome;
  /** Milliseconds from sending the request to the log calls of the moving statement and the COMMIT, and to the answer. */
  workAt?: number;
  commitAt?: number;
  answerAt?: number;
}

/** Where the rows are: live ids, trashed ids, the Deletions' counts and the audit, each in a fixed order. */
interface State {
  live: number[];
  trashed: number[];
  deletions: number[];
  audit: AuditRow[];
}

/** One call a kill interrupts: the state it starts from and the one it commits, and how to send it. */
interface Call {
  before: State;
  after: State;
  /** Sends the call to `url`; the row count the answer reports. */
  send(url: string): Promise<number | undefined>;
}

interface Scenario {
  /** The statement that moves the rows, as either provider's dialect spells it (src/db/dialect.ts). */
  work: readonly string[];
  /** Sets the round up from `rows`, fresh in the table, through the running `url` when it needs the API. */
  prepare(rows: SeededRows, url: string): Promise<Call>;
  /** `prepare` sends a call of its own, whose log lines (its COMMIT last) may come after its answer. */
  preparesThroughApi: boolean;
}

type SeededRows = Awaited<ReturnType<typeof seedRound>>;

const auditRow = (operation: string): AuditRow => ({ subject: "test", operation, idCount: DELETED, dryRun: false });
const DELETE_AUDIT = auditRow("deleteThings");

const scenarios = {
  deleteThings: {
    preparesThroughApi: false,
    work: [String.raw`DELETE FROM \"Thing\"`],
    prepare: async ({ all, doomed, kept }) => ({
      before: { live: all, trashed: [], deletions: [], audit: [] },
      after: { live: kept, trashed: [], deletions: [], audit: [DELETE_AUDIT] },
      send: async (url) =>
        (await executeOverHttp(url, DeleteThingsDocument, { ids: doomed.map(String) })).data?.deleteThings.deletedCount,
    }),
  },
  undoableDelete: {
    preparesThroughApi: false,
    work: [String.raw`INSERT INTO \"TrashedThing\"`, "WITH moved AS"],
    prepare: async ({ all, doomed, kept }) => ({
      before: { live: all, trashed: [], deletions: [], audit: [] },
      after: { live: kept, trashed: ascending(doomed), deletions: [DELETED], audit: [DELETE_AUDIT] },
      send: async (url) =>
        (await executeOverHttp(url, TrashThingsCountDocument, { ids: doomed.map(String) })).data?.deleteThings
          .deletedCount,
    }),
  },
  undoDelete: {
    preparesThroughApi: true,
    work: [String.raw`INSERT INTO \"Thing\"`, "WITH restored AS"],
    prepare: async ({ all, doomed, kept }, url) => {
      const trashed = await executeOverHttp(url, TrashThingsCountDocument, { ids: doomed.map(String) });
      const deletionId = trashed.data!.deleteThings.deletion!.id;
      // The Deletion stays after its undo (remaining 0), so it is there either way.
      return {
        before: { live: kept, trashed: ascending(doomed), deletions: [DELETED], audit: [DELETE_AUDIT] },
        after: { live: all, trashed: [], deletions: [DELETED], audit: [DELETE_AUDIT, auditRow("undoDelete")] },
        send: async (url) =>
          (await executeOverHttp(url, UndoDeleteCountDocument, { deletionId })).data?.undoDelete.restoredCount,
      };
    },
  },
} satisfies Record<string, Scenario>;

function ascending(ids: readonly number[]): number[] {
  return [...ids].sort((a, b) => a - b);
}

/** One 100000-row call over HTTP, killed as `kill` says (or not at all; then it is timed); the outcome. */
async function killRound(scenario: Scenario, kill: Kill | undefined): Promise<Round> {
  const rows = await seedRound();
  const victim = server!;
  // The preparation's statements must not be taken for the call's.
  const prepared = scenario.preparesThroughApi ? victim.outputMatches(/"sql":"COMMIT".*\n/) : undefined;
  const call = await scenario.prepare(rows, `${victim.origin}/graphql`);
  await prepared;
  const from = victim.output().length;
  // Unless killed, the log may come after the answer; the COMMIT is the last statement logged.
  const logged = kill ? undefined : victim.outputMatches(/"sql":"COMMIT".*\n/);
  let answer: number | undefined;
  let answerAt: number | undefined;
  let answered = false;
  const calling = call.send(`${victim.origin}/graphql`).then(
    (count) => {
      answer = count;
      answered = true;
      answerAt = Date.now() - sentAt;
    },
    (error: Error) => error,
  );
  // Taken after the call: executeOverHttp serialises the 100000 ids before it sends anything.
  const sentAt = Date.now();

  let writing = false;
  let answeredBeforeKill = false;
  if (kill) {
    // The random moment is the point of this test: there is no condition to wait for.
    await new Promise((resolve) => setTimeout(resolve, kill.delayMs));
    answeredBeforeKill = answered;
    writing = await deleteInProgress(database.url, victimName);
    await victim.kill();
    // On PostgreSQL its backends finish what they were sent (a COMMIT on the wire still commits), then go.
    await sessionsGone(database.url, victimName);
    ({ server, applicationName: victimName } = await startServer());
    expect((await fetch(`${server.origin}/ready`)).status).toBe(200);
  }
  await calling;
  await logged;

  const raw = await openRawDatabase(database.url);
  try {
    const state: State = {
      live: (await raw.things()).map((thing) => thing.id),
      trashed: (await raw.trashed()).map((row) => row.id),
      deletions: (await raw.deletions()).map((deletion) => deletion.count),
      audit: await raw.audit(),
    };
    const outcome: Outcome = isDeepStrictEqual(state, call.before)
      ? "before"
      : isDeepStrictEqual(state, call.after)
        ? "after"
        : "partial";
    const phase: Phase | undefined = !kill
      ? undefined
      : answeredBeforeKill
        ? "after the answer"
        : writing
          ? "during the write"
          : // No uncommitted write at the kill, yet the rows moved: it had committed.
            outcome === "after"
            ? "after COMMIT, before the answer"
            : "before the write";
    const trashedSet = new Set(state.trashed);
    const both = state.live.filter((id) => trashedSet.has(id)).length;
    const neither = rows.all.length - state.live.length - state.trashed.length + both;
    const context =
      `seed ${SEED}, kill ${JSON.stringify(kill)} ${phase}: ${state.live.length} live, ${state.trashed.length} ` +
      `trashed, ${both} both, ${neither} neither, Deletions ${JSON.stringify(state.deletions)}`;
    expect(both, context).toBe(0);
    // Rows, trash, Deletion and audit row are one transaction: all of it happened, or none. In the trash calls that
    // also means no row is lost: every row is live or trashed both before and after.
    expect(outcome, context).not.toBe("partial");
    // An answered call is durable: a crash of the process loses no commit.
    if (answered) {
      expect(answer, context).toBe(DELETED);
      expect(outcome, context).toBe("after");
    }
    // The restarted server sees what the raw connection sees.
    const count = await executeOverHttp(`${server!.origin}/graphql`, ThingCountDocument, {});
    expect(count.data?.thingCount, context).toBe(state.live.length);
    const times = statementTimes(victim.output().slice(from), scenario.work);
    const at = (time?: number) => (time === undefined ? undefined : time - sentAt);
    return { phase, outcome, workAt: at(times.work), commitAt: at(times.commit), answerAt };
  } finally {
    await raw.close();
  }
}

/** An uninterrupted round to time this machine, then `kills` killed ones, summed up on the console. */
async function killRounds(name: string, scenario: Scenario, kills: number): Promise<void> {
  const startedAt = Date.now();
  if (!server) ({ server, applicationName: victimName } = await startServer());

  // An uninterrupted round measures this machine: when the write starts, how long it runs, when the answer comes.
  const calibration = await killRound(scenario, undefined);
  expect(calibration.outcome).toBe("after");
  expect(calibration.commitAt).toBeGreaterThan(calibration.workAt!);
  const { workAt = 0, commitAt = 0, answerAt = 0 } = calibration;

  const rounds: (Round & Kill)[] = [];
  for (let i = 0; i < kills; i++) {
    // Alternately anywhere from sending to a little past the answer, and where the statement ran.
    const kill: Kill =
      i % 2 === 0
        ? { window: "whole request", delayMs: Math.round(random() * answerAt * 1.1) }
        : { window: "statement", delayMs: Math.round(workAt + random() * (commitAt - workAt)) };
    rounds.push({ ...kill, ...(await killRound(scenario, kill)) });
  }

  const tally = (key: "phase" | "outcome") => {
    const counts = new Map<string, number>();
    for (const round of rounds) counts.set(String(round[key]), (counts.get(String(round[key])) ?? 0) + 1);
    return [...counts].map(([label, count]) => `${count} ${label}`);
  };
  console.info(
    `crash safety of ${name} on ${TEST_DATABASE}, seed ${SEED}: ${kills} kills landed ${tally("phase").join(", ")}; ` +
      `rows left ${tally("outcome").join(", ")}. Uninterrupted: write sent at ${workAt} ms, COMMIT at ` +
      `${commitAt} ms, answer at ${answerAt} ms. Kills (window, delay → phase): ` +
      rounds.map((round) => `${round.window} +${round.delayMs} ms → ${round.phase} (${round.outcome})`).join("; ") +
      `. ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
}

describe("kill -9 during a 100000-row call", () => {
  it(
    "deleteThings leaves the table exactly before or exactly after, with its audit row exactly when after",
    () => killRounds("deleteThings", scenarios.deleteThings, KILLS.deleteThings),
    ROUNDS_TIMEOUT_MS,
  );

  it(
    "an undoable deleteThings leaves every row live or trashed, and its Deletion exactly when they moved",
    () => killRounds("undoable deleteThings", scenarios.undoableDelete, KILLS.trash),
    ROUNDS_TIMEOUT_MS,
  );

  it(
    "undoDelete leaves every row trashed or live again, never both, never neither",
    () => killRounds("undoDelete", scenarios.undoDelete, KILLS.trash),
    ROUNDS_TIMEOUT_MS,
  );
});
