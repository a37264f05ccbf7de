// Graceful shutdown of the HTTP server: stop accepting, let in-flight requests finish (a running delete commits or
// rolls back as a whole; it is never cut in half), then close what is left (SSE streams, idle keep-alive
// connections) and release the resources, all within a time limit.
import type { Server } from "node:http";
import type { Logger } from "../logger.ts";

/**
 * Counts requests that will end by themselves. Event streams (subscriptions over SSE) never do; they are closed
 * once the others are done, and their clients reconnect to another instance.
 */
export function trackInFlightRequests(server: Server): { idle(): Promise<void>; count(): number } {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  server.on("request", (request, response) => {
    if (request.headers.accept?.includes("text/event-stream")) return;
    inFlight++;
    response.once("close", () => {
      if (--inFlight > 0) return;
      for (const wake of waiters) wake();
      waiters = [];
    });
  });
  return {
    count: () => inFlight,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
  };
}

export interface ShutdownOptions {
  server: Server;
  inFlight: { idle(): Promise<void>; count(): number };
  timeoutMs: number;
  logger: Logger;
  /** Disconnects the database and the event bus and flushes the traces; runs after the last request ended. */
  release(): Promise<void>;
}

/** Resolves with the exit code: 0 when everything finished in time, 1 when requests were still cut off. */
export async function shutDown({ server, inFlight, timeoutMs, logger, release }: ShutdownOptions): Promise<number> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    inFlight.idle().then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    logger.warn(
      { inFlight: inFlight.count(), timeoutMs },
      "shutdown timeout: closing connections with requests in flight",
    );
  }
  // Ends SSE streams and keep-alive connections, so that server.close() can finish.
  server.closeAllConnections();
  await closed;
  try {
    // Still-running statements are cancelled with their connection; the database rolls back what did not commit.
    await release();
  } catch (error) {
    logger.error({ err: error }, "closing the database or Redis failed");
    return 1;
  }
  return timedOut ? 1 : 0;
}
