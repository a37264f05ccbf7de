// One debug line per HTTP request: method, path, status and how long the server took.
import type { Plugin } from "graphql-yoga";
import type { Logger } from "../logger.ts";

export function requestLogPlugin(logger: Logger): Plugin {
  const startedAt = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      // Below debug nothing is logged, so nothing is kept either: this runs for every request.
      if (logger.isLevelEnabled("debug")) startedAt.set(request, performance.now());
    },
    onResponse({ request, response }) {
      if (!logger.isLevelEnabled("debug")) return;
      const started = startedAt.get(request);
      logger.debug(
        {
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          ms: started === undefined ? undefined : Math.round((performance.now() - started) * 100) / 100,
        },
        "request",
      );
    },
  };
}
