// The Apollo Client for this API: queries and mutations over HTTP, subscriptions over SSE, every operation sent as
// a trusted document's hash (trusted-documents.ts), and the cache policy that makes deletes show up in lists without
// a refetch.
import { ApolloClient, ApolloLink, HttpLink } from "@apollo/client";
import { OperationTypeNode } from "graphql";
import { createClient, type ClientOptions } from "graphql-sse";
import { createThingsCache, type ThingsCacheOptions } from "./cache.ts";
import { SseLink } from "./sse-link.ts";
import { trustedDocumentsLink } from "./trusted-documents.ts";

export interface ThingsClientOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** Bearer token (an API key or a JWT) sent with every operation; mutations need one. */
  token?: string;
  /** The fetch for queries and mutations (default: the global one), e.g. to add an auth header or count requests. */
  fetch?: typeof globalThis.fetch;
  /** graphql-sse settings, e.g. `on: { connected }` to know when a subscription is live. */
  sse?: Omit<ClientOptions<false>, "url" | "singleConnection">;
  /** Cache settings, e.g. `{ pages: true }` for a list with "Load more". */
  cache?: ThingsCacheOptions;
}

export function createThingsClient({ url, token, fetch, sse, cache }: ThingsClientOptions): ApolloClient {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const subscriptions = new SseLink(createClient({ ...sse, url, headers, singleConnection: false }));
  const http = new HttpLink({ uri: url, fetch, headers });
  const isSubscription = (operation: ApolloLink.Operation) =>
    operation.operationType === OperationTypeNode.SUBSCRIPTION;
  return new ApolloClient({
    cache: createThingsCache(cache),
    link: ApolloLink.from([trustedDocumentsLink(), ApolloLink.split(isSubscription, subscriptions, http)]),
  });
}
