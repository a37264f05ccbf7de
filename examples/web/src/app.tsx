// The page: Inbox and Trash, the settings (a token), the live status and the toast. One Apollo Client, and so
// one thingsChanged subscription, per tab; a new token makes a new client.
import type { ApolloClient } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { useCallback, useMemo, useState } from "react";
import {
  InboxThingFragmentDoc,
  UndoDeleteDocument,
  type InboxThingFragment,
  type TrashedSelectionFragment,
} from "../gql/graphql.ts";
import { createWebClient, type LiveStatus } from "./client.ts";
import { describeError } from "./errors.ts";
import { Inbox } from "./inbox.tsx";
import { useLiveUpdates } from "./live.ts";
import { countThings } from "./thing-list.tsx";
import { Toast, type ToastMessage } from "./toast.tsx";
import { storedToken, storeToken } from "./token.ts";
import { Trash } from "./trash.tsx";

type View = "inbox" | "trash";
const liveLabels: Record<LiveStatus, string> = { connecting: "Connecting…", live: "Live", offline: "Offline" };
let toastKey = 0;

export function App() {
  const [token, setToken] = useState(storedToken);
  const [live, setLive] = useState<LiveStatus>("connecting");
  const client = useMemo(() => createWebClient(token, setLive), [token]);
  return (
    <ApolloProvider client={client}>
      <Page client={client} live={live} setLive={setLive} token={token} setToken={setToken} />
    </ApolloProvider>
  );
}

interface PageProps {
  client: ApolloClient;
  live: LiveStatus;
  setLive: (status: LiveStatus) => void;
  token: string | undefined;
  setToken: (token: string | undefined) => void;
}

function Page({ client, live, setLive, token, setToken }: PageProps) {
  useLiveUpdates(client, setLive);
  const [view, setView] = useState<View>("inbox");
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const closeToast = useCallback(() => setToast(null), []);
  const showError = useCallback((text: string) => setToast({ kind: "error", key: ++toastKey, text }), []);
  const showInfo = useCallback((text: string) => setToast({ kind: "info", key: ++toastKey, text }), []);

  const undo = useCallback(
    async (deletionId: string, things: readonly InboxThingFragment[]) => {
      const { cache } = client;
      const cacheIds = things.map((thing) => cache.identify({ __typename: "Thing", id: thing.id }));
      // The list still holds the deleted rows' edges (the cache only skips them while their Things are evicted):
      // writing the Things back puts the rows where they were, without a refetch.
      for (const thing of things) {
        cache.writeFragment({ id: cache.identify(thing), fragment: InboxThingFragmentDoc, data: thing });
      }
      try {
        const { data } = await client.mutate({ mutation: UndoDeleteDocument, variables: { deletionId } });
        showInfo(`${countThings(data?.undoDelete.restoredCount ?? 0)} restored`);
      } catch (refused) {
        for (const id of cacheIds) if (id) cache.evict({ id });
        cache.gc();
        showError(describeError(refused));
      }
    },
    [client, showError, showInfo],
  );

  const onDeleted = useCallback(
    (payload: TrashedSelectionFragment, things: readonly InboxThingFragment[]) => {
      const { deletion } = payload;
      const gone = payload.notFoundIds.length > 0 ? ` (${payload.notFoundIds.length} already gone)` : "";
      if (!deletion) return showInfo(`Nothing deleted${gone}`);
      const text = `${countThings(deletion.count)} deleted${gone}`;
      setToast({ kind: "undo", key: ++toastKey, text, onUndo: () => void undo(deletion.id, things) });
    },
    [showInfo, undo],
  );

  return (
    <div className="app">
      <header>
        <h1>Things</h1>
        <nav>
          {(["inbox", "trash"] as const).map((name) => (
            <button
              key={name}
              type="button"
              aria-current={view === name ? "page" : undefined}
              onClick={() => setView(name)}
            >
              {name === "inbox" ? "Inbox" : "Trash"}
            </button>
          ))}
        </nav>
        <span className={`live ${live}`} data-live={live}>
          {liveLabels[live]}
        </span>
        <Settings token={token} setToken={setToken} />
      </header>
      <main>
        {view === "inbox" ? (
          <Inbox onDeleted={onDeleted} onError={showError} />
        ) : (
          <Trash onDone={showInfo} onError={showError} />
        )}
      </main>
      <Toast key={toast?.key} message={toast} onClose={closeToast} />
    </div>
  );
}

function Settings({ token, setToken }: { token: string | undefined; setToken: (token: string | undefined) => void }) {
  const [draft, setDraft] = useState(token ?? "");
  return (
    <details className="settings">
      <summary>Settings</summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          storeToken(draft.trim());
          setToken(draft.trim() || undefined);
        }}
      >
        <label>
          API token
          <input
            type="password"
            autoComplete="off"
            value={draft}
            placeholder="development key (from the dev server)"
            onChange={(event) => setDraft(event.target.value)}
          />
        </label>
        <button type="submit">Save</button>
        <p className="hint">
          Kept in this browser only. Empty: the development server sends the API's development key for you.
        </p>
      </form>
    </details>
  );
}
