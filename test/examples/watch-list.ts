// Watches the example's list query and records every emission, so a test can wait for the list it expects.
import type { ApolloClient } from "@apollo/client";
import { expect } from "vitest";
import { ThingsListDocument, type ThingsListQueryVariables } from "../../examples/apollo/gql/graphql.ts";

export interface ListSnapshot {
  thingIds: string[];
  thingCount: number;
  totalCount: number;
}

export interface WatchedList {
  /** Every complete result emitted so far. */
  emissions: ListSnapshot[];
  /** The first emission (past or future) matching `predicate`. */
  waitFor(predicate: (thingIds: string[]) => boolean): Promise<ListSnapshot>;
  stop(): void;
}

/** `list` adds the list's filter and order to `first`, as a screen with a search box or an inbox asks. */
export function watchList(
  client: ApolloClient,
  first: number,
  list: Omit<ThingsListQueryVariables, "first"> = {},
): WatchedList {
  const emissions: ListSnapshot[] = [];
  const variables = { first, ...list };
  const subscription = client.watchQuery({ query: ThingsListDocument, variables }).subscribe((result) => {
    if (result.dataState !== "complete") return;
    emissions.push({
      thingIds: result.data.things.edges.map((edge) => edge.node.id),
      thingCount: result.data.thingCount,
      totalCount: result.data.things.totalCount,
    });
  });
  return {
    emissions,
    async waitFor(predicate) {
      let found: ListSnapshot | undefined;
      await expect
        .poll(() => (found = emissions.find((snapshot) => predicate(snapshot.thingIds))), { timeout: 5000 })
        .toBeDefined();
      return found!;
    },
    stop: () => subscription.unsubscribe(),
  };
}
