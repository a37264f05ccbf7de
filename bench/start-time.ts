// Start time of the compiled server as an orchestrator sees it: from spawning `node dist/server.js` to its /ready
// answering 200, on a database that an earlier start already migrated, so the runs time a restart, not a first
// deployment.
import type { Cleanup } from "./cleanup.ts";
import type { Plan } from "./plan.ts";
import { progress } from "./progress.ts";
import { startServer } from "./server-process.ts";
import { summarize, type Summary } from "./stats.ts";
import type { TargetFactory } from "./target.ts";

export interface StartTimeResult {
  /** The first start, which created and migrated the database (not a goal, for comparison). */
  migratingStartMs: number;
  /** The timed starts after it. */
  summary: Summary;
}

export async function measureStartTime(factory: TargetFactory, plan: Plan, cleanup: Cleanup): Promise<StartTimeResult> {
  const target = await factory(cleanup.tempDir("things-bench-start-"), cleanup);
  const start = async () => {
    const server = await startServer({ node: target.node, env: target.serverEnv });
    cleanup.defer(() => server.stop());
    await server.stop();
    return server.startMs;
  };
  const migratingStartMs = await start();
  const samples: number[] = [];
  for (let i = 0; i < plan.startRuns; i++) samples.push(await start());
  const summary = summarize(samples);
  progress(`start to /ready: median ${summary.median.toFixed(0)} ms, max ${summary.max.toFixed(0)} ms`);
  return { migratingStartMs, summary };
}
