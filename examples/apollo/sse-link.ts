// Subscriptions for Apollo over Server-Sent Events, with the graphql-sse client. Yoga serves SSE on the GraphQL
// endpoint itself (POST with `accept: text/event-stream`), which is graphql-sse's "distinct connections" mode: one
// HTTP request per subscription. (Its "single connection" mode, and the /graphql/stream path, would need Yoga's
// graphql-sse plugin on the server; the server does not use it.)
import { ApolloLink } from "@apollo/client";
import { print } from "@apollo/client/utilities";
import type { Client, RequestParams } from "graphql-sse";
import { Observable } from "rxjs";

export class SseLink extends ApolloLink {
  readonly #client: Client;

  constructor(client: Client) {
    super();
    this.#client = client;
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    // Like HttpLink, the document is left out when the trusted-documents link sent its hash in the extensions
    // instead. graphql-sse's type insists on a query; it posts the object as it is, so none is sent.
    const includeQuery = (operation.getContext().http as { includeQuery?: boolean } | undefined)?.includeQuery ?? true;
    const request = {
      query: includeQuery ? print(operation.query) : undefined,
      variables: operation.variables,
      operationName: operation.operationName,
      extensions: operation.extensions,
    } as RequestParams;
    return new Observable<ApolloLink.Result>((observer) =>
      // graphql-sse returns its own unsubscribe function, which aborts the request: Apollo calls it when the
      // last subscriber leaves.
      this.#client.subscribe<Record<string, unknown>, Record<string, unknown>>(request, {
        next: (result) => observer.next(result),
        error: (error) => observer.error(error),
        complete: () => observer.complete(),
      }),
    );
  }
}
