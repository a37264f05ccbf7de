// The page's Apollo Client: the example client of examples/apollo, on the page's own origin (the dev server proxies
// /graphql to the API), with pages merged for "Load more".
import type { ApolloClient } from "@apollo/client";
import { createThingsClient } from "../../apollo/client.ts";

export type LiveStatus = "connecting" | "live" | "offline";

export function createWebClient(token: string | undefined, onLiveStatus: (status: LiveStatus) => void): ApolloClient {
  return createThingsClient({
    url: new URL("/graphql", window.location.href).href,
    token,
    cache: { pages: true },
    sse: {
      on: { connecting: () => onLiveStatus("connecting"), connected: () => onLiveStatus("live") },
      // Retries with graphql-sse's back-off, then gives up: the status says so.
      retryAttempts: 5,
    },
  });
}
