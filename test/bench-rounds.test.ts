// The benchmark's throughput rounds (bench/throughput.ts): what one number per target and concurrency stands for.
import { describe, test } from "vitest";
import { medianRound, type ThroughputResult } from "../bench/throughput.ts";

const round = (requestsPerSecond: number, p99: number): ThroughputResult => ({
  concurrency: 16,
  idsPerRequest: 10,
  seconds: 6,
  acknowledged: requestsPerSecond * 6,
  requestsPerSecond,
  latencyMs: { p50: p99 / 2, p99, mean: p99 / 2, max: p99 * 2 },
  connectionErrors: 0,
  poolExhausted: false,
});

describe("throughput rounds", () => {
  test("the reported round is the median by req/s, with its own p99, and every round's req/s in run order", ({
    expect,
  }) => {
    const summary = medianRound([round(1400, 20), round(900, 60), round(1100, 30)]);
    expect(summary.requestsPerSecond).toBe(1100);
    expect(summary.latencyMs.p99).toBe(30);
    expect(summary.roundsRequestsPerSecond).toEqual([1400, 900, 1100]);
  });

  test("of an even number of rounds the slower middle one is reported, never an average", ({ expect }) => {
    expect(medianRound([round(1000, 10), round(1200, 10)]).requestsPerSecond).toBe(1000);
    expect(medianRound([round(800, 10)]).requestsPerSecond).toBe(800);
  });

  test("no rounds is an error, not a zero", ({ expect }) => {
    expect(() => medianRound([])).toThrow(/no throughput round/);
  });
});
