// Sustained load: deleteThings (or the floor's delete) of a few fresh ids per request, with autocannon holding
// `concurrency` keep-alive connections busy for a fixed time. Every request deletes ids no other request had, so each acknowledged
// delete must report exactly its ids, and the rows gone must add up afterwards.
import autocannon from "autocannon";
import { deleteIds, type DeleteApi } from "./delete-api.ts";
import { BENCH_API_KEY } from "./graphql-client.ts";
import type { ThroughputPlan } from "./plan.ts";
import { progress } from "./progress.ts";
import { quantile, randomIds } from "./stats.ts";
import { VerificationError } from "./verify.ts";

export interface ThroughputResult {
  concurrency: number;
  idsPerRequest: number;
  seconds: number;
  /** Deletes that answered with the right deletedCount. */
  acknowledged: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  /** Connection errors and timeouts, as autocannon counts them. */
  /** Latency percentiles from autocannon's per-response times (its own histogram keeps whole milliseconds only). */
  connectionErrors: number;
  /** The seeded ids ran out before the time was up; the run stopped early. */
  poolExhausted: boolean;
}

/** The median of a target's rounds at one concurrency, with every round's req/s beside it. */
export interface ThroughputSummary extends ThroughputResult {
  roundsRequestsPerSecond: number[];
}

/**
 * The round whose req/s is the median (the slower of the middle two for an even count): a round that really ran,
 * so its p99 and its deletes are one round's, not an average of rounds.
 */
export function medianRound(rounds: readonly ThroughputResult[]): ThroughputSummary {
  const bySpeed = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const median = bySpeed[Math.floor((bySpeed.length - 1) / 2)];
  if (!median) throw new Error("no throughput round to summarise");
  return { ...median, roundsRequestsPerSecond: rounds.map((round) => round.requestsPerSecond) };
}

function runAutocannon(options: autocannon.Options, onStart: (instance: autocannon.Instance) => void) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: Error | null, result) => (error ? reject(error) : resolve(result)));
    onStart(instance);
  });
}

export async function measureThroughput(
  api: DeleteApi,
  plan: ThroughputPlan,
  concurrency: number,
): Promise<ThroughputResult> {
  const { url, protocol, db } = api;
  const { idsPerRequest, seconds } = plan;
  const poolRows = Math.ceil(plan.maxRequestsPerSecond * seconds) * idsPerRequest;
  await db.seed(poolRows);
  const pool = randomIds(poolRows, poolRows);
  let next = 0;
  let poolExhausted = false;
  let stop = () => {};

  const issued: number[] = [];
  // autocannon passes each connection's context to both hooks; with pipelining 1 the response a connection
  // receives belongs to the request it last set up.
  const inFlight = new WeakMap<object, readonly number[]>();
  const acknowledged = new Set<number>();
  let acknowledgedRequests = 0;
  let acknowledgedDeleted = 0;
  const failures: string[] = [];
  const latencies: number[] = [];

  const result = await runAutocannon(
    {
      url,
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        authorization: `Bearer ${BENCH_API_KEY}`,
      },
      connections: concurrency,
      pipelining: 1,
      duration: seconds,
      requests: [
        {
          setupRequest: (request, context) => {
            const ids = pool.slice(next, next + idsPerRequest);
            if (ids.length < idsPerRequest && !poolExhausted) {
              poolExhausted = true;
              // Not from inside autocannon's request loop: stopping there would tear down the client mid-write.
              setImmediate(stop);
            }
            next += ids.length;
            issued.push(...ids);
            inFlight.set(context, ids);
            return { ...request, body: protocol.deleteIds(ids) };
          },
          onResponse: (status, body, context) => {
            const ids = inFlight.get(context) ?? [];
            try {
              const deletedCount = protocol.deletedCount(status, body, "deleteIds");
              if (deletedCount !== ids.length) throw new Error(`deleted ${deletedCount} of ${ids.length} fresh ids`);
              for (const id of ids) acknowledged.add(id);
              acknowledgedDeleted += deletedCount;
              // The requests sent after the pool ran out carried no ids; they are not deletes.
              if (ids.length > 0) acknowledgedRequests++;
            } catch (error) {
              failures.push(error instanceof Error ? error.message : String(error));
            }
          },
        },
      ],
    },
    (instance) => {
      stop = () => instance.stop();
      instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    },
  );

  // Requests in flight when the time ran out reached the server but their answers were dropped, so their ids
  // may or may not be gone yet. Deleting them once more settles them, whichever delete runs first; a late one then
  // finds nothing to delete.
  const unanswered = issued.filter((id) => !acknowledged.has(id));
  if (unanswered.length > 0) await deleteIds(api, unanswered);
  // Exactly the issued ids are gone (the count says how many, the lookup which), and the acknowledged deletes
  // reported every row that went apart from the unanswered ones.
  const rowsGone = poolRows - (await db.count());
  const stillPresent = await db.countPresent(issued);
  if (
    failures.length > 0 ||
    rowsGone !== issued.length ||
    stillPresent !== 0 ||
    acknowledgedDeleted !== rowsGone - unanswered.length
  ) {
    throw new VerificationError(
      `${api.name} throughput c=${concurrency}: ${failures.length} failed deletes (${failures.slice(0, 3).join("; ")}); ` +
        `${rowsGone} rows gone; issued ${issued.length} ids, ${unanswered.length} unanswered; acknowledged deletes ` +
        `reported ${acknowledgedDeleted}; ${stillPresent} issued ids still exist`,
    );
  }

  latencies.sort((a, b) => a - b);
  const throughput: ThroughputResult = {
    concurrency,
    idsPerRequest,
    seconds: result.duration,
    acknowledged: acknowledgedRequests,
    requestsPerSecond: acknowledgedRequests / result.duration,
    latencyMs: {
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      mean: latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length,
      max: quantile(latencies, 1),
    },
    connectionErrors: result.errors,
    poolExhausted,
  };
  progress(
    `${api.name} throughput c=${concurrency}: ${throughput.requestsPerSecond.toFixed(0)} req/s, p99 ${throughput.latencyMs.p99.toFixed(1)} ms`,
  );
  return throughput;
}
