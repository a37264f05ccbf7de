// Timeouts for slow requests and a cap on open connections. Without them slow or idle clients hold sockets, and
// with them memory and file descriptors, without limit (HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS,
// MAX_CONNECTIONS).
import type { Server, ServerOptions } from "node:http";
import type { HttpLimits } from "../config.ts";
import type { Logger } from "../logger.ts";

/** At the cap every new connection is refused; one warning a minute says so without flooding the log. */
const DROP_LOG_INTERVAL_MS = 60_000;

/**
 * Node's server options for `limits`. requestTimeout covers receiving the request only, so a response that lasts
 * (an SSE subscription) is not cut. Node enforces both timeouts in a sweep every connectionsCheckingInterval
 * (30 s by default, which would let a 1 s timeout take 31 s); a tenth of the shorter timeout keeps the overshoot
 * within 10%. Idle keep-alive connections are not swept: keepAliveTimeout alone ends them.
 */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: Math.ceil(limits.headersTimeoutMs / 10),
    // Node closes idle keep-alive connections after 5 s, and a client or load balancer that reuses one just then
    // gets "socket hang up" (or a 502). Load balancers keep idle connections for 60 s, so stay open a little longer.
    keepAliveTimeout: 65_000,
  };
}

/** Caps open connections; Node closes the ones beyond right after accepting them. */
export function limitConnections(server: Server, maxConnections: number, logger: Logger): void {
  server.maxConnections = maxConnections;
  let dropped = 0;
  let quietUntil = 0;
  server.on("drop", () => {
    dropped++;
    const now = Date.now();
    if (now < quietUntil) return;
    quietUntil = now + DROP_LOG_INTERVAL_MS;
    logger.warn({ maxConnections, dropped }, "MAX_CONNECTIONS reached: new connections are closed");
    dropped = 0;
  });
}
